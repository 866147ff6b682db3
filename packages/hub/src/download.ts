/**
 * Downloads from the Hugging Face Hub into the `huggingface_hub` cache, speaking the same HTTP
 * protocol as Python's `hf_hub_download`:
 *
 * 1. `HEAD {hubUrl}/{repo}/resolve/{revision}/{file}` (relative redirects followed, e.g. renamed
 *    repos; an absolute redirect to a CDN is not followed) → `X-Repo-Commit`, `X-Linked-Etag` or
 *    `ETag`, `X-Linked-Size` or `Content-Length`, and `Location` (where to GET).
 * 2. `GET` into `blobs/<etag>.incomplete`, resumed with `Range: bytes=<have>-` after a broken
 *    transfer, checked (size; sha256 or git-sha1 when the ETag is one), then renamed to
 *    `blobs/<etag>` and linked from `snapshots/<commit>/<file>`; `refs/<revision>` records the commit.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AdapterFormatError } from '@adapters/core';
import { HUB_URL } from '@huggingface/hub';
import { RepoCache, fileSize, isCommitHash, isOfflineFromEnv, pathExists, repoCacheFolder, type RepoType, validateRepoFilename } from './cache';
import { HubDownloadError, HubIntegrityError, HubNotFoundError } from './errors';
import { hubStatusError } from './status-error';

/** Progress of one file's download. */
export interface DownloadProgress {
  /** Repository id. */
  repoId: string;
  /** File path inside the repository. */
  file: string;
  /** Bytes on disk so far (including bytes of a resumed partial download). */
  loaded: number;
  /** Total size announced by the Hub, if known. */
  total: number | undefined;
}

/** Options shared by every download function of this package. */
export interface DownloadOptions {
  /** Branch, tag or 40-character commit hash. Default `main`. */
  revision?: string;
  /** Cache folder. Default: see {@link defaultCacheDir} (`$HF_HUB_CACHE`, `$HF_HOME/hub`, `~/.cache/huggingface/hub`). */
  cacheDir?: string;
  /** Hub endpoint. Default `$HF_ENDPOINT`, else `https://huggingface.co`. */
  hubUrl?: string;
  /**
   * Resolve from the cache only and never touch the network. Default: `HF_HUB_OFFLINE` set to
   * `1`/`ON`/`YES`/`TRUE`, else `false`.
   */
  offline?: boolean;
  /** Access token (`hf_...`) for private or gated repos. Default `$HF_TOKEN`. Sent to the Hub host only. */
  token?: string;
  /** `fetch` to use (proxies, tests). Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Called while bytes arrive. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Repository type. Default `model`. */
  repoType?: RepoType;
  /**
   * Ask the Hub for the commit a branch or tag points to now, even when `refs/<revision>` is cached
   * (Python's default behaviour). Default `false`: a cached ref is trusted, so a second load of the
   * same file makes no request at all. Commit-hash revisions never need this.
   */
  checkForUpdates?: boolean;
  /** Download again even if the file is cached. Default `false`. */
  forceDownload?: boolean;
  /** Verify the sha256 (LFS files) or git-sha1 (other files) given as ETag. Default `true`. Sizes are always checked. */
  verify?: boolean;
  /** Attempts to resume after a broken or truncated transfer. Default `5`. */
  maxRetries?: number;
  /** Delay before the first retry in ms, doubled each time (capped at 8 s). Default `500`. */
  retryDelayMs?: number;
  /** Cancels requests. */
  signal?: AbortSignal;
}

/** One downloaded (or cached) file. */
export interface DownloadedFile {
  /** `snapshots/<commit>/<file>` inside the repository's cache folder. */
  path: string;
  /** The commit the file was resolved at. */
  commit: string;
  /** `snapshots/<commit>`: the folder to hand to loaders. */
  snapshotDir: string;
  /** `true` when served from the cache without any request. */
  fromCache: boolean;
}

/** Options resolved against the environment. */
interface Ctx {
  repoId: string;
  repoType: RepoType;
  hubUrl: string;
  offline: boolean;
  token: string | undefined;
  fetch: typeof fetch;
  cache: RepoCache;
  opts: DownloadOptions;
}

