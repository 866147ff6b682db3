/**
 * `@adapters/hub` in browsers (and workers): the `browser` export condition of the package selects
 * this entry. No cache folder and no Node built-ins: files are read straight from the Hub with
 * `fetch` ({@link hubStorage}); the one-call loaders keep the Node entry's names and options
 * (`revision`, `hubUrl`, `token`, `fetch`, `repoType`), errors are the same classes.
 *
 * @example
 * ```ts
 * import '@adapters/bert/register';
 * import '@adapters/lora/register';
 * import { loadAdapterFromHub, loadPretrainedFromHub } from '@adapters/hub';
 *
 * const model = await loadPretrainedFromHub('google-bert/bert-base-uncased');
 * await loadAdapterFromHub(model, 'AdapterHub/bert-base-uncased-pf-imdb', { setActive: true });
 * ```
 *
 * @packageDocumentation
 */
export type { RepoType } from './cache';
export { HubDownloadError, HubIntegrityError, HubNotFoundError, type HubNotFoundKind } from './errors';
export { type ResolvedId, resolveAdapterId, validateRepoId } from './ids';
export { shardFiles } from './shards';
export { HubStorage, type HubStorageOptions, hubStorage } from './hub-storage';
export { loadAdapterFromHub, loadPretrainedFromHub } from './browser-load';
