import {
  ADAPTER_FILES,
  ADAPTERS_VERSION,
  AdapterFormatError,
  type JsonValue,
  type LoadAdapterOptions,
  MemoryStorage,
  type RawTensor,
  type SaveAdapterOptions,
  ShapeMismatchError,
  type Storage,
  defaultWarn,
  joinPath,
  loadAdapter,
  parseJsonObject,
  parseSafetensors,
  parseWeightsFile,
  pythonJsonDumps,
  rawToFloat32,
  readFilePair,
  saveAdapter,
  serializeSafetensors,
  tensorsToSafetensors,
  toNumber,
  utf8,
  writeFilePair,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Id2Label } from './head-config';
import type { FlexHeadModel } from './flex-head-model';
import { isStaticHeadClass, label2idOf, staticHeadConversion } from './static-heads';

/** Builds `head_config.json` exactly as Python's `PredictionHeadLoader.save` (indent 2, sorted keys). */
export function headConfigJson(model: FlexHeadModel, name: string): string {
  const full: Record<string, unknown> = {
    config: model.headConfig(name),
    hidden_size: model.info.hiddenSize,
    model_class: model.modelClass,
    model_name: model.modelName,
    model_type: model.info.modelType,
    name,
    version: ADAPTERS_VERSION,
  };
  return pythonJsonDumps(full, { indent: 2, sortKeys: true });
}

/** The tensors Python's `save_head` writes: the head's parameters, plus a tied output weight under the head's key. */
export function headStateDict(model: FlexHeadModel, name: string): Map<string, tf.Tensor> {
  const head = model.head(name);
  const out = new Map<string, tf.Tensor>(head.stateDict());
  if (head.tiedWeightKey) {
    const w = model.weights.get(head.tiedWeightKey);
    if (w) out.set(`heads.${name}.${head.outputWeightKey}`, w);
  }
  return out;
}

/**
 * Python `save_head(dir, name, use_safetensors=True)`: `head_config.json` + `model_head.safetensors`
 * (keys `heads.<name>.<index>.weight/bias`, no metadata). Python's default `use_safetensors=False`
 * reads only `pytorch_model_head.bin`, so load these files in Python with `use_safetensors=True`.
 */
export async function saveHead(model: FlexHeadModel, storage: Storage, dir: string, name: string): Promise<void> {
  const bytes = tensorsToSafetensors(headStateDict(model, name));
  // Crash-consistent pair write (core `writeFilePair`): a kill leaves the previous or the new head loadable.
  await writeFilePair(storage, dir, HEAD_PAIR, utf8.encode(headConfigJson(model, name)), bytes);
}

/** The config + weights pair of a head folder (weights in load order). */
const HEAD_PAIR = { config: ADAPTER_FILES.headConfig, weights: [ADAPTER_FILES.headWeights, ADAPTER_FILES.headWeightsBin] } as const;

/** Options of {@link loadHead}. */
export interface LoadHeadOptions {
  /** Load under another name (Python `load_as`; required for heads saved from static-head classes). */
  loadAs?: string;
  /** Custom label names by id (Python `id2label`). */
  id2label?: Id2Label;
  /** Activate the head (default true, as Python's `load_head`). */
  setActive?: boolean;
  /** Name for a converted static head when `loadAs` is absent (Python `main_load_name`, the adapter's name). */
  defaultName?: string;
}

/** True when `dir` holds head weights (`model_head.safetensors` or `pytorch_model_head.bin`). */
export async function hasHead(storage: Storage, dir: string): Promise<boolean> {
  return (
    (await storage.exists(joinPath(dir, ADAPTER_FILES.headWeights))) || (await storage.exists(joinPath(dir, ADAPTER_FILES.headWeightsBin)))
  );
}

function labelMap(id2label: Id2Label): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(id2label).map(([id, label]) => [label, Number(id)]));
}

/**
 * Python `load_head`: reads `head_config.json` and the head weights (safetensors, falling back to
 * `pytorch_model_head.bin`), adds the head (replacing one of the same name) and assigns its
 * weights. Heads saved from the same flex class, from the old `<Model>ModelWithHeads` classes and
 * from static-head classes (`BertForSequenceClassification`, …; converted as Python does) load.
 * A tied output weight in the file is written into the input embeddings, since Python's tied
 * parameter is one tensor. Returns the head name.
 */