function makeCtx(repoId: string, opts: DownloadOptions): Ctx {
  const repoType = opts.repoType ?? 'model';
  return {
    repoId,
    repoType,
    hubUrl: (opts.hubUrl ?? process.env.HF_ENDPOINT ?? HUB_URL).replace(/\/+$/, ''),
    offline: opts.offline ?? isOfflineFromEnv(),
    token: opts.token ?? process.env.HF_TOKEN ?? process.env.HUGGING_FACE_HUB_TOKEN,
    fetch: opts.fetch ?? globalThis.fetch.bind(globalThis),
    cache: new RepoCache(repoCacheFolder(repoId, { cacheDir: opts.cacheDir, repoType })),
    opts,
  };
}

/** Blob downloads in flight in this process, so that concurrent calls share one transfer. */
const inFlight = new Map<string, Promise<void>>();

/**
 * Downloads one file of a Hub repository into the cache (or finds it there) and returns its
 * `snapshots/<commit>/<file>` path.
 *
 * @throws {@link HubNotFoundError} (a `NotFoundError`) for a missing repo, revision or file, or a
 *   file missing from the cache in offline mode; {@link HubIntegrityError} (an `AdapterFormatError`)
 *   for a corrupted download; {@link HubDownloadError} (an `AdaptersError`) for HTTP/network
 *   errors and transfers still truncated after all retries.
 */
export async function downloadRepoFile(repoId: string, file: string, opts: DownloadOptions = {}): Promise<DownloadedFile> {
  return fetchOne(makeCtx(repoId, opts), file, opts.revision ?? 'main');
}

/**
 * Downloads several files of one repository, all at the same commit, and returns their local
 * paths in the order given. The first file resolves the revision; the rest are requested at that
 * commit, so a branch moving mid-way cannot mix two versions.
 *
 * @example
 * ```ts
 * const [config, weights] = await downloadRepoFiles('org/model', ['config.json', 'model.safetensors'], { revision: 'v1.0' });
 * ```
 */
export async function downloadRepoFiles(repoId: string, files: readonly string[], opts: DownloadOptions = {}): Promise<string[]> {
  const ctx = makeCtx(repoId, opts);
  const revision = opts.revision ?? 'main';
  const out: string[] = [];
  let commit: string | undefined;
  for (const file of files) {
    const r = await fetchOne(ctx, file, revision, commit);
    commit ??= r.commit;
    out.push(r.path);
  }
  return out;
}

/**
 * Resolves one file. `revision` is the name the user asked for (recorded in `refs/`), `atCommit`
 * a commit already resolved in this call (used for the requests instead of the branch name).
 */
async function fetchOne(ctx: Ctx, file: string, revision: string, atCommit?: string): Promise<DownloadedFile> {
  validateRepoFilename(file);
  const { cache, opts } = ctx;
  const mayUseCache = !opts.forceDownload && (ctx.offline || !opts.checkForUpdates || isCommitHash(revision) || atCommit !== undefined);
  const cachedCommit = atCommit ?? (await cache.resolveCommit(revision));
  if (cachedCommit !== undefined && mayUseCache) {
    const pointer = cache.pointerPath(cachedCommit, file);
    if (await pathExists(pointer)) return { path: pointer, commit: cachedCommit, snapshotDir: cache.snapshotDir(cachedCommit), fromCache: true };
    if (await pathExists(cache.noExistPath(cachedCommit, file))) {
      throw new HubNotFoundError({ repoId: ctx.repoId, file, revision, kind: 'file', detail: 'cached answer of an earlier request' });
    }
  }
  if (ctx.offline) {
    throw new HubNotFoundError({ repoId: ctx.repoId, file, revision, kind: 'not-cached', detail: `cache folder ${cache.folder}` });
  }

  let meta: FileMeta;
  try {
    meta = await headFile(ctx, file, revision, atCommit ?? revision);
  } catch (e) {
    // Hub unreachable while checking for updates: use the cached copy, as huggingface_hub does.
    if (e instanceof HubDownloadError && e.status === undefined && cachedCommit !== undefined && !opts.forceDownload) {
      const pointer = cache.pointerPath(cachedCommit, file);
      if (await pathExists(pointer)) return { path: pointer, commit: cachedCommit, snapshotDir: cache.snapshotDir(cachedCommit), fromCache: true };
    }
    throw e;
  }
  await cache.writeRef(revision, meta.commit);
  const pointer = cache.pointerPath(meta.commit, file);
  const result = { path: pointer, commit: meta.commit, snapshotDir: cache.snapshotDir(meta.commit), fromCache: false };
  if (!opts.forceDownload && (await pathExists(pointer))) return result;

  const blob = cache.blobPath(meta.etag);
  if (opts.forceDownload || !(await pathExists(blob))) {
    let job = inFlight.get(blob);
    if (!job) {
      job = downloadBlob(ctx, file, meta, blob).finally(() => inFlight.delete(blob));
      inFlight.set(blob, job);
    }
    await job;
  }
  await cache.link(blob, pointer);
  return result;
}

