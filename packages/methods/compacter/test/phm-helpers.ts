import {
  type ConfigInput,
  type MethodInitContext,
  type ModelInfo,
  type ResidualSite,
  Rng,
  requireSingleConfig,
  resolveAdapterConfig,
} from '@adapters/core';
import { type ProjectionSpec, bottleneckOptions } from '@adapters/bottleneck';
import * as tf from '@tensorflow/tfjs-core';
import { type CompacterFixes, createPhmShared } from '../src';

/** A stand-alone residual site (hidden 8). */
export const SITE: ResidualSite = { kind: 'residual', point: 'block.ffn', layer: 0, path: 'encoder.layer.0.output', hiddenSize: 8, hasLayerNorm: true };
export const INFO: ModelInfo = { modelType: 'bert', hiddenSize: 8, numLayers: 1, numAttentionHeads: 2, config: {} };

/** A method init context for `config` with its shared parameters created. */
export function phmCtx(config: ConfigInput, fixes: CompacterFixes = {}, seed = 1): MethodInitContext {
  const c = requireSingleConfig(resolveAdapterConfig(config));
  const base = { adapterName: 't', config: c, model: INFO, rng: new Rng(seed), sites: [SITE] };
  return { ...base, shared: createPhmShared({ ...base, shared: undefined }, fixes) };
}

/** The projection spec of the down (8 → bottleneck) or up projection. */
export function phmSpec(ctx: MethodInitContext, role: 'down' | 'up'): ProjectionSpec {
  const options = bottleneckOptions(ctx.config, 0, SITE.hiddenSize);
  const [inFeatures, outFeatures] = role === 'down' ? [SITE.hiddenSize, options.downSample] : [options.downSample, SITE.hiddenSize];
  const key = `${SITE.path}.adapters.t.${role === 'down' ? 'adapter_down.0' : 'adapter_up'}`;
  return { role, inFeatures, outFeatures, init: options.initWeights, rng: new Rng(role === 'down' ? 2 : 3), key, options, site: SITE, ctx };
}

/** Nested arrays of a tensor. */
export const arr3 = (t: tf.Tensor): number[][][] => t.arraySync() as number[][][];

/** Plain `[n, a, r] × [n, r, b]`. */
export function bmmRef(l: number[][][], r: number[][][]): number[][][] {
  return l.map((L, s) => L.map((row) => r[s]![0]!.map((_, j) => row.reduce((acc, x, k) => acc + x * r[s]![k]![j]!, 0))));
}

/** Plain `H = Σ_s rule_s ⊗ W_s`. */
export function kronSumRef(rule: number[][][], W: number[][][]): number[][] {
  const p = rule[0]!.length;
  const q = rule[0]![0]!.length;
  const a = W[0]!.length;
  const b = W[0]![0]!.length;
  const H = Array.from({ length: p * a }, () => new Array<number>(q * b).fill(0));
  rule.forEach((R, s) => {
    for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) for (let k = 0; k < a; k++) for (let l = 0; l < b; l++) H[i * a + k]![j * b + l]! += R[i]![j]! * W[s]![k]![l]!;
  });
  return H;
}

/** Replaces every variable with N(0, 0.5) values. */
export function perturb(vs: Iterable<tf.Variable>, seed = 11): void {
  let s = seed;
  for (const v of vs) {
    const t = tf.randomNormal(v.shape, 0, 0.5, 'float32', s++);
    v.assign(t);
    t.dispose();
  }
}
