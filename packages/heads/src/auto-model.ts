import {
  type AdapterMethod,
  AdapterFormatError,
  type ConfigInput,
  type JsonValue,
  type ModelDefinition,
  type RawTensor,
  type Storage,
  assignAdapterWeights,
  joinPath,
  loadBaseWeights,
  modelForType,
  randomBaseWeights,
  readCheckpoint,
  readJson,
} from '@adapters/core';
import { FlexHeadModel } from './flex-head-model';
import type { HeadType } from './head-config';
import { assignHeadWeights } from './head-files';
import { isStaticHeadClass, label2idOf, staticHeadConversion } from './static-heads';

/** Options of {@link AutoAdapterModel.fromPretrained}. */
export interface AutoAdapterModelOptions {
  /** Model plugin (default: the registered one serving `config.model_type`; a missing one names the package to install). */
  model?: ModelDefinition<unknown>;
  /** Method plugins available to this model (in addition to registered ones). */
  methods?: readonly AdapterMethod[];
  /** Name written as `model_name` in saved files (default: the folder name). */
  modelName?: string;
  /** Override the supported head types. */
  headTypes?: readonly HeadType[];
  /**
   * Load the heads and adapters stored in the checkpoint (`prediction_heads` / `adapters` in
   * `config.json`, or a static head such as `BertForSequenceClassification` as head `default`).
   * Default true.
   */
  loadHeads?: boolean;
}

/** `label2id` of a HF config: `label2id`, else inverted `id2label`, else `LABEL_i` for `num_labels` (default 2). */
function configLabels(json: Readonly<Record<string, unknown>>): Record<string, JsonValue> {
  const l = label2idOf(json);
  if (l) return l;
  const id2label = json.id2label;
  if (id2label && typeof id2label === 'object' && !Array.isArray(id2label)) {
    return Object.fromEntries(Object.entries(id2label as Record<string, unknown>).map(([id, label]) => [String(label), Number(id)]));
  }
  const n = typeof json.num_labels === 'number' ? json.num_labels : 2;
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`LABEL_${i}`, i]));
}

/** Heads listed in `config.json` → `prediction_heads` (Python `_init_head_modules`), weights from the checkpoint. */
function loadPredictionHeads(model: FlexHeadModel, heads: Record<string, unknown>, tensors: ReadonlyMap<string, RawTensor>, file: string): void {
  for (const [name, cfg] of Object.entries(heads)) {
    if (typeof cfg !== 'object' || cfg === null) throw new AdapterFormatError(file, `prediction_heads.${name} is not an object`, 'prediction_heads');
    model.addHeadFromConfig(name, cfg as Record<string, JsonValue>, { overwriteOk: true });
    const prefix = `heads.${name}.`;
    assignHeadWeights(model, name, tensors, (k) => (k.startsWith(prefix) ? k : null), file);
  }
}