/** What `HEAD .../resolve/...` tells about a file. */
interface FileMeta {
  commit: string;
  etag: string;
  size: number | undefined;
  /** Where to GET the bytes (the Hub URL or an absolute redirect target). */
  location: string;
}

function encodePath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function authHeaders(ctx: Ctx, url: string): Record<string, string> {
  if (!ctx.token) return {};
  // The token goes to the Hub only, never to a CDN it redirects to (as huggingface_hub does).
  return new URL(url).origin === new URL(ctx.hubUrl).origin ? { authorization: `Bearer ${ctx.token}` } : {};
}

/** `W/"abc"` → `abc`, as `huggingface_hub`'s `_normalize_etag`. */
function normalizeEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"+|"+$/g, '');
}

async function request(ctx: Ctx, url: string, init: RequestInit): Promise<Response> {
  try {
    return await ctx.fetch(url, { ...init, signal: ctx.opts.signal });
  } catch (e) {
    if (ctx.opts.signal?.aborted) throw e;
    throw new HubDownloadError(`cannot reach the Hub (${e instanceof Error ? e.message : String(e)}); set HF_HUB_OFFLINE=1 or pass offline: true to use the cache only`, url, undefined, {
      cause: e,
    });
  }
}

async function headFile(ctx: Ctx, file: string, revision: string, requestRevision: string): Promise<FileMeta> {
  const prefix = ctx.repoType === 'model' ? '' : `${ctx.repoType}s/`;
  let url = `${ctx.hubUrl}/${prefix}${ctx.repoId}/resolve/${encodeURIComponent(requestRevision)}/${encodePath(file)}`;
  for (let hop = 0; ; hop++) {
    const res = await request(ctx, url, { method: 'HEAD', redirect: 'manual', headers: { 'accept-encoding': 'identity', ...authHeaders(ctx, url) } });
    await res.body?.cancel();
    const location = res.headers.get('location');
    const isRedirect = res.status >= 300 && res.status < 400 && location !== null;
    // Relative redirects stay on the Hub (renamed repositories): follow them, as huggingface_hub does.
    if (isRedirect && !/^[a-z][a-z0-9+.-]*:/i.test(location) && !location.startsWith('//')) {
      if (hop >= 10) throw new HubDownloadError('too many redirects', url, res.status);
      url = new URL(location, url).href;
      continue;
    }
    if (!res.ok && !isRedirect) throw await statusError(ctx, res, url, file, revision);
    const commit = res.headers.get('x-repo-commit');
    const etagRaw = res.headers.get('x-linked-etag') ?? res.headers.get('etag');
    const sizeRaw = res.headers.get('x-linked-size') ?? res.headers.get('content-length');
    if (!commit || !isCommitHash(commit)) {
      throw new HubDownloadError('the server did not send a valid X-Repo-Commit header: is hubUrl a Hugging Face Hub endpoint?', url, res.status);
    }
    if (!etagRaw) throw new HubDownloadError('the server did not send an ETag', url, res.status);
    const etag = normalizeEtag(etagRaw);
    if (!/^[A-Za-z0-9._-]+$/.test(etag) || etag.startsWith('.')) throw new HubDownloadError(`unusable ETag "${etagRaw}"`, url, res.status);
    const size = sizeRaw !== null && /^\d+$/.test(sizeRaw) ? Number(sizeRaw) : undefined;
    return { commit, etag, size, location: isRedirect ? new URL(location, url).href : url };
  }
}

