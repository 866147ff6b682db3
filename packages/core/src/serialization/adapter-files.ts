import type * as tf from '@tensorflow/tfjs-core';
import type { AdapterModel } from '../adapter-model';
import {
  type AnyAdapterConfig,
  configToDict,
  parsePythonJson,
  pythonJsonDumps,
  resolveAdapterConfig,
  defaultWarn,
  type WarnFn,
} from '../config';
import { AdapterConfigError, AdapterFormatError, ShapeMismatchError } from '../errors';
import type { RawTensor } from '../io/dtypes';
import { rawToFloat32 } from '../io/convert';
import { type Storage, joinPath, utf8 } from '../storage';
import { readFilePair, writeFilePair } from './file-pair';
import { parseWeightsFile, tensorsToSafetensors } from './tensors';
import * as tfc from '@tensorflow/tfjs-core';

/** File names used by the Python library (`adapters/utils.py`). */
export const ADAPTER_FILES = {
  config: 'adapter_config.json',
  weights: 'adapter.safetensors',
  weightsBin: 'pytorch_adapter.bin',
  fusionConfig: 'adapter_fusion_config.json',
  fusionWeights: 'model_adapter_fusion.safetensors',
  fusionWeightsBin: 'pytorch_model_adapter_fusion.bin',
  headConfig: 'head_config.json',
  headWeights: 'model_head.safetensors',
  headWeightsBin: 'pytorch_model_head.bin',
  setup: 'adapter_setup.json',
} as const;

/** The library version written into saved files (the Python release whose format we follow). */
export const ADAPTERS_VERSION = 'adapters.1.1.0';

/** Options of {@link saveAdapter}. */
export interface SaveAdapterOptions {
  /** Extra top-level keys for `adapter_config.json` (Python `meta_dict`). */
  metaDict?: Record<string, unknown>;
  /**
   * Also write model-level shared parameters that Python 1.1.0 forgets (Compacter's
   * `shared_parameters.<name>.*`). Default false: byte-compatible with Python, which means a
   * reload re-initialises them (the documented library bug).
   */
  saveSharedParameters?: boolean;
}

/** Keys that Python's `AdapterLoader.filter_func` would not save for an adapter (bug-compatible). */
function pythonSavesKey(key: string, name: string): boolean {
  // v1.1.0 has no clause for `shared_parameters.<name>.` (Compacter bug); VeRA's frozen A/B are not trainable either way.
  return !key.startsWith(`shared_parameters.${name}.`);
}

/** Builds the `adapter_config.json` text exactly as Python writes it (indent 2, sorted keys). */
export function adapterConfigJson(model: AdapterModel, name: string, config: AnyAdapterConfig, meta: Record<string, unknown> = {}): string {
  const full: Record<string, unknown> = {
    config: configToDict(config),
    hidden_size: model.info.hiddenSize,
    model_class: model.modelClass,
    model_name: model.modelName,
    model_type: model.info.modelType,
    name,
    version: ADAPTERS_VERSION,
  };
  for (const [k, v] of Object.entries(meta)) if (!(k in full)) full[k] = v;
  return pythonJsonDumps(full, { indent: 2, sortKeys: true });
}

/**
 * Saves an adapter in Python's format: `adapter_config.json` + `adapter.safetensors` with the
 * exact state-dict names. Each file is written atomically (temp file + rename) and the pair
 * crash-consistently (see `writeFilePair`: two hidden side files, `.adapter_config.json.commit`
 * and `.adapter_config.json.prev`, let {@link loadAdapter} return the previous save after a crash
 * between the two writes).
 */
export async function saveAdapter(model: AdapterModel, storage: Storage, dir: string, name: string, opts: SaveAdapterOptions = {}): Promise<void> {
  const config = model.adapterConfig(name);
  const params = new Map<string, tf.Tensor>();
  for (const [k, v] of model.adapterParameters(name)) {
    if (opts.saveSharedParameters || pythonSavesKey(k, name)) params.set(k, v);
  }
  const bytes = tensorsToSafetensors(params);
  // Crash-consistent: a kill at any moment leaves the previous or the new pair loadable (file-pair.ts).
  await writeFilePair(storage, dir, ADAPTER_PAIR, utf8.encode(adapterConfigJson(model, name, config, opts.metaDict)), bytes);
}

/** The config + weights pair of an adapter folder (weights in load order). */
const ADAPTER_PAIR = { config: ADAPTER_FILES.config, weights: [ADAPTER_FILES.weights, ADAPTER_FILES.weightsBin] } as const;

/** Options of {@link loadAdapter}. */
export interface LoadAdapterOptions {
  /** Load under another name (Python `load_as`). */
  loadAs?: string;
  /** Activate after loading. */
  setActive?: boolean;
  /** Extra weights to load on top (e.g. the fixtures' `shared_parameters.safetensors`). */
  extraWeights?: Map<string, RawTensor>;
  /** Replace an existing adapter of the same name. */
  overwriteOk?: boolean;
  /** Receives warnings (another model type, a recovered interrupted save); default `console.warn`. */
  warn?: WarnFn;
}

