/**
 * A {@link Storage} on the Origin Private File System (browser-safe): persistent, per-origin files
 * from `navigator.storage.getDirectory()`, available in windows and workers.
 */
import { AdaptersError, NotFoundError } from '../errors';
import type { Storage } from '../storage';
import { pathSegments } from './paths';

/** The writable stream of `FileSystemFileHandle.createWritable()`. */
export interface OpfsWritable {
  write(data: Uint8Array<ArrayBuffer>): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}

/** `FileSystemSyncAccessHandle` (workers only), used where `createWritable` is missing (Safari). */
export interface OpfsSyncAccessHandle {
  truncate(size: number): void;
  write(data: Uint8Array<ArrayBuffer>, options?: { at?: number }): number;
  flush(): void;
  close(): void;
}

/** The part of `FileSystemFileHandle` that {@link OpfsStorage} uses. */
export interface OpfsFileHandle {
  readonly kind: 'file';
  readonly name: string;
  getFile(): Promise<Blob>;
  createWritable?(options?: { keepExistingData?: boolean }): Promise<OpfsWritable>;
  createSyncAccessHandle?(): Promise<OpfsSyncAccessHandle>;
  move?(parent: OpfsDirectoryHandle, name: string): Promise<void>;
}

/** The part of `FileSystemDirectoryHandle` that {@link OpfsStorage} uses. */
export interface OpfsDirectoryHandle {
  readonly kind: 'directory';
  readonly name: string;
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<OpfsDirectoryHandle>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<OpfsFileHandle>;
  removeEntry(name: string, options?: { recursive?: boolean }): Promise<void>;
  /** Entry names (async iteration; TypeScript's DOM typings declare it only with `DOM.AsyncIterable`). */
  keys?(): AsyncIterable<string>;
}

function isMissing(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'NotFoundError' || name === 'TypeMismatchError';
}

/**
 * Files under a directory handle of the Origin Private File System. Writes are atomic where the
 * browser offers `createWritable` (the data goes to a swap file that replaces the target on
 * `close`); with only sync access handles (Safari workers) the data is written to a temporary file
 * and moved over the target when `move` exists, else written in place.
 *
 * @example
 * ```ts
 * const storage = await OpfsStorage.open('adapters');
 * await saveAdapter(model, storage, 'sentiment', 'sentiment');
 * ```
 */
export class OpfsStorage implements Storage {
  readonly root: OpfsDirectoryHandle;

  constructor(root: OpfsDirectoryHandle) {
    this.root = root;
  }

  /** Opens (creating) `subdir` of the origin's private file system. */
  static async open(subdir = ''): Promise<OpfsStorage> {
    const storage = (globalThis as unknown as { navigator?: { storage?: { getDirectory?: () => Promise<OpfsDirectoryHandle> } } }).navigator?.storage;
    if (typeof storage?.getDirectory !== 'function') {
      throw new AdaptersError('the Origin Private File System is not available here (navigator.storage.getDirectory)');
    }
    let dir = await storage.getDirectory();
    for (const s of pathSegments(subdir)) dir = await dir.getDirectoryHandle(s, { create: true });
    return new OpfsStorage(dir);
  }

  /** The directory at `segments`; `null` when missing (or `create` makes it). */
  private async dir(segments: readonly string[], create: boolean): Promise<OpfsDirectoryHandle | null> {
    let d = this.root;
    for (const s of segments) {
      try {
        d = await d.getDirectoryHandle(s, { create });
      } catch (e) {
        if (!create && isMissing(e)) return null;
        throw e;
      }
    }
    return d;
  }

  /** The parent directory and file name of `path`. */
  private async parent(path: string, create: boolean): Promise<{ dir: OpfsDirectoryHandle | null; name: string }> {
    const segs = pathSegments(path);
    const name = segs.pop();
    if (name === undefined) throw new AdaptersError(`'${path}' is not a file path`);
    return { dir: await this.dir(segs, create), name };
  }

  async readFile(path: string): Promise<Uint8Array> {
    const { dir, name } = await this.parent(path, false);
    let handle: OpfsFileHandle;
    try {
      if (dir === null) throw new NotFoundError(`ENOENT: ${path}`);
      handle = await dir.getFileHandle(name);
    } catch (e) {
      if (e instanceof NotFoundError || isMissing(e)) throw new NotFoundError(`ENOENT: ${path}`);
      throw e;
    }
    return new Uint8Array(await (await handle.getFile()).arrayBuffer());
  }

  async writeFile(path: string, bytes: Uint8Array): Promise<void> {
    // The DOM write methods take ArrayBuffer-backed views (copy a SharedArrayBuffer-backed one).
    const data = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
    const { dir, name } = await this.parent(path, true);
    const target = await dir!.getFileHandle(name, { create: true });
    if (target.createWritable) {
      const w = await target.createWritable({ keepExistingData: false });
      try {
        await w.write(data);
      } catch (e) {
        await w.abort(e).catch(() => undefined);
        throw e;
      }
      await w.close();
      return;
    }
    if (!target.createSyncAccessHandle) throw new AdaptersError(`${path}: this browser cannot write OPFS files here (no createWritable or sync access handle)`);
    const tmpName = `.${name}.tmp`;
    const tmp = target.move ? await dir!.getFileHandle(tmpName, { create: true }) : target;
    const h = await tmp.createSyncAccessHandle!();
    try {
      h.truncate(0);
      h.write(data, { at: 0 });
      h.flush();
    } finally {
      h.close();
    }
    if (tmp !== target) await tmp.move!(dir!, name);
  }

  async exists(path: string): Promise<boolean> {
    const segs = pathSegments(path);
    if (segs.length === 0) return true;
    const name = segs.pop()!;
    const dir = await this.dir(segs, false);
    if (dir === null) return false;
    for (const probe of [() => dir.getFileHandle(name), () => dir.getDirectoryHandle(name)]) {
      try {
        await probe();
        return true;
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
    }
    return false;
  }

  async mkdir(path: string): Promise<void> {
    await this.dir(pathSegments(path), true);
  }

  async list(path: string): Promise<string[]> {
    const dir = await this.dir(pathSegments(path), false);
    if (dir === null) throw new NotFoundError(`ENOENT: ${path}`);
    if (!dir.keys) throw new AdaptersError(`${path}: this browser cannot list OPFS folders (no FileSystemDirectoryHandle.keys)`);
    const out: string[] = [];
    for await (const k of dir.keys()) if (!/^\..*\.tmp$/.test(k)) out.push(k);
    return out;
  }
}
