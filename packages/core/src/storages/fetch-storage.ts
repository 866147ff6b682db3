/**
 * A read-only {@link Storage} over HTTP(S) `fetch` (browser-safe; works in Node 18+ too): a model
 * folder served statically, or a Hugging Face Hub `resolve/<revision>` URL.
 */
import { AdaptersError, NotFoundError } from '../errors';
import type { Storage } from '../storage';
import { pathSegments } from './paths';

/** The part of a `fetch` `Response` that {@link FetchStorage} reads. */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
  readonly body?: { cancel(): Promise<void> } | null;
}

/** A `fetch` function (the global one, or a wrapper adding auth, caching or progress). */
export type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string>; credentials?: 'omit' | 'same-origin' | 'include' }) => Promise<FetchResponseLike>;

/** Options of {@link FetchStorage}. */
export interface FetchStorageOptions {
  /** Default: `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Request headers (e.g. `Authorization`). */
  headers?: Record<string, string>;
  /** `fetch` credentials mode. */
  credentials?: 'omit' | 'same-origin' | 'include';
  /**
   * Where writes go (e.g. a `MemoryStorage`); reads look there first. Without it the storage is
   * read-only: `writeFile` throws.
   */
  overlay?: Storage;
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Reads files from a URL prefix: `readFile('tiny-bert/config.json')` fetches
 * `<baseUrl>/tiny-bert/config.json` (each path segment URL-encoded). `exists` sends a `HEAD`
 * request (falling back to `GET` where servers refuse `HEAD`). HTTP has no directory listing, so
 * this storage has no `list`.
 *
 * @example
 * ```ts
 * const storage = new FetchStorage('/models');                 // static files next to the app
 * const hub = new FetchStorage('https://huggingface.co/bert-base-uncased/resolve/main');
 * const model = await loadPretrained(storage, 'tiny-bert', { model: bert });
 * ```
 */
export class FetchStorage implements Storage {
  readonly baseUrl: string;
  private readonly options: FetchStorageOptions;

  constructor(baseUrl: string, options: FetchStorageOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.options = options;
  }

  /** The URL `path` is fetched from. */
  url(path: string): string {
    if (ABSOLUTE_URL.test(path)) return path;
    const rel = pathSegments(path).map(encodeURIComponent).join('/');
    return this.baseUrl === '' ? rel : `${this.baseUrl}/${rel}`;
  }

  private fetchFn(): FetchLike {
    const f = this.options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
    if (f === undefined) throw new AdaptersError('FetchStorage: no fetch function (pass options.fetch)');
    return f;
  }

  private request(url: string, method: 'GET' | 'HEAD'): Promise<FetchResponseLike> {
    const init: Parameters<FetchLike>[1] = { method };
    if (this.options.headers) init.headers = this.options.headers;
    if (this.options.credentials) init.credentials = this.options.credentials;
    return this.fetchFn()(url, init);
  }

  async readFile(path: string): Promise<Uint8Array> {
    const overlay = this.options.overlay;
    if (overlay && (await overlay.exists(path))) return overlay.readFile(path);
    const url = this.url(path);
    let res: FetchResponseLike;
    try {
      res = await this.request(url, 'GET');
    } catch (e) {
      throw new AdaptersError(`${path}: fetching ${url} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (res.status === 404 || res.status === 410) throw new NotFoundError(`ENOENT: ${path} (HTTP ${res.status} from ${url})`);
    if (!res.ok) throw new AdaptersError(`${path}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} from ${url}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  async exists(path: string): Promise<boolean> {
    const overlay = this.options.overlay;
    if (overlay && (await overlay.exists(path))) return true;
    const url = this.url(path);
    try {
      let res = await this.request(url, 'HEAD');
      if (res.status === 405 || res.status === 501) {
        res = await this.request(url, 'GET');
        await res.body?.cancel().catch(() => undefined);
      }
      return res.ok;
    } catch {
      return false;
    }
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    if (!this.options.overlay) throw new AdaptersError(`FetchStorage is read-only: cannot write '${path}' (pass an overlay storage)`);
    await this.options.overlay.writeFile(path, data);
  }

  async mkdir(path: string): Promise<void> {
    await this.options.overlay?.mkdir(path);
  }
}
