/** The typed error for a failed Hub `resolve` request (environment-free: Node downloads and browser reads share it). */
import { HubDownloadError, HubNotFoundError } from './errors';

/** What a failed `…/resolve/<revision>/<file>` answer tells. */
export interface HubFailure {
  repoId: string;
  file: string;
  revision: string;
  url: string;
  status: number;
  /** The `X-Error-Code` header (`RepoNotFound`, `RevisionNotFound`, `EntryNotFound`, `GatedRepo`), if sent. */
  code: string | null;
  /** The `X-Error-Message` header, if sent. */
  message: string | null;
}

/**
 * Maps a failed answer to {@link HubNotFoundError} (`repo` for `RepoNotFound` or a bare 401,
 * `revision`, `file` for `EntryNotFound` or a 404) or {@link HubDownloadError} (gated
 * repositories and every other status), as `huggingface_hub` does.
 */
export function hubStatusError(f: HubFailure): HubNotFoundError | HubDownloadError {
  const base = { repoId: f.repoId, file: f.file, revision: f.revision, detail: `HTTP ${f.status}` };
  if (f.code === 'RepoNotFound' || (f.status === 401 && f.code === null)) return new HubNotFoundError({ ...base, kind: 'repo' });
  if (f.code === 'RevisionNotFound') return new HubNotFoundError({ ...base, kind: 'revision' });
  if (f.code === 'EntryNotFound' || f.status === 404) return new HubNotFoundError({ ...base, kind: 'file' });
  if (f.code === 'GatedRepo') return new HubDownloadError(`"${f.repoId}" is gated: accept its conditions on the Hub and pass a token`, f.url, f.status);
  return new HubDownloadError(`the Hub refused "${f.file}" of "${f.repoId}"${f.message ? `: ${f.message}` : ''}`, f.url, f.status);
}