/** Python's legacy key renames (`legacy_weights_mapping`). */
const LEGACY_RENAMES: [string, string][] = [
  ['attention_text_task_adapters', 'adapters'],
  ['attention_text_lang_adapters', 'adapters'],
  ['layer_text_task_adapters', 'adapters'],
  ['layer_text_lang_adapters', 'adapters'],
  ['invertible_lang_adapters', 'invertible_adapters'],
];

/** Segments that carry the adapter name in state-dict keys (Python `filter_func`). */
const NAME_SEGMENTS = ['_adapters.', '.adapters.', '.prefix_tunings.', '.prefix_gates.', '.loras.', '.refts.', '.prompt_tunings.', '.shared_parameters.'];

/** Renames keys saved for adapter `from` to adapter `to` (Python `load_as` rename). */
export function renameAdapterKey(key: string, from: string, to: string): string {
  let k = ` ${key}`; // leading space so segments at the start (shared_parameters.) match with a dot
  k = k.replace(' shared_parameters.', ' .shared_parameters.');
  for (const seg of NAME_SEGMENTS) k = k.split(`${seg}${from}.`).join(`${seg}${to}.`);
  k = k.replace(' .shared_parameters.', ' shared_parameters.');
  return k.slice(1);
}

/**
 * Reads a JSON file into a plain object. With `python: true` (adapter configs) Python's int/float
 * distinction is kept (`PyFloat`); otherwise (model `config.json`) numbers are plain.
 */
export async function readJson(storage: Storage, path: string, opts: { python?: boolean } = {}): Promise<Record<string, unknown>> {
  let bytes: Uint8Array;
  try {
    bytes = await storage.readFile(path);
  } catch (e) {
    throw new AdapterFormatError(path, `cannot read file: ${(e as Error).message}`);
  }
  return parseJsonObject(bytes, path, opts);
}

/** Parses JSON file contents into a plain object (see {@link readJson}). */
export function parseJsonObject(bytes: Uint8Array, path: string, opts: { python?: boolean } = {}): Record<string, unknown> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (e) {
    throw new AdapterFormatError(path, `not valid UTF-8: ${(e as Error).message}`);
  }
  try {
    const v = opts.python ? (parsePythonJson(text, { file: path }) as unknown) : (JSON.parse(text) as unknown);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('top level is not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    if (e instanceof AdapterFormatError) throw e;
    throw new AdapterFormatError(path, `invalid JSON: ${(e as Error).message}`);
  }
}

/** Reads the weights of a saved artefact, preferring safetensors and falling back to `.bin` (as Python). */
export async function readWeights(storage: Storage, dir: string, safeName: string, binName: string): Promise<Map<string, RawTensor>> {
  const safe = joinPath(dir, safeName);
  if (await storage.exists(safe)) return parseWeightsFile(await storage.readFile(safe), safe);
  const bin = joinPath(dir, binName);
  if (await storage.exists(bin)) return parseWeightsFile(await storage.readFile(bin), bin);
  throw new AdapterFormatError(dir, `no weights file found (looked for ${safeName} and ${binName})`);
}

/** Applies Python's loading fixes for old files (`_fix_backward_compat`, activation renames). */
function fixLegacyConfig(json: Record<string, unknown>, config: Record<string, unknown>): Record<string, unknown> {
  const version = typeof json.version === 'string' ? json.version : undefined;
  const out = { ...config };
  if (version === undefined) {
    if (out.non_linearity === 'gelu') out.non_linearity = 'gelu_new';
    else if (out.non_linearity === 'gelu_orig') out.non_linearity = 'gelu';
  }
  if (version?.startsWith('adapters.') && out.architecture === 'lora') {
    const v = version.slice('adapters.'.length).split('.').map(Number);
    const older = (v[0] ?? 0) < 1 || ((v[0] ?? 0) === 1 && (v[1] ?? 0) < 1);
    if (older && Number(out.r) !== Number(out.alpha)) out.alpha = out.r;
  }
  return out;
}

/**
 * Loads an adapter folder written by Python's `save_adapter` or by {@link saveAdapter}
 * (safetensors, or `pytorch_adapter.bin` as fallback). Returns the adapter name.
 */
