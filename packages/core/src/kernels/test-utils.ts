/**
 * Helpers for backend parity tests (not exported from the package).
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Runs `fn` on `backend` and returns every output as a flat number array. */
export async function runOn(backend: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<number[][]> {
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  try {
    const outs = tf.tidy(() => {
      const r = fn();
      return Array.isArray(r) ? r : [r];
    });
    // Async reads: webgpu's readSync needs OffscreenCanvas, which Node lacks.
    const values = await Promise.all(outs.map(async (t) => Array.from(await t.data())));
    tf.dispose(outs);
    return values;
  } finally {
    await tf.setBackend(previous);
  }
}

/** Max absolute difference of two equally shaped flat arrays. */
export function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** Asserts `fn` gives the same outputs on `backend` as on cpu, within `tol` (absolute). */
export async function expectParity(backend: string, fn: () => tf.Tensor | tf.Tensor[], tol = 1e-4): Promise<number> {
  const ref = await runOn('cpu', fn);
  const got = await runOn(backend, fn);
  expect(got.length).toBe(ref.length);
  let worst = 0;
  ref.forEach((r, i) => {
    const d = maxAbsDiff(got[i] as number[], r);
    worst = Math.max(worst, d);
  });
  expect(worst).toBeLessThanOrEqual(tol);
  return worst;
}

/** Deterministic pseudo-random tensor (same values on every backend). */
export function seeded(shape: number[], seed: number, scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return tf.tensor(v, shape);
}

/**
 * A tiny transformer block exercising every op the models need: gather (+ its gradient), matMul
 * with transposes and 3-D × 2-D broadcasting, 4-D batched attention, bandPart causal mask with
 * `where`, softmax, erf-GELU, layer norm from moments, concat/slice/split. Returns the loss and the
 * gradients of every parameter.
 */
export function miniTransformerStep(): tf.Tensor[] {
  const [B, T, D, H, V] = [2, 5, 8, 2, 11];
  const dh = D / H;
  const emb = seeded([V, D], 11, 0.5);
  const wqkv = seeded([D, 3 * D], 12, 0.3);
  const wo = seeded([D, D], 13, 0.3);
  const w1 = seeded([D, 2 * D], 14, 0.3);
  const w2 = seeded([2 * D, D], 15, 0.3);
  const gamma = tf.add(seeded([D], 16, 0.1), 1);
  const beta = seeded([D], 17, 0.1);
  const ids = tf.tensor2d([1, 4, 2, 9, 0, 3, 3, 10, 7, 5], [B, T], 'int32');
  const labels = tf.tensor1d([2, 7], 'int32');

  const layerNorm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-12))), g), b);
  };
  const gelu = (x: tf.Tensor): tf.Tensor => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.div(x, Math.SQRT2)), 1));
  const heads = (x: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(x, [B, T, H, dh]), [0, 2, 1, 3]);

  const loss = (e: tf.Tensor, qkv: tf.Tensor, o: tf.Tensor, f1: tf.Tensor, f2: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
    const x = tf.gather(e, ids); // [B,T,D]
    const proj = tf.matMul(x, qkv); // [B,T,3D] (3-D × 2-D)
    const [q, k, v] = tf.split(proj, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const scores = tf.div(tf.matMul(heads(q), heads(k), false, true), Math.sqrt(dh)); // [B,H,T,T]
    const causal = tf.cast(tf.linalg.bandPart(tf.ones([T, T]), -1, 0), 'bool');
    const masked = tf.where(tf.broadcastTo(causal, [B, H, T, T]), scores, tf.fill([B, H, T, T], -1e9));
    const ctx = tf.matMul(tf.softmax(masked), heads(v)); // [B,H,T,dh]
    const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [B, T, D]);
    const h1 = layerNorm(tf.add(x, tf.matMul(merged, o)), g, b);
    const ff = tf.matMul(gelu(tf.matMul(h1, f1)), f2);
    const h2 = tf.concat([tf.slice(h1, [0, 0, 0], [B, 1, D]), tf.slice(tf.add(h1, ff), [0, 1, 0], [B, T - 1, D])], 1);
    const cls = tf.reshape(tf.slice(h2, [0, 0, 0], [B, 1, D]), [B, D]);
    const logits = tf.matMul(cls, e, false, true); // tied output embedding: [B,V]
    const logp = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logp, tf.oneHot(labels, V)), -1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  };
  const params = [emb, wqkv, wo, w1, w2, gamma, beta];
  const { value, grads } = tf.valueAndGrads(loss as (...a: tf.Tensor[]) => tf.Tensor)(params);
  return [value, ...grads];
}
