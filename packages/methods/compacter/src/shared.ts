import {
  type AdapterConfig,
  AdapterConfigError,
  type MethodInitContext,
  Rng,
  type SharedParams,
  configValue,
  isPythonFloat,
  namedVariable,
  toNumber,
} from '@adapters/core';
import { pyFloorDiv } from '@adapters/bottleneck';
import * as tf from '@tensorflow/tfjs-core';
import { type CompacterFixes, initRule, initW } from './phm-init';
import { type PhmOptions, phmOptions } from './options';

/** State-dict key of a shared Compacter parameter: `shared_parameters.<adapter>.<local>` (Python's model-level ParameterDict). */
export function sharedKey(adapterName: string, local: string): string {
  return `shared_parameters.${adapterName}.${local}`;
}

/** Local names of the shared rule parameters for these options. */
export function ruleNames(o: PhmOptions): string[] {
  return o.factorizedRule ? ['phm_rule_left', 'phm_rule_right'] : ['phm_rule'];
}

/**
 * Python `init_shared_parameters`' bottleneck size for shared W: `hidden // reduction_factor`
 * (no `max(1, …)`, the raw config value; a per-layer mapping or a float fails in Python).
 */
function sharedOutFeatures(c: AdapterConfig, hidden: number): number {
  const rf = configValue(c, 'reduction_factor');
  const n = toNumber(rf);
  if (n === undefined || isPythonFloat(rf) || typeof rf === 'boolean' || n === 0) {
    throw new AdapterConfigError(
      `shared_W_phm needs an int reduction_factor (Python sizes the shared W as hidden // reduction_factor), got ${JSON.stringify(rf)}`,
      'reduction_factor',
    );
  }
  return pyFloorDiv(hidden, n);
}

/**
 * Python `init_shared_parameters`: the adapter's model-level Compacter parameters, created when
 * `shared_phm_rule` or `shared_W_phm` is set. Keys `shared_parameters.<name>.{W_down_left,
 * W_down_right, W_up_left, W_up_right | W_down, W_up, phm_rule | phm_rule_left, phm_rule_right}`.
 * With `learn_phm: false` the rule is frozen.
 */
export function createPhmShared(ctx: MethodInitContext, fixes: CompacterFixes = {}): SharedParams | undefined {
  const o = phmOptions(ctx.config);
  if (!o.sharedRule && !o.sharedW) return undefined;
  const n = o.phmDim;
  const hidden = ctx.model.hiddenSize;
  const seed = toNumber(configValue(ctx.config, 'init_weights_seed'));
  // Python draws these right after the layers' `fix_seed(init_weights_seed)`: a fixed seed gives fixed values.
  const rng = (seed ? new Rng(seed) : ctx.rng).fork('shared_parameters');
  const params = new Map<string, tf.Variable>();
  const frozen = new Set<string>();
  const add = (local: string, data: Float32Array, shape: number[], trainable = true): void => {
    const key = sharedKey(ctx.adapterName, local);
    params.set(key, namedVariable(tf.tensor(data, shape), key, trainable));
    if (!trainable) frozen.add(key);
  };
  try {
    if (o.sharedW) {
      const out = sharedOutFeatures(ctx.config, hidden);
      const inPer = Math.floor(hidden / n);
      const outPer = Math.floor(out / n);
      const r = o.phmRank;
      if (o.factorizedW) {
        add('W_down_left', initW(rng.fork('W_down_left'), o, inPer, r, fixes), [n, inPer, r]);
        add('W_down_right', initW(rng.fork('W_down_right'), o, r, outPer, fixes), [n, r, outPer]);
        add('W_up_left', initW(rng.fork('W_up_left'), o, outPer, r, fixes), [n, outPer, r]);
        add('W_up_right', initW(rng.fork('W_up_right'), o, r, inPer, fixes), [n, r, inPer]);
      } else if (fixes.sharedUnfactorizedW) {
        add('W_down', initW(rng.fork('W_down'), o, inPer, outPer, fixes), [n, inPer, outPer]);
        add('W_up', initW(rng.fork('W_up'), o, outPer, inPer, fixes), [n, outPer, inPer]);
      } else {
        throw new AdapterConfigError(
          'shared_W_phm with factorized_phm_W=false fails in Python 1.1.0 (init_shared_parameters reads an undefined ' +
            '`_in_feats_per_axis`); use factorized_phm_W=true or createCompacter({ sharedUnfactorizedW: true })',
          'factorized_phm_W',
        );
      }
    }
    if (o.sharedRule) {
      if (o.factorizedRule) {
        add('phm_rule_left', initRule(rng.fork('phm_rule_left'), o, n * n, true), [n, n, 1], o.learnPhm);
        add('phm_rule_right', initRule(rng.fork('phm_rule_right'), o, n * n, true), [n, 1, n], o.learnPhm);
      } else {
        add('phm_rule', initRule(rng.fork('phm_rule'), o, n * n * n, true), [n, n, n], o.learnPhm);
      }
    }
  } catch (e) {
    for (const v of params.values()) v.dispose();
    throw e;
  }
  return { params, frozen };
}