async function statusError(ctx: Ctx, res: Response, url: string, file: string, revision: string): Promise<Error> {
  const code = res.headers.get('x-error-code');
  const error = hubStatusError({ repoId: ctx.repoId, file, revision, url, status: res.status, code, message: res.headers.get('x-error-message') });
  if (error instanceof HubNotFoundError && error.kind === 'file') {
    const commit = res.headers.get('x-repo-commit');
    // Remember the 404 at this commit (huggingface_hub's `.no_exist`), so optional files cost no request next time.
    if (commit && isCommitHash(commit)) {
      await ctx.cache.writeRef(revision, commit);
      await ctx.cache.markMissing(commit, file);
    }
  }
  return error;
}

/** Thrown inside {@link downloadBlob} for errors that a retry cannot fix. */
class Fatal extends Error {
  constructor(readonly error: Error) {
    super(error.message);
  }
}

async function downloadBlob(ctx: Ctx, file: string, meta: FileMeta, blob: string): Promise<void> {
  const { opts } = ctx;
  const incomplete = `${blob}.incomplete`;
  await fs.mkdir(path.dirname(blob), { recursive: true });
  if (opts.forceDownload) await fs.rm(incomplete, { force: true });
  const maxRetries = opts.maxRetries ?? 5;
  let delay = opts.retryDelayMs ?? 500;
  let lastError: unknown;
  for (let attempt = 0; ; attempt++) {
    const have = await fileSize(incomplete);
    if (meta.size !== undefined && have > meta.size) await fs.rm(incomplete, { force: true });
    else if (meta.size !== undefined && have === meta.size && have > 0) break;
    try {
      const complete = await getInto(ctx, file, meta, incomplete);
      if (complete) break;
      lastError = undefined;
    } catch (e) {
      if (e instanceof Fatal) throw e.error;
      if (opts.signal?.aborted) throw e;
      lastError = e;
    }
    if (attempt >= maxRetries) {
      const now = await fileSize(incomplete);
      throw new HubDownloadError(
        `download of "${file}" from "${ctx.repoId}" stopped at ${now}${meta.size !== undefined ? ` of ${meta.size}` : ''} bytes after ${attempt + 1} attempts; the partial file ${incomplete} is kept and the next call resumes it`,
        meta.location,
        undefined,
        { cause: lastError },
      );
    }
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 8000);
  }
  await verify(ctx, file, meta, incomplete);
  await fs.rename(incomplete, blob);
}

/**
 * One GET into the `.incomplete` file, resuming from its current size. Returns `true` when the
 * file is complete (the announced size, or the end of a body of unknown length).
 */
