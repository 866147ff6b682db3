import { existsSync } from 'node:fs';
import { type AdapterModel, type LoadAdapterOptions, type LoadPretrainedOptions, loadAdapter, loadPretrained } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { type DownloadAdapterOptions, type DownloadModelOptions, downloadAdapter, downloadModel } from './repos';

/**
 * One call, like Python's `model.load_adapter("AdapterHub/roberta-base-pf-imdb")`: a local folder
 * is loaded as is; anything else is resolved as a Hub id (`org/name`, `hf:org/name@rev`),
 * downloaded into the shared cache (offline mode and revisions honoured) and loaded. Returns the
 * adapter name.
 */
export async function loadAdapterFromHub(
  model: AdapterModel,
  idOrDir: string,
  opts: LoadAdapterOptions & { download?: DownloadAdapterOptions } = {},
): Promise<string> {
  const dir = existsSync(idOrDir) ? idOrDir : await downloadAdapter(idOrDir, opts.download ?? {});
  return loadAdapter(model, nodeStorage, dir, opts);
}

/** `loadPretrained` for a local folder or a Hub model id (downloaded into the shared cache). */
export async function loadPretrainedFromHub(
  idOrDir: string,
  opts: LoadPretrainedOptions & { download?: DownloadModelOptions } = {},
): Promise<AdapterModel> {
  const dir = existsSync(idOrDir) ? idOrDir : await downloadModel(idOrDir, opts.download ?? {});
  return loadPretrained(nodeStorage, dir, opts);
}
