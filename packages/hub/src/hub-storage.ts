/**
 * A Hub repository read over HTTP, with no cache folder: a `FetchStorage` rooted at
 * `{hubUrl}/{repo}/resolve/{revision}` that throws the Hub's typed errors. Environment-free
 * (browsers, workers, Node ≥ 18).
 */
import { AdaptersError, FetchStorage, type Storage } from '@adapters/core';
import type { RepoType } from './cache';
import { HubDownloadError } from './errors';
import { validateRepoId } from './ids';
import { hubStatusError } from './status-error';

/** Options of {@link hubStorage}: the same names and meanings as the Node downloads' `DownloadOptions`. */
export interface HubStorageOptions {
  /** Branch, tag or 40-character commit hash. Default `main`. */
  revision?: string;
  /** Hub endpoint (a mirror, a local server). Default `https://huggingface.co`. */
  hubUrl?: string;
  /** Repository type. Default `model`. */
  repoType?: RepoType;
  /** Access token (`hf_...`) for private or gated repositories, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** `fetch` to use (proxies, tests). Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Where writes go; reads look there first. Without it the storage is read-only. */
  overlay?: Storage;
}

const DEFAULT_HUB_URL = 'https://huggingface.co';
const COMMIT_HASH = /^[0-9a-f]{40}$/;

/**
 * Reads files of one Hub repository at one revision (`readFile('config.json')` fetches
 * `{hubUrl}/{repo}/resolve/{revision}/config.json`; LFS files follow the Hub's redirect).
 * `readFile` throws {@link HubNotFoundError} for a missing repository, revision or file and
 * {@link HubDownloadError} for other HTTP or network failures; `exists` sends a `HEAD` request.
 */
export class HubStorage extends FetchStorage {
  /** Repository id, e.g. `AdapterHub/roberta-base-pf-imdb`. */
  readonly repoId: string;
  /** The revision in the URL. */
  readonly revision: string;
  /** The commit the Hub named (`X-Repo-Commit`) in its last successful answer, when it named one. */
  commit: string | undefined;
  private readonly get: (url: string) => Promise<Response>;
  private readonly overlay: Storage | undefined;

  constructor(repoId: string, opts: HubStorageOptions = {}) {
    validateRepoId(repoId);
    const revision = opts.revision ?? 'main';
    if (revision.length === 0) throw new AdaptersError(`"${repoId}": empty revision`);
    const given = opts.fetch ?? (globalThis as { fetch?: typeof fetch }).fetch;
    if (given === undefined) throw new AdaptersError('hubStorage: no fetch function (pass options.fetch)');
    // Called as a plain function: browsers refuse the native fetch with another `this`.
    const fetchFn: typeof fetch = (input, init) => given(input, init);
    const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
    const type = opts.repoType ?? 'model';
    const base = `${(opts.hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '')}/${type === 'model' ? '' : `${type}s/`}${repoId}/resolve/${encodeURIComponent(revision)}`;
    super(base, { fetch: fetchFn, headers, ...(opts.overlay ? { overlay: opts.overlay } : {}) });
    this.repoId = repoId;
    this.revision = revision;
    this.overlay = opts.overlay;
    this.get = (url) => fetchFn(url, { method: 'GET', headers });
  }

  override async readFile(path: string): Promise<Uint8Array> {
    if (this.overlay && (await this.overlay.exists(path))) return this.overlay.readFile(path);
    const url = this.url(path);
    let res: Response;
    try {
      res = await this.get(url);
    } catch (e) {
      throw new HubDownloadError(`cannot reach the Hub for "${path}" of "${this.repoId}" (${e instanceof Error ? e.message : String(e)})`, url, undefined, { cause: e });
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      const h = res.headers;
      throw hubStatusError({ repoId: this.repoId, file: path, revision: this.revision, url, status: res.status, code: h.get('x-error-code'), message: h.get('x-error-message') });
    }
    const commit = res.headers.get('x-repo-commit');
    if (commit !== null && COMMIT_HASH.test(commit)) this.commit = commit;
    return new Uint8Array(await res.arrayBuffer());
  }
}

/**
 * A `FetchStorage` over one Hub repository at one revision, rooted at
 * `{hubUrl}/{repoId}/resolve/{revision}` (`{hubUrl}/datasets/{repoId}/…` for datasets). Hand it to
 * any loader that takes a `Storage`, with `''` as the folder.
 *
 * @example
 * ```ts
 * import { loadAdapter, loadPretrained } from '@adapters/core';
 * import { hubStorage } from '@adapters/hub';
 * const model = await loadPretrained(hubStorage('google-bert/bert-base-uncased'), '');
 * await loadAdapter(model, hubStorage('AdapterHub/bert-base-uncased-pf-imdb', { revision: 'v1' }), '', { setActive: true });
 * ```
 */
export function hubStorage(repoId: string, opts: HubStorageOptions = {}): HubStorage {
  return new HubStorage(repoId, opts);
}
