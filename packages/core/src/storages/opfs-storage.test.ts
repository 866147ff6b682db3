import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../errors';
import { OpfsStorage, type OpfsDirectoryHandle, type OpfsFileHandle, type OpfsSyncAccessHandle, type OpfsWritable } from './opfs-storage';

function domError(name: string): Error {
  return Object.assign(new Error(`${name} (fake)`), { name });
}

/** An in-memory stand-in for OPFS handles, with the browser's error names. */
class FakeFile implements OpfsFileHandle {
  readonly kind = 'file' as const;
  data = new Uint8Array(0);
  failNextWrite = false;
  constructor(
    public name: string,
    private parentDir: FakeDir,
    private caps: { writable: boolean; sync: boolean; move: boolean },
  ) {
    if (!caps.writable) delete (this as Partial<FakeFile>).createWritable;
    if (!caps.sync) delete (this as Partial<FakeFile>).createSyncAccessHandle;
    if (!caps.move) delete (this as Partial<FakeFile>).move;
  }
  async getFile(): Promise<Blob> {
    return new Blob([this.data.slice()]);
  }
  createWritable? = async (): Promise<OpfsWritable> => {
    // Like browsers: writes go to a swap buffer that replaces the file on close.
    let swap = new Uint8Array(0);
    return {
      write: async (d) => {
        if (this.failNextWrite) {
          this.failNextWrite = false;
          throw domError('QuotaExceededError');
        }
        swap = d.slice();
      },
      close: async () => {
        this.data = swap;
      },
      abort: async () => undefined,
    };
  };
  createSyncAccessHandle? = async (): Promise<OpfsSyncAccessHandle> => ({
    truncate: (n) => {
      this.data = this.data.slice(0, n);
    },
    write: (d, o) => {
      const at = o?.at ?? 0;
      const out = new Uint8Array(Math.max(this.data.length, at + d.length));
      out.set(this.data);
      out.set(d, at);
      this.data = out;
      return d.length;
    },
    flush: () => undefined,
    close: () => undefined,
  });
  move? = async (dir: OpfsDirectoryHandle, name: string): Promise<void> => {
    const target = dir as FakeDir;
    this.parentDir.entries.delete(this.name);
    this.name = name;
    this.parentDir = target;
    target.entries.set(name, this);
  };
}

class FakeDir implements OpfsDirectoryHandle {
  readonly kind = 'directory' as const;
  readonly entries = new Map<string, FakeDir | FakeFile>();
  constructor(
    readonly name: string,
    readonly caps = { writable: true, sync: true, move: true },
  ) {}
  async getDirectoryHandle(name: string, o?: { create?: boolean }): Promise<OpfsDirectoryHandle> {
    const e = this.entries.get(name);
    if (e instanceof FakeDir) return e;
    if (e) throw domError('TypeMismatchError');
    if (!o?.create) throw domError('NotFoundError');
    const d = new FakeDir(name, this.caps);
    this.entries.set(name, d);
    return d;
  }
  async getFileHandle(name: string, o?: { create?: boolean }): Promise<OpfsFileHandle> {
    const e = this.entries.get(name);
    if (e instanceof FakeFile) return e;
    if (e) throw domError('TypeMismatchError');
    if (!o?.create) throw domError('NotFoundError');
    const f = new FakeFile(name, this, this.caps);
    this.entries.set(name, f);
    return f;
  }
  async removeEntry(name: string): Promise<void> {
    if (!this.entries.delete(name)) throw domError('NotFoundError');
  }
  async *keys(): AsyncIterable<string> {
    yield* this.entries.keys();
  }
}

// Compile-time check: the browser's own handle type is accepted (typecheck of this file fails otherwise).
export const acceptsDomHandle = (h: FileSystemDirectoryHandle): OpfsStorage => new OpfsStorage(h);

describe('OpfsStorage', () => {
  it('writes, reads, lists and checks existence along nested folders', async () => {
    const root = new FakeDir('');
    const s = new OpfsStorage(root);
    await s.writeFile('a/b/c.bin', new Uint8Array([1, 2]));
    await s.mkdir('a/empty');
    expect(Array.from(await s.readFile('/a//b/c.bin'))).toEqual([1, 2]);
    expect(await s.exists('a/b')).toBe(true);
    expect(await s.exists('a/b/c.bin')).toBe(true);
    expect(await s.exists('a/x/c.bin')).toBe(false);
    expect(await s.exists('')).toBe(true);
    expect((await s.list('a')).sort()).toEqual(['b', 'empty']);
    await expect(s.list('nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(s.readFile('a/b/missing')).rejects.toThrow(/ENOENT: a\/b\/missing/);
    await expect(s.readFile('zz/missing')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps the old file when a write fails (createWritable swap file)', async () => {
    const root = new FakeDir('');
    const s = new OpfsStorage(root);
    await s.writeFile('f', new Uint8Array([7]));
    (root.entries.get('f') as FakeFile).failNextWrite = true;
    await expect(s.writeFile('f', new Uint8Array([8, 8]))).rejects.toThrow(/QuotaExceeded/);
    expect(Array.from(await s.readFile('f'))).toEqual([7]);
  });

  it('falls back to a sync access handle on a temporary file moved over the target', async () => {
    const root = new FakeDir('', { writable: false, sync: true, move: true });
    const s = new OpfsStorage(root);
    await s.writeFile('d/f', new Uint8Array([1, 2, 3]));
    await s.writeFile('d/f', new Uint8Array([4]));
    expect(Array.from(await s.readFile('d/f'))).toEqual([4]);
    expect(await s.list('d')).toEqual(['f']);
  });

  it('writes in place with a sync access handle when move is missing', async () => {
    const s = new OpfsStorage(new FakeDir('', { writable: false, sync: true, move: false }));
    await s.writeFile('f', new Uint8Array([1, 2, 3]));
    await s.writeFile('f', new Uint8Array([4]));
    expect(Array.from(await s.readFile('f'))).toEqual([4]);
  });

  it('open() uses navigator.storage.getDirectory and creates the subfolder', async () => {
    const root = new FakeDir('');
    const g = globalThis as { navigator?: unknown };
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { value: { storage: { getDirectory: async () => root } }, configurable: true });
    try {
      const s = await OpfsStorage.open('apps/demo');
      await s.writeFile('x', new Uint8Array([5]));
      expect(((root.entries.get('apps') as FakeDir).entries.get('demo') as FakeDir).entries.has('x')).toBe(true);
      Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
      await expect(OpfsStorage.open()).rejects.toThrow(/Origin Private File System/);
    } finally {
      if (saved) Object.defineProperty(globalThis, 'navigator', saved);
      else delete g.navigator;
    }
  });
});
