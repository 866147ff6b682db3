/**
 * Whole-artifact downloads: an adapter folder (`adapter_config.json` + weights [+ head]) or a model
 * folder (`config.json` + single or sharded safetensors), laid out as `snapshots/<commit>/` so the
 * @adapters/core loaders (`loadAdapter`, `loadPretrained`) can read it directly.
 */
import { type DownloadOptions, downloadFirstAvailable, downloadRepoFile, readJsonFile } from './download';
import { pickRevision, resolveAdapterId } from './ids';
import { shardFiles } from './shards';

/** Options of {@link downloadAdapter}. */
export interface DownloadAdapterOptions extends DownloadOptions {
  /** Also fetch `head_config.json` + head weights when the repository has them. Default `true`. */
  withHead?: boolean;
}

/** Options of {@link downloadModel}. */
export interface DownloadModelOptions extends DownloadOptions {
  /** Extra files fetched when present and skipped when absent, e.g. `['tokenizer.json', 'tokenizer_config.json']`. */
  optionalFiles?: readonly string[];
}

/**
 * Downloads an adapter saved by Python `adapters` (`save_adapter` / `push_adapter_to_hub`) or by
 * `saveAdapter`: `adapter_config.json`, then `adapter.safetensors` or, if the repository has none,
 * `pytorch_adapter.bin`; plus `head_config.json` with `model_head.safetensors` or
 * `pytorch_model_head.bin` when present. Returns the snapshot folder holding them.
 *
 * @param id A Hub repository id (`AdapterHub/roberta-base-pf-imdb`) or `hf:org/name@revision`.
 * @example
 * ```ts
 * import { loadAdapter } from '@adapters/core';
 * import { nodeStorage } from '@adapters/core/node';
 * const dir = await downloadAdapter('AdapterHub/roberta-base-pf-imdb');
 * await loadAdapter(model, nodeStorage, dir, { setActive: true });
 * ```
 */
export async function downloadAdapter(id: string, opts: DownloadAdapterOptions = {}): Promise<string> {
  const { repoId, revision: idRevision } = resolveAdapterId(id);
  const revision = pickRevision(id, idRevision, opts.revision);
  const config = await downloadRepoFile(repoId, 'adapter_config.json', { ...opts, revision });
  // The rest at the commit the config came from: one consistent version, cache-only when cached.
  const atCommit: DownloadOptions = { ...opts, revision: config.commit };
  await downloadFirstAvailable(repoId, ['adapter.safetensors', 'pytorch_adapter.bin'], atCommit);
  if (opts.withHead ?? true) {
    const head = await downloadFirstAvailable(repoId, ['head_config.json'], { ...atCommit, optional: true });
    if (head) await downloadFirstAvailable(repoId, ['model_head.safetensors', 'pytorch_model_head.bin'], atCommit);
  }
  return config.snapshotDir;
}

/**
 * Downloads a model: `config.json` and `model.safetensors`, else `model.safetensors.index.json`
 * and every shard it lists, else `pytorch_model.bin`. Returns the snapshot folder (readable by
 * `loadPretrained`).
 *
 * @param id A Hub repository id (`org/name`) or `hf:org/name@revision`.
 */
export async function downloadModel(id: string, opts: DownloadModelOptions = {}): Promise<string> {
  const { repoId, revision: idRevision } = resolveAdapterId(id);
  const revision = pickRevision(id, idRevision, opts.revision);
  const config = await downloadRepoFile(repoId, 'config.json', { ...opts, revision });
  const atCommit: DownloadOptions = { ...opts, revision: config.commit };
  const weights = await downloadFirstAvailable(repoId, ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin'], atCommit);
  if (weights?.path.endsWith('model.safetensors.index.json')) {
    for (const shard of await shardNames(weights.path)) await downloadRepoFile(repoId, shard, atCommit);
  }
  for (const file of opts.optionalFiles ?? []) await downloadFirstAvailable(repoId, [file], { ...atCommit, optional: true });
  return config.snapshotDir;
}

/** The distinct shard files of a downloaded `model.safetensors.index.json`, in first-use order. */
export async function shardNames(indexPath: string): Promise<string[]> {
  return shardFiles(await readJsonFile(indexPath), indexPath);
}