async function getInto(ctx: Ctx, file: string, meta: FileMeta, incomplete: string): Promise<boolean> {
  let have = await fileSize(incomplete);
  const url = meta.location;
  const headers: Record<string, string> = { 'accept-encoding': 'identity', ...authHeaders(ctx, url) };
  if (have > 0) headers.range = `bytes=${have}-`;
  const res = await request(ctx, url, { method: 'GET', redirect: 'follow', headers });
  if (res.status === 416 && have > 0) {
    await res.body?.cancel();
    // Range not satisfiable: the partial file is not a prefix of this blob; start over.
    await fs.rm(incomplete, { force: true });
    return false;
  }
  if (!res.ok) {
    await res.body?.cancel();
    const err = new HubDownloadError(`GET "${file}" of "${ctx.repoId}" failed`, url, res.status);
    // 408, 429 and 5xx may pass; other errors will not.
    if (res.status === 408 || res.status === 429 || res.status >= 500) throw err;
    throw new Fatal(res.status === 404 ? new HubNotFoundError({ repoId: ctx.repoId, file, revision: meta.commit, kind: 'file', detail: `GET ${url}: HTTP 404` }) : err);
  }
  if (have > 0) {
    const start = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1];
    if (res.status !== 206 || Number(start) !== have) have = 0; // server ignored the Range: take the whole body
  }
  if (!res.body) throw new HubDownloadError('empty response body', url, res.status);
  const fh = await fs.open(incomplete, have > 0 ? 'a' : 'w');
  let loaded = have;
  let ended = false;
  try {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await fh.write(value);
        loaded += value.byteLength;
        if (meta.size !== undefined && loaded > meta.size) {
          await reader.cancel();
          break;
        }
        ctx.opts.onProgress?.({ repoId: ctx.repoId, file, loaded, total: meta.size });
      }
      ended = true;
    } finally {
      reader.releaseLock();
    }
  } finally {
    await fh.sync().catch(() => undefined);
    await fh.close();
  }
  if (meta.size !== undefined && loaded > meta.size) {
    await fs.rm(incomplete, { force: true });
    throw new Fatal(new HubIntegrityError(`${ctx.repoId}/${file}`, 'size', String(meta.size), `more than ${meta.size} bytes`));
  }
  return meta.size === undefined ? ended : loaded === meta.size;
}

async function hashFile(p: string, algorithm: 'sha256' | 'sha1', prefix?: string): Promise<string> {
  const h = createHash(algorithm);
  if (prefix !== undefined) h.update(prefix);
  for await (const chunk of createReadStream(p)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function verify(ctx: Ctx, file: string, meta: FileMeta, incomplete: string): Promise<void> {
  const name = `${ctx.repoId}/${file}`;
  const size = await fileSize(incomplete);
  const fail = async (e: HubIntegrityError): Promise<never> => {
    await fs.rm(incomplete, { force: true });
    throw e;
  };
  if (meta.size !== undefined && size !== meta.size) await fail(new HubIntegrityError(name, 'size', String(meta.size), String(size)));
  if (ctx.opts.verify === false) return;
  if (/^[0-9a-f]{64}$/.test(meta.etag)) {
    const actual = await hashFile(incomplete, 'sha256');
    if (actual !== meta.etag) await fail(new HubIntegrityError(name, 'sha256', meta.etag, actual));
  } else if (/^[0-9a-f]{40}$/.test(meta.etag)) {
    // Files outside LFS carry their git blob id: sha1("blob <size>\0" + content).
    const actual = await hashFile(incomplete, 'sha1', `blob ${size}\0`);
    if (actual !== meta.etag) await fail(new HubIntegrityError(name, 'git-sha1', meta.etag, actual));
  }
}

/**
 * Downloads the first of `candidates` that exists (e.g. `adapter.safetensors`, then
 * `pytorch_adapter.bin`). Returns `undefined` when none exists and `optional` is set.
 *
 * @throws {@link HubNotFoundError} naming every candidate when none exists and `optional` is not set.
 */
export async function downloadFirstAvailable(
  repoId: string,
  candidates: readonly string[],
  opts: DownloadOptions & { optional?: boolean } = {},
): Promise<DownloadedFile | undefined> {
  const revision = opts.revision ?? 'main';
  for (const file of candidates) {
    try {
      return await downloadRepoFile(repoId, file, opts);
    } catch (e) {
      if (e instanceof HubNotFoundError && (e.kind === 'file' || e.kind === 'not-cached')) continue;
      throw e;
    }
  }
  if (opts.optional) return undefined;
  const offline = opts.offline ?? isOfflineFromEnv();
  throw new HubNotFoundError({
    repoId,
    file: candidates.join(' | '),
    revision,
    kind: offline ? 'not-cached' : 'file',
    detail: `none of ${candidates.map((c) => `"${c}"`).join(', ')} exists`,
  });
}

/** Reads a downloaded JSON file; throws `AdapterFormatError` naming the file when it is not valid JSON. */
export async function readJsonFile(p: string): Promise<unknown> {
  const text = await fs.readFile(p, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new AdapterFormatError(p, `invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}
