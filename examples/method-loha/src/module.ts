import {
  AdapterConfigError,
  type ForwardContext,
  type LinearModule,
  type LinearSite,
  type MethodInitContext,
  type Rng,
  configValue,
  namedVariable,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { num } from './targets';

/** PyTorch `kaiming_uniform_(w, a=√5)` on a `[rows, fanIn]` matrix: U(−1/√fanIn, 1/√fanIn). */
function kaimingUniform(rng: Rng, rows: number, fanIn: number): tf.Tensor {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.tensor(rng.fill(rows * fanIn, () => rng.uniform(-bound, bound)), [rows, fanIn]);
}

/**
 * ΔW of a LoHa module in PyTorch's `[out, in]` layout: `(W1a·W1b) ⊙ (W2a·W2b) · scale`
 * (PEFT `LoHaLayer.get_delta_weight`).
 */
export function lohaDelta(w1a: tf.Tensor, w1b: tf.Tensor, w2a: tf.Tensor, w2b: tf.Tensor, scale: number): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(tf.matMul(w1a, w1b), tf.matMul(w2a, w2b)), scale));
}

/**
 * A LoHa module at a linear site. Parameters (PEFT names): `hada_w1_a`, `hada_w2_a` `[out, r]` and
 * `hada_w1_b`, `hada_w2_b` `[r, in]`, so ΔW has rank up to r², with 2·r·(in + out) parameters.
 * Forward: `h ← dropout(h ?? x) · ΔWᵀ`; combined with the base output by addition (like LoRA, so
 * it composes with LoRA-family adapters at the same site).
 */
export function createLohaModule(site: LinearSite, ctx: MethodInitContext): LinearModule {
  const c = ctx.config;
  const r = num(c, 'r');
  if (!(r > 0) || !Number.isInteger(r)) throw new AdapterConfigError(`r must be a positive integer, got ${r}`, 'r');
  const scale = num(c, 'alpha') / r;
  const dropout = num(c, 'dropout');
  const identityInit = configValue(c, 'init_weights') !== false;
  const key = `${site.path}.lohas.${ctx.adapterName}`;
  const rng = ctx.rng.fork(key);
  const { inFeatures: nIn, outFeatures: nOut } = site;
  const w1a = namedVariable(kaimingUniform(rng, nOut, r), `${key}.hada_w1_a`);
  const w1b = namedVariable(kaimingUniform(rng, r, nIn), `${key}.hada_w1_b`);
  const w2a = namedVariable(kaimingUniform(rng, nOut, r), `${key}.hada_w2_a`);
  // PEFT zero-initialises W2b, so ΔW = 0 at init.
  const w2b = namedVariable(identityInit ? tf.zeros([r, nIn]) : kaimingUniform(rng, r, nIn), `${key}.hada_w2_b`);
  const params = new Map<string, tf.Variable>([
    ['hada_w1_a', w1a],
    ['hada_w1_b', w1b],
    ['hada_w2_a', w2a],
    ['hada_w2_b', w2b],
  ]);
  const deltaFor = (s: LinearSite): tf.Tensor => {
    const d = lohaDelta(w1a, w1b, w2a, w2b, scale); // [out, in]
    if (s.weightLayout === 'out_in') return d;
    const t = tf.transpose(d);
    d.dispose();
    return t;
  };
  return {
    params,
    forward(hidden: tf.Tensor | null, input: tf.Tensor, fctx: ForwardContext) {
      const h = fctx.dropout(hidden ?? input, dropout);
      const shape = h.shape;
      const h2 = tf.reshape(h, [-1, shape[shape.length - 1]!]);
      const delta = lohaDelta(w1a, w1b, w2a, w2b, scale);
      const y = tf.matMul(h2, delta, false, true);
      return tf.reshape(y, [...shape.slice(0, -1), nOut]);
    },
    combine: (output, hidden) => tf.add(output, hidden),
    merge: (weight, s) => tf.tidy(() => tf.add(weight, deltaFor(s))),
    unmerge: (weight, s) => tf.tidy(() => tf.sub(weight, deltaFor(s))),
  };
}
