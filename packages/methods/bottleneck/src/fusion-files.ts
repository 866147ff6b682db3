import {
  ADAPTER_FILES,
  ADAPTERS_VERSION,
  AdapterFormatError,
  type AdapterModel,
  type FuseBlock,
  type RawTensor,
  ShapeMismatchError,
  type Storage,
  defaultWarn,
  pythonJsonDumps,
  parseJsonObject,
  parseWeightsFile,
  rawToFloat32,
  readFilePair,
  resolveFusionConfig,
  tensorsToSafetensors,
  utf8,
  writeFilePair,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { fusionConfigDict } from './fusion-options';

/** Options of {@link saveAdapterFusion}. */
export interface SaveAdapterFusionOptions {
  /** Extra top-level keys for `adapter_fusion_config.json` (Python `meta_dict`; existing keys win). */
  metaDict?: Record<string, unknown>;
}

/** Builds `adapter_fusion_config.json` exactly as Python's `AdapterFusionLoader.save` (indent 2, sorted keys). */
export function adapterFusionConfigJson(model: AdapterModel, fusionName: string, meta: Record<string, unknown> = {}): string {
  const f = model.fusion(fusionName);
  const full: Record<string, unknown> = {
    adapter_names: [...f.adapterNames],
    config: fusionConfigDict(f.config),
    hidden_size: model.info.hiddenSize,
    model_class: model.modelClass,
    model_name: model.modelName,
    model_type: model.info.modelType,
    name: fusionName,
    version: ADAPTERS_VERSION,
  };
  for (const [k, v] of Object.entries(meta)) if (!(k in full)) full[k] = v;
  return pythonJsonDumps(full, { indent: 2, sortKeys: true });
}

/**
 * Python `save_adapter_fusion(dir, name, use_safetensors=True)`: writes `adapter_fusion_config.json`
 * and `model_adapter_fusion.safetensors` (keys `<site path>.adapter_fusion_layer.<name>.<param>`).
 */
export async function saveAdapterFusion(
  model: AdapterModel,
  storage: Storage,
  dir: string,
  fusionName: string,
  opts: SaveAdapterFusionOptions = {},
): Promise<void> {
  const json = adapterFusionConfigJson(model, fusionName, opts.metaDict);
  const bytes = tensorsToSafetensors(model.fusionParameters(fusionName));
  // Crash-consistent pair write (core `writeFilePair`): a kill leaves the previous or the new fusion loadable.
  await writeFilePair(storage, dir, FUSION_PAIR, utf8.encode(json), bytes);
}

/** The config + weights pair of a fusion folder (weights in load order). */
const FUSION_PAIR = { config: ADAPTER_FILES.fusionConfig, weights: [ADAPTER_FILES.fusionWeights, ADAPTER_FILES.fusionWeightsBin] } as const;

/** Options of {@link loadAdapterFusion}. */
export interface LoadAdapterFusionOptions {
  /** Load under another fusion name (Python `load_as`). */
  loadAs?: string;
  /** Activate `Fuse(adapter_names…)` after loading (Python default: false). */
  setActive?: boolean;
  /** Receives warnings (a recovered interrupted save); default `console.warn`. */
  warn?: (message: string) => void;
}

function adapterNamesOf(json: Record<string, unknown>, name: string, file: string): string[] {
  const v = json.adapter_names ?? name;
  if (typeof v === 'string') return v.split(',');
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new AdapterFormatError(file, 'adapter_names must be a list of strings', 'adapter_names');
}

/**
 * Python `load_adapter_fusion(dir)`: adds the fusion over its saved `adapter_names` (which must be
 * loaded already) unless one of that name exists, then loads `model_adapter_fusion.safetensors`
 * (or `pytorch_model_adapter_fusion.bin`). Unexpected keys are ignored (Python `strict=False`).
 * Returns the fusion name.
 */
export async function loadAdapterFusion(model: AdapterModel, storage: Storage, dir: string, opts: LoadAdapterFusionOptions = {}): Promise<string> {
  const pair = await readFilePair(storage, dir, FUSION_PAIR, opts.warn ?? defaultWarn);
  const configPath = pair.configPath;
  const json = parseJsonObject(pair.configBytes, configPath, { python: true });
  if (typeof json.config !== 'object' || json.config === null) throw new AdapterFormatError(configPath, 'missing "config" object', 'config');
  if (typeof json.hidden_size === 'number' && json.hidden_size !== model.info.hiddenSize) {
    throw new ShapeMismatchError('hidden_size', [model.info.hiddenSize], [json.hidden_size], `${configPath}: fusion was saved for another hidden size`);
  }
  const savedName = typeof json.name === 'string' ? json.name : adapterNamesOf(json, '', configPath).join(',');
  const name = opts.loadAs ?? savedName;
  const adapterNames = adapterNamesOf(json, savedName, configPath);
  const weightsFile = pair.weightsPath;
  const weights = parseWeightsFile(pair.weightsBytes, pair.weightsPath);
  if (!model.fusionNames.includes(name)) {
    const config = json.config as Record<string, unknown>;
    resolveFusionConfig(config); // Python `AdapterFusionConfig.from_dict`: fail early on a bad config
    model.addAdapterFusion(adapterNames, config, { name, overwriteOk: true });
  }
  assignFusionWeights(model, name, savedName, weights, weightsFile);
  if (opts.setActive) {
    const block: FuseBlock = { type: 'Fuse', children: adapterNames, ...(name !== adapterNames.join(',') ? { name } : {}) };
    model.setActiveAdapters(block);
  }
  return name;
}

/** Copies saved fusion tensors into the fusion's variables (base-model prefix stripped, `load_as` renamed, shapes checked). */
export function assignFusionWeights(model: AdapterModel, name: string, savedName: string, weights: Map<string, RawTensor>, file: string): void {
  const params = model.fusionParameters(name);
  const prefix = `${model.definition.basePrefix(model.config)}.`;
  const from = `adapter_fusion_layer.${savedName}.`;
  const to = `adapter_fusion_layer.${name}.`;
  for (const [key, raw] of weights) {
    let k = key.startsWith(prefix) ? key.slice(prefix.length) : key;
    if (!k.includes(from)) continue; // Python's filter_func
    k = k.split(from).join(to);
    const v = params.get(k);
    if (!v) continue;
    if (raw.shape.length !== v.shape.length || raw.shape.some((d, i) => d !== v.shape[i])) throw new ShapeMismatchError(key, v.shape, raw.shape, file);
    const t = tf.tensor(rawToFloat32(raw, { file, key }), v.shape, 'float32');
    v.assign(t);
    t.dispose();
  }
}