export async function loadHead(model: FlexHeadModel, storage: Storage, dir: string, opts: LoadHeadOptions = {}): Promise<string> {
  if (!(await hasHead(storage, dir))) throw new AdapterFormatError(dir, 'Loading path should be a directory where the head is saved (no model_head.safetensors or pytorch_model_head.bin).');
  const pair = await readFilePair(storage, dir, HEAD_PAIR, defaultWarn);
  const configPath = pair.configPath;
  const json = parseJsonObject(pair.configBytes, configPath, { python: true });
  const modelClass = String(json.model_class ?? '');
  const savedName = typeof json.name === 'string' ? json.name : null;
  const weights = parseWeightsFile(pair.weightsBytes, pair.weightsPath);
  const file = pair.weightsPath;
  const prefix = `${model.definition.basePrefix(model.config)}.`;
  const thisPrefix = model.modelClass.replace(/AdapterModel$/, '');
  let name: string;
  let rename: (key: string) => string | null;
  if (modelClass === model.modelClass || (modelClass.endsWith('ModelWithHeads') && modelClass.replace(/ModelWithHeads$/, '') === thisPrefix)) {
    if (savedName === null) throw new AdapterFormatError(configPath, 'missing "name"', 'name');
    name = opts.loadAs ?? savedName;
    const raw = json.config;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new AdapterFormatError(configPath, 'missing "config" object', 'config');
    const config = { ...(raw as Record<string, JsonValue>) };
    if (opts.id2label) config.label2id = labelMap(opts.id2label);
    model.addHeadFromConfig(name, config, { overwriteOk: true, setActive: opts.setActive ?? true });
    const from = `heads.${savedName}`;
    rename = (k) => (k.startsWith(prefix) || !k.includes(from) ? null : k.split(from).join(`heads.${name}`));
  } else if (isStaticHeadClass(modelClass)) {
    const n = opts.loadAs ?? opts.defaultName;
    if (!n) throw new AdapterFormatError(configPath, `Could not identify a name for the prediction head of ${modelClass}. Please specify loadAs.`);
    name = n;
    const conv = staticHeadConversion(modelClass, name, opts.id2label ? labelMap(opts.id2label) : label2idOf(json), toNumber(json.num_labels as JsonValue) ?? null);
    model.addHeadFromConfig(name, conv.config, { overwriteOk: true, setActive: opts.setActive ?? true });
    rename = (k) => (k.startsWith(prefix) ? null : conv.rename(k));
  } else {
    throw new AdapterFormatError(configPath, `Cannot automatically convert prediction head of model class ${modelClass} to flex head of ${model.modelClass}.`, 'model_class');
  }
  assignHeadWeights(model, name, weights, rename, file);
  return name;
}

/**
 * Copies saved tensors into a head (keys renamed by `rename`; unknown keys ignored as Python's
 * `strict=False`), checking shapes. A tied output weight is assigned to the input embeddings.
 */
export function assignHeadWeights(
  model: FlexHeadModel,
  name: string,
  weights: ReadonlyMap<string, RawTensor>,
  rename: (key: string) => string | null,
  file: string,
): void {
  const head = model.head(name);
  const params = head.stateDict();
  const tiedKey = head.tiedWeightKey ? `heads.${name}.${head.outputWeightKey}` : null;
  for (const [key, raw] of weights) {
    const k = rename(key);
    if (k === null) continue;
    const v = params.get(k) ?? (k === tiedKey ? model.weights.get(head.tiedWeightKey!) : undefined);
    if (!v) continue;
    if (raw.shape.length !== v.shape.length || raw.shape.some((d, i) => d !== v.shape[i])) throw new ShapeMismatchError(key, v.shape, raw.shape, file);
    const t = tf.tensor(rawToFloat32(raw, { file, key }), v.shape, 'float32');
    v.assign(t);
    t.dispose();
  }
}

/**
 * Python `save_adapter(dir, name, with_head=True, use_safetensors=True)` of a flex-head model: the
 * adapter files (keys under the base-model prefix, as Python writes them) plus, when a head of the
 * same name exists, its `head_config.json` + `model_head.safetensors` in the same folder.
 */
export async function saveAdapterWithHead(model: FlexHeadModel, storage: Storage, dir: string, name: string, opts: SaveAdapterOptions = {}): Promise<void> {
  // Python's <Model>AdapterModel keeps the base model under its prefix (`bert.`), so its adapter
  // keys are `bert.encoder…`; write them that way for byte-identical files (loaders accept both).
  const mem = new MemoryStorage();
  await saveAdapter(model, mem, 'a', name, opts);
  const prefix = `${model.definition.basePrefix(model.config)}.`;
  const tensors = parseSafetensors(await mem.readFile(joinPath('a', ADAPTER_FILES.weights))).tensors;
  const prefixed = new Map([...tensors].map(([k, v]) => [k.startsWith(prefix) ? k : prefix + k, v]));
  await storage.mkdir(dir);
  await storage.writeFile(joinPath(dir, ADAPTER_FILES.weights), serializeSafetensors(prefixed, null));
  await storage.writeFile(joinPath(dir, ADAPTER_FILES.config), await mem.readFile(joinPath('a', ADAPTER_FILES.config)));
  if (model.heads.has(name)) await saveHead(model, storage, dir, name);
}

/** Options of {@link loadAdapterWithHead}. */
export interface LoadAdapterWithHeadOptions extends LoadAdapterOptions {
  /** Custom label names for the head (Python `id2label`). */
  id2label?: Id2Label;
}

/**
 * Python `load_adapter(dir, with_head=True)` of flex-head models: loads the adapter and, if the
 * folder also holds a head, the head under the same name (`loadAs` applies to both). The head is
 * activated only with `setActive` (then activating the adapter activates its head anyway).
 * Returns the adapter name and the head name (null when the folder has no head).
 */
export async function loadAdapterWithHead(
  model: FlexHeadModel,
  storage: Storage,
  dir: string,
  opts: LoadAdapterWithHeadOptions = {},
): Promise<{ adapter: string; head: string | null }> {
  const adapter = await loadAdapter(model, storage, dir, { ...opts, setActive: false });
  let head: string | null = null;
  if (await hasHead(storage, dir)) {
    head = await loadHead(model, storage, dir, { loadAs: opts.loadAs, defaultName: adapter, id2label: opts.id2label, setActive: opts.setActive ?? false });
  }
  if (opts.setActive) model.setActiveAdapters(adapter);
  return { adapter, head };
}
