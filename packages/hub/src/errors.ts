/**
 * Typed errors of @adapters/hub. They extend the @adapters/core error classes so that callers can
 * catch `NotFoundError`, `AdapterFormatError` or `AdaptersError` without importing this package.
 */
import { AdapterFormatError, AdaptersError, NotFoundError } from '@adapters/core';

/**
 * What could not be found:
 * - `repo`: the repository does not exist or is private/gated without a valid token;
 * - `revision`: the branch, tag or commit does not exist;
 * - `file`: the file does not exist at that revision (also when known from a cached 404);
 * - `not-cached`: offline mode is on and the file is not in the local cache.
 */
export type HubNotFoundKind = 'repo' | 'revision' | 'file' | 'not-cached';

/** A repository, revision or file is missing on the Hub, or missing from the cache in offline mode. */
export class HubNotFoundError extends NotFoundError {
  override name = 'HubNotFoundError';
  /** Repository id, e.g. `AdapterHub/roberta-base-pf-imdb`. */
  readonly repoId: string;
  /** File path inside the repository. */
  readonly file: string;
  /** The revision asked for (branch, tag or commit hash). */
  readonly revision: string;
  /** What is missing. */
  readonly kind: HubNotFoundKind;
  constructor(args: { repoId: string; file: string; revision: string; kind: HubNotFoundKind; detail?: string }) {
    const what =
      args.kind === 'repo'
        ? `repository "${args.repoId}" not found (or it is private/gated and no valid token was given)`
        : args.kind === 'revision'
          ? `revision "${args.revision}" not found in "${args.repoId}"`
          : args.kind === 'file'
            ? `file "${args.file}" not found in "${args.repoId}" at revision "${args.revision}"`
            : `file "${args.file}" of "${args.repoId}" at revision "${args.revision}" is not in the local cache and offline mode is on`;
    super(`${what}${args.detail ? ` (${args.detail})` : ''}`);
    this.repoId = args.repoId;
    this.file = args.file;
    this.revision = args.revision;
    this.kind = args.kind;
  }
}

/**
 * A download failed: the Hub answered with an HTTP error, could not be reached, or the transfer kept
 * breaking off (truncated) after all retries. A partial download stays in `blobs/<etag>.incomplete`
 * (never in `snapshots/`) and the next call resumes it.
 */
export class HubDownloadError extends AdaptersError {
  override name = 'HubDownloadError';
  /** The URL requested last. */
  readonly url: string;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  constructor(message: string, url: string, status?: number, options?: { cause?: unknown }) {
    super(`${message} [${url}${status !== undefined ? `, HTTP ${status}` : ''}]`, options);
    this.url = url;
    this.status = status;
  }
}

/**
 * A downloaded file does not match what the Hub announced (size, or sha256 / git-sha1 given as its
 * ETag). The bad data is deleted; nothing is written to the cache.
 */
export class HubIntegrityError extends AdapterFormatError {
  override name = 'HubIntegrityError';
  /** The expected value (size in bytes or hash). */
  readonly expected: string;
  /** The value computed from the downloaded bytes. */
  readonly actual: string;
  constructor(file: string, what: 'size' | 'sha256' | 'git-sha1', expected: string, actual: string) {
    super(file, `corrupted download: ${what} is ${actual}, the Hub announced ${expected}`, what);
    this.expected = expected;
    this.actual = actual;
  }
}
