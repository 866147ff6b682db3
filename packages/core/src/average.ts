import * as tf from '@tensorflow/tfjs-core';
import { addMany } from './nn';
import type { AdapterModel } from './adapter-model';
import { type AdapterConfig, configMembers, configReplace, getAdapterConfigHash, isAdapterConfig } from './config';
import { AdapterConfigError, AdaptersError } from './errors';

/** Options of {@link averageAdapter} (Python `average_adapter`). */
export interface AverageAdapterOptions {
  /** Weights per adapter (default: equal). */
  weights?: readonly number[];
  /** `linear` (default), or a method-specific strategy such as `lora_linear_only_negate_b`, `lora_delta_w_svd`. */
  combineStrategy?: string;
  /** Divide the weights by their sum (default true). */
  normalizeWeights?: boolean;
  /** Rank of the SVD split (`lora_delta_w_svd`); also replaces the config's `r`, as Python does. */
  svdRank?: number;
  overwriteOk?: boolean;
  setActive?: boolean;
}

/** One input of a module-level average: the module's parameters by local name and its weight. */
export interface AverageInput {
  readonly params: ReadonlyMap<string, tf.Tensor>;
  readonly weight: number;
}

/**
 * A method's averaging strategies beyond `linear` (e.g. LoRA's). Given the inputs' parameters at
 * one module, returns the new parameters by local name.
 */
export type AverageStrategy = (inputs: readonly AverageInput[], opts: { svdRank?: number }) => Map<string, tf.Tensor>;

/** Python's `linear` combination: Σ wᵢ·pᵢ for every parameter. */
export function linearAverage(inputs: readonly AverageInput[]): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [k] of inputs[0]!.params) {
    out.set(k, addMany(inputs.map((i) => tf.mul(i.params.get(k)!, i.weight))));
  }
  return out;
}

/**
 * Adds `name` as a weighted average of existing adapters with the same config (Python
 * `average_adapter`): every module (and model-level parameter) is combined with the strategy;
 * `linear` works for every method, others are offered by method packages (`averageStrategies`).
 */
export function averageAdapter(model: AdapterModel, name: string, adapters: readonly string[], opts: AverageAdapterOptions = {}): void {
  const strategy = opts.combineStrategy ?? 'linear';
  if (adapters.length === 0) throw new AdapterConfigError('average_adapter needs at least one adapter', 'adapter_list');
  let config = model.adapterConfig(adapters[0]!);
  const hash = (c: typeof config): string => getAdapterConfigHash(c, 16, { ignoreParams: ['dropout', 'init_weights'] });
  for (const a of adapters.slice(1)) {
    if (hash(model.adapterConfig(a)) !== hash(config)) {
      throw new AdapterConfigError('Cannot average adapters with different configurations. Please make sure all adapters have the same configuration.');
    }
  }
  if (opts.svdRank !== undefined && isAdapterConfig(config) && config.values.architecture === 'lora') {
    config = configReplace(config, { r: opts.svdRank });
  }
  let weights: number[];
  if (!opts.weights) weights = adapters.map(() => 1 / adapters.length);
  else {
    if (opts.weights.length !== adapters.length) throw new AdapterConfigError(`${opts.weights.length} weights for ${adapters.length} adapters`, 'weights');
    const sum = opts.normalizeWeights === false ? 1 : opts.weights.reduce((x, y) => x + y, 0);
    weights = opts.weights.map((w) => w / sum);
  }
  model.addAdapter(name, config, { overwriteOk: opts.overwriteOk ?? false });
  try {
    const target = model.adapterModules(name);
    const sources = adapters.map((a) => model.adapterModules(a));
    for (const [siteKey, placed] of target) {
      const inputs = sources.map((s, i) => {
        const p = s.get(siteKey);
        if (!p) throw new AdaptersError(`Adapter "${adapters[i]}" has no module at ${siteKey}`);
        return { params: p.params, weight: weights[i]! };
      });
      const combine = strategy === 'linear' ? linearAverage : placed.method.averageStrategies?.[strategy];
      if (!combine) {
        throw new AdapterConfigError(`The combine_strategy '${strategy}' is not supported for method "${placed.method.name}".`, 'combine_strategy');
      }
      // tf.tidy cannot return a Map: collect in a tidy as an object and rebuild the map.
      const obj = tf.tidy(() => Object.fromEntries(combine(inputs, opts.svdRank === undefined ? {} : { svdRank: opts.svdRank })));
      const values = new Map(Object.entries(obj));
      for (const [k, v] of placed.params) {
        const nv = values.get(k);
        if (!nv) throw new AdaptersError(`Averaging produced no value for ${siteKey}/${k}`);
        v.assign(nv);
      }
      for (const t of values.values()) t.dispose();
    }
    // Model-level parameters (shared PHM rules, prompt tables, prefix pools, invertible adapters): linear only.
    const sharedTarget = model.sharedParameters(name);
    for (const [methodName, sp] of sharedTarget) {
      for (const [key, v] of sp.params) {
        const parts = adapters.map((a, i) => {
          // Model-level keys carry the adapter name as one dotted segment (e.g. `shared_parameters.<name>.phm_rule`).
          const src = model.sharedParameters(a).get(methodName)?.params.get(key.replace(`.${name}.`, `.${a}.`));
          if (!src) throw new AdaptersError(`Adapter "${a}" has no shared parameter for ${key}`);
          return tf.mul(src, weights[i]!);
        });
        const sum = addMany(parts);
        v.assign(sum);
        tf.dispose([...parts, sum]);
      }
    }
  } catch (e) {
    model.deleteAdapter(name);
    throw e;
  }
  if (opts.setActive) model.setActiveAdapters(name);
}

/** The single (non-union) configs of an adapter. */
export function adapterConfigParts(model: AdapterModel, name: string): AdapterConfig[] {
  return [...configMembers(model.adapterConfig(name))];
}
