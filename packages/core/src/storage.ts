/**
 * File access used by save/load, so the same code runs on Node's fs, in browsers (OPFS, memory,
 * fetch) and in tests. Paths are '/'-separated.
 */
export interface Storage {
  readFile(path: string): Promise<Uint8Array>;
  /** Writes atomically: the old file stays intact until the new one is complete. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Creates a directory and its parents. */
  mkdir(path: string): Promise<void>;
  /** File names directly inside a directory. */
  list?(path: string): Promise<string[]>;
}

/** Joins path segments with '/'. */
export function joinPath(...parts: string[]): string {
  return parts
    .filter((p) => p !== '')
    .join('/')
    .replace(/\/+/g, '/');
}

/** An in-memory {@link Storage} (browser fallback and tests). */
export class MemoryStorage implements Storage {
  readonly files = new Map<string, Uint8Array>();
  async readFile(path: string): Promise<Uint8Array> {
    const f = this.files.get(norm(path));
    if (!f) throw new Error(`ENOENT: ${path}`);
    return f;
  }
  async writeFile(path: string, data: Uint8Array): Promise<void> {
    this.files.set(norm(path), data.slice());
  }
  async exists(path: string): Promise<boolean> {
    const p = norm(path);
    if (this.files.has(p)) return true;
    for (const k of this.files.keys()) if (k.startsWith(`${p}/`)) return true;
    return false;
  }
  async mkdir(): Promise<void> {}
  async list(path: string): Promise<string[]> {
    const p = `${norm(path)}/`;
    const out = new Set<string>();
    for (const k of this.files.keys()) if (k.startsWith(p)) out.add(k.slice(p.length).split('/')[0]!);
    return [...out];
  }
}

function norm(p: string): string {
  return p.replace(/\/+/g, '/').replace(/\/$/, '');
}

/** UTF-8 encode. */
export const utf8 = {
  encode: (s: string): Uint8Array => new TextEncoder().encode(s),
  decode: (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(b),
};
