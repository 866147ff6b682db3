import { type MethodInitContext, type ResidualSite, type Rng, linearOutIn, namedVariable } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type InitScheme, kaimingUniformInit, linearBiasInit, normalInit, truncNormalInit } from './init';
import type { BottleneckOptions } from './options';

/** What a projection builder gets: which projection, its sizes, the init scheme and a seeded rng. */
export interface ProjectionSpec {
  /** `down` (hidden → bottleneck, inside `adapter_down`) or `up` (bottleneck → hidden, `adapter_up`). */
  readonly role: 'down' | 'up';
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Python `init_weights` of the adapter. */
  readonly init: InitScheme;
  /** Seeded generator for this projection (already forked per site/adapter or fixed by `init_weights_seed`). */
  readonly rng: Rng;
  /**
   * Full state-dict key prefix of the projection, e.g. `encoder.layer.0.output.adapters.a.adapter_down.0`
   * (use it to name variables; the local names returned in {@link Projection.params} are relative to it).
   */
  readonly key: string;
  /** All validated bottleneck options of the module. */
  readonly options: BottleneckOptions;
  readonly site: ResidualSite;
  /** The method's init context (config, model info, shared parameters such as Compacter's PHM rules). */
  readonly ctx: MethodInitContext;
}

/** A projection `[..., in] → [..., out]` with its parameters. */
export interface Projection {
  /** Parameters by name relative to the projection (`weight`, `bias`; PHM: `W_left`, `W_right`, `b` …). */
  readonly params: ReadonlyMap<string, tf.Variable>;
  /** Relative names of parameters that must never train. */
  readonly frozen?: ReadonlySet<string>;
  apply(x: tf.Tensor): tf.Tensor;
}

/** Builds one projection (the default is {@link linearProjection}; Compacter swaps in PHM layers). */
export type ProjectionBuilder = (spec: ProjectionSpec) => Projection;

/**
 * `nn.Linear(in, out)` initialised like Python's `Adapter`: `bert` → N(0, 0.02) weight, zero bias;
 * `mam_adapter` → down: kaiming-uniform(a=√5) weight, zero bias; up: zeros; `houlsby` →
 * trunc-normal(0, 0.01, ±0.02) weight, zero bias. Weight layout `[out, in]` (PyTorch).
 */
export const linearProjection: ProjectionBuilder = (spec) => {
  const { inFeatures: fin, outFeatures: fout, rng } = spec;
  const n = fin * fout;
  let w: Float32Array;
  switch (spec.init) {
    case 'bert':
      w = normalInit(rng, n, 0.02);
      break;
    case 'mam_adapter':
      w = spec.role === 'down' ? kaimingUniformInit(rng, n, fin) : new Float32Array(n);
      break;
    case 'houlsby':
      w = truncNormalInit(rng, n, 1e-2, -2e-2, 2e-2);
      break;
  }
  const weight = namedVariable(tf.tensor2d(w, [fout, fin]), `${spec.key}.weight`);
  const bias = namedVariable(tf.zeros([fout]), `${spec.key}.bias`);
  return {
    params: new Map([
      ['weight', weight],
      ['bias', bias],
    ]),
    apply: (x) => linearOutIn(x, weight, bias),
  };
};

/** A plain `nn.Linear` with PyTorch's default init (kaiming-uniform weight, uniform bias): used for the gate under `houlsby`. */
export function defaultLinearInit(rng: Rng, fin: number, fout: number): { weight: Float32Array; bias: Float32Array } {
  return { weight: kaimingUniformInit(rng, fin * fout, fin), bias: linearBiasInit(rng, fout, fin) };
}