export async function loadAdapter(model: AdapterModel, storage: Storage, dir: string, opts: LoadAdapterOptions = {}): Promise<string> {
  const warn = opts.warn ?? defaultWarn;
  const pair = await readFilePair(storage, dir, ADAPTER_PAIR, warn);
  const configPath = pair.configPath;
  const json = parseJsonObject(pair.configBytes, configPath, { python: true });
  const rawConfig = json.config;
  if (typeof rawConfig !== 'object' || rawConfig === null) throw new AdapterFormatError(configPath, 'missing "config" object', 'config');
  if (typeof json.hidden_size === 'number' && json.hidden_size !== model.info.hiddenSize) {
    throw new ShapeMismatchError('hidden_size', [model.info.hiddenSize], [json.hidden_size], `${configPath}: adapter was saved for another hidden size`);
  }
  checkSavedModelType(model, json, configPath, warn);
  const savedName = typeof json.name === 'string' ? json.name : 'adapter';
  const name = opts.loadAs ?? savedName;
  const configDict = fixLegacyConfig(json, rawConfig as Record<string, unknown>);
  resolveAdapterConfig(configDict, { warn: () => {} }); // validate before reading the weights (addAdapter warns)
  const weights = parseWeightsFile(pair.weightsBytes, pair.weightsPath);
  // Python's loader passes the dict (not a config instance) to add_adapter, so extra keys (e.g. a written
  // `subtract_projection`) survive as attributes; a resolved instance would be rebuilt from its to_dict().
  try {
    model.addAdapter(name, configDict as Parameters<typeof resolveAdapterConfig>[0], { overwriteOk: opts.overwriteOk ?? false });
  } catch (e) {
    // Name the file of an invalid config (the error already names the field).
    if (e instanceof AdapterConfigError && !e.message.startsWith(configPath)) e.message = `${configPath}: ${e.message}`;
    throw e;
  }
  try {
    assignAdapterWeights(model, name, savedName, weights, pair.weightsPath);
    if (opts.extraWeights) assignAdapterWeights(model, name, savedName, opts.extraWeights, '<extra weights>');
  } catch (e) {
    model.deleteAdapter(name);
    throw e;
  }
  warnMissingKeys(model, name, savedName, [weights, opts.extraWeights], pair.weightsPath, warn);
  if (opts.setActive) model.setActiveAdapters(name);
  return name;
}

/**
 * Python stores `model_type` but never checks it (adapters move between e.g. BERT and RoBERTa; keys
 * and shapes decide): another model type only warns. Another hidden size fails earlier, naming both.
 */
function checkSavedModelType(model: AdapterModel, json: Record<string, unknown>, file: string, warn: WarnFn): void {
  const saved = json.model_type;
  if (typeof saved !== 'string' || saved === model.info.modelType) return;
  const cls = typeof json.model_class === 'string' ? ` (${json.model_class})` : '';
  warn(`${file}: the adapter was saved for model type "${saved}"${cls}, loading it into "${model.info.modelType}" (${model.modelClass}); weights are matched by name and shape`);
}

/** Warns (Python logs it) when parameters of the new adapter got no value from the files. */
function warnMissingKeys(
  model: AdapterModel,
  name: string,
  savedName: string,
  sources: readonly (Map<string, RawTensor> | undefined)[],
  file: string,
  warn: WarnFn,
): void {
  const found = new Set<string>();
  for (const src of sources) for (const key of src?.keys() ?? []) found.add(normalizeKey(model, key, savedName, name));
  const missing = [...model.adapterParameters(name).keys()].filter((k) => !found.has(k));
  if (missing.length === 0) return;
  const list = missing.slice(0, 5).join(', ') + (missing.length > 5 ? `, … (${missing.length} in all)` : '');
  warn(`${file}: ${missing.length} parameter(s) of adapter "${name}" are not in the file and keep their initial values: ${list}`);
}

/** Normalises a saved key: base-model prefix stripped, legacy names mapped, renamed to `name`. */
export function normalizeKey(model: AdapterModel, key: string, savedName: string, name: string): string {
  let k = key;
  const prefix = `${model.definition.basePrefix(model.config)}.`;
  if (k.startsWith(prefix)) k = k.slice(prefix.length);
  for (const [a, b] of LEGACY_RENAMES) k = k.split(a).join(b);
  return savedName === name ? k : renameAdapterKey(k, savedName, name);
}

/** Copies saved tensors into an adapter's variables, checking shapes (both shapes in the error). */
export function assignAdapterWeights(model: AdapterModel, name: string, savedName: string, weights: Map<string, RawTensor>, file: string): void {
  const params = model.adapterParameters(name);
  for (const [key, raw] of weights) {
    const k = normalizeKey(model, key, savedName, name);
    const v = params.get(k);
    if (!v) continue; // Python loads with strict=False and ignores unexpected keys (e.g. duplicated prefix pools).
    if (raw.shape.length !== v.shape.length || raw.shape.some((d, i) => d !== v.shape[i])) {
      throw new ShapeMismatchError(key, v.shape, raw.shape, file);
    }
    const t = tfc.tensor(rawToFloat32(raw, { file, key }), v.shape, 'float32');
    v.assign(t);
    t.dispose();
  }
}
