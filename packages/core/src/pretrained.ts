import { AdapterModel } from './adapter-model';
import type { AdapterMethod } from './define-method';
import type { ModelDefinition } from './define-model';
import { AdapterFormatError } from './errors';
import type { RawTensor } from './io/dtypes';
import { modelForType } from './registry';
import { readJson } from './serialization/adapter-files';
import { parseWeightsFile } from './serialization/tensors';
import { type Storage, joinPath } from './storage';
import { loadBaseWeights, randomBaseWeights } from './weights';

/** Options of {@link loadPretrained}. */
export interface LoadPretrainedOptions {
  /** Model plugin to use (default: the registered one serving `config.model_type`). */
  model?: ModelDefinition<unknown>;
  /** Method plugins available to this model (in addition to registered ones). */
  methods?: readonly AdapterMethod[];
  /** Name written as `model_name` in saved adapters (default: the folder name). */
  modelName?: string;
}

/** Reads the weights of a Hugging Face checkpoint folder: single or sharded safetensors, or `pytorch_model.bin`. */
export async function readCheckpoint(storage: Storage, dir: string): Promise<Map<string, RawTensor>> {
  const single = joinPath(dir, 'model.safetensors');
  if (await storage.exists(single)) return parseWeightsFile(await storage.readFile(single), single);
  const indexPath = joinPath(dir, 'model.safetensors.index.json');
  if (await storage.exists(indexPath)) {
    const index = await readJson(storage, indexPath);
    const map = index.weight_map;
    if (typeof map !== 'object' || map === null) throw new AdapterFormatError(indexPath, 'missing "weight_map"', 'weight_map');
    const files = [...new Set(Object.values(map as Record<string, unknown>).map(String))];
    const out = new Map<string, RawTensor>();
    for (const f of files) {
      if (f.includes('..') || f.startsWith('/')) throw new AdapterFormatError(indexPath, `shard name "${f}" escapes the folder`, 'weight_map');
      const p = joinPath(dir, f);
      for (const [k, v] of parseWeightsFile(await storage.readFile(p), p)) out.set(k, v);
    }
    return out;
  }
  const bin = joinPath(dir, 'pytorch_model.bin');
  if (await storage.exists(bin)) return parseWeightsFile(await storage.readFile(bin), bin);
  throw new AdapterFormatError(dir, 'no model.safetensors, model.safetensors.index.json or pytorch_model.bin found');
}

/**
 * Loads a Hugging Face model folder (`config.json` + weights) into an {@link AdapterModel},
 * choosing the model plugin by `config.model_type`.
 */
export async function loadPretrained(storage: Storage, dir: string, opts: LoadPretrainedOptions = {}): Promise<AdapterModel> {
  const json = await readJson(storage, joinPath(dir, 'config.json'));
  const modelType = String(json.model_type ?? '');
  const def = opts.model ?? modelForType(modelType);
  const config = def.parseConfig(json);
  const tensors = await readCheckpoint(storage, dir);
  const weights = loadBaseWeights(def, config, (n) => tensors.get(n), joinPath(dir, 'model.safetensors'));
  const folder = dir.replace(/\/+$/, '').split('/').pop() ?? modelType;
  return new AdapterModel({ definition: def, config, weights, methods: opts.methods ?? [], modelName: opts.modelName ?? folder });
}

/** Builds a model with random weights from a config object (tests, benchmarks). */
export function createRandomModel<Cfg>(
  def: ModelDefinition<Cfg>,
  configJson: Readonly<Record<string, unknown>>,
  opts: { seed?: number; std?: number; methods?: readonly AdapterMethod[]; modelName?: string } = {},
): AdapterModel<Cfg> {
  const config = def.parseConfig(configJson);
  const weights = randomBaseWeights(def, config, opts.seed ?? 0, opts.std ?? 0.02);
  return new AdapterModel({ definition: def, config, weights, methods: opts.methods ?? [], modelName: opts.modelName ?? 'random' });
}
