/**
 * A {@link Storage} over `Blob`s and `File`s (browser-safe): files the user picked
 * (`<input type="file" multiple>` or a folder with `webkitdirectory`), dropped or received, and
 * files written here, ready to be offered as downloads.
 */
import { NotFoundError } from '../errors';
import type { Storage } from '../storage';
import { normalizePath } from './paths';

/** A `File` as far as {@link BlobStorage.fromFiles} needs it. */
export interface FileLike extends Blob {
  readonly name: string;
  /** Set by folder pickers (`webkitdirectory`): the path below the picked folder, including it. */
  readonly webkitRelativePath?: string;
}

/** Options of {@link BlobStorage.fromFiles}. */
export interface FromFilesOptions {
  /** Folder to place the files in (default: the root). */
  dir?: string;
  /** Keep `webkitRelativePath` (folder picks) instead of the bare file name. Default true. */
  keepRelativePaths?: boolean;
}

/**
 * In-memory storage of `Blob`s: reading a file reads its blob (`arrayBuffer()`), writing stores a
 * new blob. Picked `File`s are not read until needed.
 *
 * @example
 * ```ts
 * const storage = BlobStorage.fromFiles(input.files!, { dir: 'upload' });
 * await loadAdapter(model, storage, 'upload', { setActive: true });
 * const url = URL.createObjectURL(storage.blob('out/adapter_config.json'));
 * ```
 */
export class BlobStorage implements Storage {
  /** Blobs by normalised path. */
  readonly files = new Map<string, Blob>();

  constructor(entries: Iterable<readonly [string, Blob]> = []) {
    for (const [p, b] of entries) this.files.set(normalizePath(p), b);
  }

  /**
   * A storage holding `files` under `dir`: each at its `webkitRelativePath` (folder picks) or name.
   */
  static fromFiles(files: Iterable<FileLike> | ArrayLike<FileLike>, opts: FromFilesOptions = {}): BlobStorage {
    const list = Array.from(files as ArrayLike<FileLike>);
    const dir = opts.dir ?? '';
    return new BlobStorage(
      list.map((f) => {
        const rel = (opts.keepRelativePaths ?? true) && f.webkitRelativePath ? f.webkitRelativePath : f.name;
        return [dir === '' ? rel : `${dir}/${rel}`, f] as const;
      }),
    );
  }

  /** The blob at `path` (e.g. for `URL.createObjectURL`). Throws {@link NotFoundError}. */
  blob(path: string): Blob {
    const b = this.files.get(normalizePath(path));
    if (!b) throw new NotFoundError(`ENOENT: ${path}`);
    return b;
  }

  async readFile(path: string): Promise<Uint8Array> {
    return new Uint8Array(await this.blob(path).arrayBuffer());
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    // Blob copies the bytes: later changes to `data` do not reach the stored file.
    this.files.set(normalizePath(path), new Blob([data.slice()]));
  }

  async exists(path: string): Promise<boolean> {
    const p = normalizePath(path);
    if (p === '' || this.files.has(p)) return true;
    for (const k of this.files.keys()) if (k.startsWith(`${p}/`)) return true;
    return false;
  }

  async mkdir(): Promise<void> {}

  async list(path: string): Promise<string[]> {
    const p = normalizePath(path);
    const prefix = p === '' ? '' : `${p}/`;
    const out = new Set<string>();
    for (const k of this.files.keys()) if (k.startsWith(prefix)) out.add(k.slice(prefix.length).split('/')[0]!);
    return [...out];
  }
}