/** A static head of `architectures[0]` (e.g. `BertForSequenceClassification`) becomes flex head `default`, as Python does. */
function loadStaticHead(model: FlexHeadModel, modelClass: string, json: Readonly<Record<string, unknown>>, tensors: ReadonlyMap<string, RawTensor>, file: string): void {
  const conv = staticHeadConversion(modelClass, 'default', configLabels(json));
  if (!model.headTypes.includes(String(conv.config.head_type) as HeadType)) return;
  model.addHeadFromConfig('default', conv.config, { overwriteOk: true });
  const renamed = new Map<string, RawTensor>();
  for (const [k, v] of tensors) {
    const n = conv.rename(k.replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias'));
    if (n !== null) renamed.set(n, v);
  }
  // HF LM heads tie `decoder.bias` to `predictions.bias`; checkpoints often keep only the latter.
  const head = model.head('default');
  const outBias = `heads.default.${head.outputIndex}.bias`;
  if (!renamed.has(outBias)) {
    for (const k of ['cls.predictions.bias', 'lm_head.bias', 'predictions.bias']) {
      const t = tensors.get(k);
      if (t) {
        renamed.set(outBias, t);
        break;
      }
    }
  }
  assignHeadWeights(model, 'default', renamed, (k) => k, file);
}

/** Adapters stored in a full checkpoint (`config.json` → `adapters`, Python `ModelAdaptersConfig`). */
function loadStoredAdapters(model: FlexHeadModel, adaptersJson: Record<string, JsonValue>, tensors: Map<string, RawTensor>, file: string): void {
  const names = adaptersJson.adapters;
  if (!names || typeof names !== 'object' || Array.isArray(names)) return;
  const configMap = (adaptersJson.config_map ?? {}) as Record<string, JsonValue>;
  for (const [name, ref] of Object.entries(names as Record<string, JsonValue>)) {
    const key = String(ref);
    const config: ConfigInput = Object.hasOwn(configMap, key) ? (configMap[key] as Record<string, unknown>) : key;
    model.addAdapter(name, config);
    assignAdapterWeights(model, name, name, tensors, file);
  }
}

/**
 * Python `AutoAdapterModel`: loads a Hugging Face model folder into a {@link FlexHeadModel},
 * choosing the model package by `config.model_type` through the registry.
 */
export const AutoAdapterModel = {
  /**
   * Reads `config.json` and the weights (safetensors, sharded safetensors or `pytorch_model.bin`),
   * then the heads and adapters the checkpoint carries (see {@link AutoAdapterModelOptions.loadHeads}).
   */
  async fromPretrained(storage: Storage, dir: string, opts: AutoAdapterModelOptions = {}): Promise<FlexHeadModel> {
    const configPath = joinPath(dir, 'config.json');
    const json = await readJson(storage, configPath);
    const modelType = String(json.model_type ?? '');
    const def = opts.model ?? modelForType(modelType);
    const config = def.parseConfig(json);
    const tensors = await readCheckpoint(storage, dir);
    const file = joinPath(dir, 'model.safetensors');
    const weights = loadBaseWeights(def, config, (n) => tensors.get(n), file);
    const folder = dir.replace(/\/+$/, '').split('/').pop() ?? modelType;
    const model = new FlexHeadModel({
      definition: def,
      config,
      weights,
      methods: opts.methods ?? [],
      modelName: opts.modelName ?? folder,
      ...(opts.headTypes ? { headTypes: opts.headTypes } : {}),
    });
    if (opts.loadHeads === false) return model;
    try {
      if (json.adapters && typeof json.adapters === 'object') {
        const py = await readJson(storage, configPath, { python: true });
        loadStoredAdapters(model, py.adapters as Record<string, JsonValue>, tensors, file);
      }
      if (json.prediction_heads && typeof json.prediction_heads === 'object') {
        const py = await readJson(storage, configPath, { python: true });
        loadPredictionHeads(model, py.prediction_heads as Record<string, unknown>, tensors, file);
      } else {
        const arch = Array.isArray(json.architectures) ? json.architectures[0] : undefined;
        if (typeof arch === 'string' && isStaticHeadClass(arch)) loadStaticHead(model, arch, json, tensors, file);
      }
    } catch (e) {
      model.dispose();
      throw e;
    }
    return model;
  },

  /** A {@link FlexHeadModel} with random base weights from a config object (tests, benchmarks). */
  fromConfig(
    configJson: Readonly<Record<string, unknown>>,
    opts: { model?: ModelDefinition<unknown>; seed?: number; std?: number; methods?: readonly AdapterMethod[]; modelName?: string } = {},
  ): FlexHeadModel {
    const def = opts.model ?? modelForType(String(configJson.model_type ?? ''));
    const config = def.parseConfig(configJson);
    const weights = randomBaseWeights(def, config, opts.seed ?? 0, opts.std ?? 0.02);
    return new FlexHeadModel({ definition: def, config, weights, methods: opts.methods ?? [], modelName: opts.modelName ?? 'random' });
  },
};
