/**
 * `@adapters/hub`: Hugging Face Hub downloads for Adapters for TypeScript (Node). Browsers get
 * `./browser.ts` through the `browser` export condition: {@link hubStorage} and the one-call
 * loaders over `fetch`, without the on-disk cache.
 *
 * Files land in the same cache as Python's `huggingface_hub` (`blobs/`, `snapshots/`, `refs/`),
 * so Python and TypeScript share downloads. Offline mode, revision pinning, resumable and
 * checksum-verified downloads; typed errors from `@adapters/core`.
 *
 * @example
 * ```ts
 * import { downloadAdapter, downloadModel } from '@adapters/hub';
 * import { loadAdapter, loadPretrained } from '@adapters/core';
 * import { nodeStorage } from '@adapters/core/node';
 *
 * const model = await loadPretrained(nodeStorage, await downloadModel('FacebookAI/roberta-base'));
 * await loadAdapter(model, nodeStorage, await downloadAdapter('AdapterHub/roberta-base-pf-imdb'), { setActive: true });
 * ```
 *
 * @packageDocumentation
 */
export { type RepoType, RepoCache, defaultCacheDir, isCommitHash, isOfflineFromEnv, repoCacheFolder, validateRepoFilename } from './cache';
export {
  type DownloadOptions,
  type DownloadProgress,
  type DownloadedFile,
  downloadFirstAvailable,
  downloadRepoFile,
  downloadRepoFiles,
  readJsonFile,
} from './download';
export { HubDownloadError, HubIntegrityError, HubNotFoundError, type HubNotFoundKind } from './errors';
export { type ResolvedId, resolveAdapterId, validateRepoId } from './ids';
export { type DownloadAdapterOptions, type DownloadModelOptions, downloadAdapter, downloadModel, shardNames } from './repos';
export { loadAdapterFromHub, loadPretrainedFromHub } from './load';
export { shardFiles } from './shards';
export { HubStorage, type HubStorageOptions, hubStorage } from './hub-storage';
