import { type ForwardContext, type Rng, getActivation, namedVariable } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { orthogonalInit, orthogonalWeight } from './orthogonal';

/** Settings of one ReFT unit (Python `ReftUnit.__init__` arguments). */
export interface ReftUnitOptions {
  readonly hidden: number;
  readonly r: number;
  readonly orthogonal: boolean;
  readonly subtractProjection: boolean;
  readonly nonLinearity: string | null;
  readonly dropout: number;
}

/** A ReFT unit: its parameters by local name (relative to the unit) and its forward. */
export interface ReftUnit {
  readonly params: Map<string, tf.Variable>;
  /** Local names that are buffers (the orthogonal `base`). */
  readonly buffers: Set<string>;
  /** The materialised projection `R` (`[r, hidden]`). */
  projection(): tf.Tensor2D;
  /** `dropout(h + (act(W h + b) − R h) R)` on `[B, P, hidden]` states. */
  forward(x: tf.Tensor, ctx: ForwardContext): tf.Tensor;
}

/** Local names of the orthogonal parametrization (PyTorch `parametrize` naming). */
export const ORTHOGONAL_ORIGINAL = 'projection.parametrizations.weight.original';
export const ORTHOGONAL_BASE = 'projection.parametrizations.weight.0.base';

/** PyTorch `nn.Linear` default init: U(−1/√in, 1/√in) for weight and bias. */
function linearInit(rng: Rng, n: number, fanIn: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  return rng.fill(n, () => rng.uniform(-bound, bound));
}

/**
 * Python `ReftUnit`: `learned_source = Linear(hidden → r, bias)`, `projection = Linear(hidden → r, no bias)`,
 * orthogonal (PyTorch parametrization) when `orthogonal`. `keyPrefix` names the variables.
 */
export function createReftUnit(opts: ReftUnitOptions, rng: Rng, keyPrefix: string): ReftUnit {
  const { hidden: d, r } = opts;
  const act = getActivation(opts.nonLinearity);
  const params = new Map<string, tf.Variable>();
  const buffers = new Set<string>();
  const ws = namedVariable(tf.tensor2d(linearInit(rng, r * d, d), [r, d]), `${keyPrefix}.learned_source.weight`);
  const bs = namedVariable(tf.tensor1d(linearInit(rng, r, d)), `${keyPrefix}.learned_source.bias`);
  params.set('learned_source.weight', ws);
  params.set('learned_source.bias', bs);
  const w0 = linearInit(rng, r * d, d);
  let projection: () => tf.Tensor2D;
  if (opts.orthogonal) {
    const init = orthogonalInit(w0, r, d);
    const original = namedVariable(tf.tensor2d(init.original, [r, d]), `${keyPrefix}.${ORTHOGONAL_ORIGINAL}`);
    const base = namedVariable(tf.tensor2d(init.base, [init.n, init.n]), `${keyPrefix}.${ORTHOGONAL_BASE}`, false);
    params.set(ORTHOGONAL_ORIGINAL, original);
    params.set(ORTHOGONAL_BASE, base);
    buffers.add(ORTHOGONAL_BASE);
    projection = () => orthogonalWeight(original, base);
  } else {
    const pw = namedVariable(tf.tensor2d(w0, [r, d]), `${keyPrefix}.projection.weight`);
    params.set('projection.weight', pw);
    projection = () => pw as tf.Tensor2D;
  }
  return {
    params,
    buffers,
    projection,
    forward(x, ctx) {
      const shape = x.shape;
      const x2 = tf.reshape(x, [-1, d]);
      const rw = projection();
      let source = act(tf.add(tf.matMul(x2, ws, false, true), bs));
      if (opts.subtractProjection) source = tf.sub(source, tf.matMul(x2, rw, false, true));
      const out = tf.add(x2, tf.matMul(source, rw));
      return ctx.dropout(tf.reshape(out, shape), opts.dropout);
    },
  };
}
