import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Storage } from '../storage';

/**
 * {@link Storage} on Node's file system. Writes go to a temporary file in the same folder,
 * are flushed (fsync) and renamed over the target, and the folder is flushed, so a crash
 * mid-write leaves the old file intact and successive writes land in order.
 */
export class NodeFsStorage implements Storage {
  async readFile(p: string): Promise<Uint8Array> {
    return new Uint8Array(await fs.readFile(p));
  }
  async writeFile(p: string, data: Uint8Array): Promise<void> {
    await fs.mkdir(path.dirname(p), { recursive: true });
    const tmp = path.join(path.dirname(p), `.${path.basename(p)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await fs.rename(tmp, p);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    await syncDir(path.dirname(p));
  }
  async exists(p: string): Promise<boolean> {
    try {
      await fs.access(p);
      return true;
    } catch {
      return false;
    }
  }
  async mkdir(p: string): Promise<void> {
    await fs.mkdir(p, { recursive: true });
  }
  async list(p: string): Promise<string[]> {
    return fs.readdir(p);
  }
}

/**
 * Flushes a folder's entries (the rename) to disk, so that after a power loss the renames of
 * successive writes are not reordered (crash-consistent pairs rely on their order). Folders cannot
 * be opened on Windows: there this is a no-op.
 */
async function syncDir(dir: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    fh = await fs.open(dir, 'r');
    await fh.sync();
  } catch {
    // not supported on this platform / file system
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** A shared {@link NodeFsStorage}. */
export const nodeStorage: Storage = new NodeFsStorage();
