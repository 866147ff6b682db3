/**
 * The `huggingface_hub` cache layout (shared with Python and with `@huggingface/hub`):
 *
 * ```text
 * <cache>/models--<org>--<name>/
 *   blobs/<etag>                      file contents, named by ETag (sha256 for LFS, git-sha1 otherwise)
 *   blobs/<etag>.incomplete           a download in progress (resumed with a Range request)
 *   refs/<revision>                   the commit hash a branch or tag pointed to when last resolved
 *   snapshots/<commit>/<file>         relative symlink to ../../blobs/<etag> (a copy where symlinks fail)
 *   .no_exist/<commit>/<file>         empty marker: the Hub answered 404 for this file at this commit
 * ```
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AdaptersError } from '@adapters/core';
import { getHFHubCachePath, getRepoFolderName, REGEX_COMMIT_HASH } from '@huggingface/hub';

/** Repository kinds of the Hub. */
export type RepoType = 'model' | 'dataset' | 'space';

/**
 * The default cache folder, as in Python's `huggingface_hub`: `$HF_HUB_CACHE`, else
 * `$HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else
 * `~/.cache/huggingface/hub`.
 */
export function defaultCacheDir(): string {
  return getHFHubCachePath();
}

/** Whether `HF_HUB_OFFLINE` asks for offline mode (`1`, `ON`, `YES` or `TRUE`, any case). */
export function isOfflineFromEnv(): boolean {
  const v = process.env.HF_HUB_OFFLINE;
  return v !== undefined && ['1', 'on', 'yes', 'true'].includes(v.trim().toLowerCase());
}

/** Whether `s` is a full 40-character lowercase hexadecimal commit hash. */
export function isCommitHash(s: string): boolean {
  return REGEX_COMMIT_HASH.test(s);
}

/** The cache folder of one repository, e.g. `<cache>/models--AdapterHub--roberta-base-pf-imdb`. */
export function repoCacheFolder(repoId: string, opts: { cacheDir?: string; repoType?: RepoType } = {}): string {
  return path.join(opts.cacheDir ?? defaultCacheDir(), getRepoFolderName({ name: repoId, type: opts.repoType ?? 'model' }));
}

/**
 * Rejects a repository file name that could escape the cache folder once joined to it (absolute,
 * drive-relative, UNC or `..` paths), as `huggingface_hub` does.
 */
export function validateRepoFilename(file: string): void {
  const parts = file.replace(/\\/g, '/').split('/');
  const bad =
    file.length === 0 ||
    parts.includes('..') ||
    parts.includes('') ||
    [file, ...parts].some((p) => p.startsWith('/') || p.startsWith('\\') || /^[a-zA-Z]:/.test(p));
  if (bad) throw new AdaptersError(`invalid repository file name "${file}": must be a relative path without "..", empty or absolute parts`);
}

/** Rejects a branch or tag name that would escape `refs/` (`refs/pr/1` stays allowed). */
function validateRefName(revision: string): void {
  const parts = revision.split('/');
  if (revision.length === 0 || parts.includes('..') || parts.includes('.') || parts.includes('') || revision.includes('\\')) {
    throw new AdaptersError(`invalid revision "${revision}"`);
  }
}

/** Paths inside one repository's cache folder, and the few writes the cache needs. */
export class RepoCache {
  /** @param folder The repository's cache folder, e.g. from {@link repoCacheFolder}. */
  constructor(readonly folder: string) {}

  /** `refs/<revision>` (a branch or tag name; `refs/pr/1` nests). */
  refPath(revision: string): string {
    validateRefName(revision);
    return path.join(this.folder, 'refs', ...revision.split('/'));
  }
  /** `snapshots/<commit>`. */
  snapshotDir(commit: string): string {
    return path.join(this.folder, 'snapshots', commit);
  }
  /** `snapshots/<commit>/<file>`. */
  pointerPath(commit: string, file: string): string {
    return path.join(this.snapshotDir(commit), ...file.split('/'));
  }
  /** `blobs/<etag>`. */
  blobPath(etag: string): string {
    return path.join(this.folder, 'blobs', etag);
  }
  /** `.no_exist/<commit>/<file>`. */
  noExistPath(commit: string, file: string): string {
    return path.join(this.folder, '.no_exist', commit, ...file.split('/'));
  }

  /** The commit a revision resolves to from the cache alone: itself if a hash, else `refs/<revision>`. */
  async resolveCommit(revision: string): Promise<string | undefined> {
    if (isCommitHash(revision)) return revision;
    try {
      const commit = (await fs.readFile(this.refPath(revision), 'utf8')).trim();
      return isCommitHash(commit) ? commit : undefined;
    } catch {
      return undefined;
    }
  }

  /** Records `refs/<revision>` = commit (atomically). Commit hashes are not recorded, as in Python. */
  async writeRef(revision: string, commit: string): Promise<void> {
    if (isCommitHash(revision)) return;
    const p = this.refPath(revision);
    let current: string | undefined;
    try {
      current = (await fs.readFile(p, 'utf8')).trim();
    } catch {
      current = undefined;
    }
    if (current === commit) return;
    await fs.mkdir(path.dirname(p), { recursive: true });
    const tmp = `${p}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fs.writeFile(tmp, commit);
    await fs.rename(tmp, p);
  }

  /** Writes the `.no_exist` marker of a file the Hub reported missing at `commit`. */
  async markMissing(commit: string, file: string): Promise<void> {
    const p = this.noExistPath(commit, file);
    await fs.mkdir(path.dirname(p), { recursive: true });
    await fs.writeFile(p, '');
  }

  /**
   * Points `snapshots/<commit>/<file>` at the blob with a relative symlink, replacing what was
   * there; copies the blob where symlinks are not permitted (e.g. Windows without developer mode).
   */
  async link(blob: string, pointer: string): Promise<void> {
    await fs.mkdir(path.dirname(pointer), { recursive: true });
    const tmp = `${pointer}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await fs.symlink(path.relative(path.dirname(pointer), blob), tmp);
    } catch {
      await fs.copyFile(blob, tmp);
    }
    await fs.rename(tmp, pointer);
  }
}

/** Whether a path exists; follows symlinks (a dangling snapshot link counts as missing). */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Size of a file in bytes, or 0 when it does not exist. */
export async function fileSize(p: string): Promise<number> {
  try {
    return (await fs.stat(p)).size;
  } catch {
    return 0;
  }
}
