import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expmTf, householderQ, orthogonalInit, orthogonalWeight } from '../src';
import { Rng } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';

/** Plain float64 reference of PyTorch's householder map for a wide [r, n] `original` and [n, n] base. */
function referenceHouseholder(original: number[][], base: number[][]): number[][] {
  const r = original.length;
  const n = original[0]!.length;
  const x = Array.from({ length: n }, (_, i) => Array.from({ length: r }, (_, j) => original[j]![i]!)); // [n, r]
  let q: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: r }, (_, j): number => (i === j ? 1 : 0)));
  for (let j = r - 1; j >= 0; j--) {
    const v = x.map((row, i) => (i < j ? 0 : i === j ? 1 : row[j]!));
    const tau = 2 / (1 + v.reduce((a, e, i) => a + (i > j ? e * e : 0), 0));
    const vq = Array.from({ length: r }, (_, c) => v.reduce((a, e, i) => a + e * q[i]![c]!, 0));
    q = q.map((row, i) => row.map((e, c) => e - tau * v[i]! * vq[c]!));
  }
  q = q.map((row) => row.map((e, c) => e * Math.trunc(x[c]![c]!)));
  const w = Array.from({ length: n }, (_, i) => Array.from({ length: r }, (_, c) => base[i]!.reduce((a, b, k) => a + b * q[k]![c]!, 0)));
  return Array.from({ length: r }, (_, c) => w.map((row) => row[c]!));
}

describe('PyTorch orthogonal parametrization', () => {
  it('householder map (r = 3, n = 7) matches a float64 reference; rows are orthonormal', () => {
    const rng = new Rng(3);
    const original = Array.from({ length: 3 }, (_, j) => Array.from({ length: 7 }, (_, i) => (i === j ? (j === 1 ? 1.7 : -1.2) : rng.normal(0, 0.3))));
    const base = householderQ(Float64Array.from({ length: 49 }, () => rng.normal()), 7, 7);
    const baseRows = Array.from({ length: 7 }, (_, i) => Array.from(base.slice(i * 7, i * 7 + 7)));
    const w = orthogonalWeight(tf.tensor2d(original), tf.tensor2d(baseRows));
    expect(maxAbsDiff(w, tf.tensor2d(referenceHouseholder(original, baseRows)))).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(tf.matMul(w, w, false, true), tf.eye(3))).toBeLessThanOrEqual(1e-5);
  });

  it('matrix_exp map for a square weight: 2×2 gives the rotation by the lower entry', () => {
    const theta = 0.8;
    const w = orthogonalWeight(tf.tensor2d([[5, 0], [theta, -2]]), tf.eye(2));
    // A = tril(X) − tril(X)ᵀ = [[0, −θ], [θ, 0]] → expm(A) = [[cos, −sin], [sin, cos]]
    expect(maxAbsDiff(w, tf.tensor2d([[Math.cos(theta), -Math.sin(theta)], [Math.sin(theta), Math.cos(theta)]]))).toBeLessThanOrEqual(1e-6);
    const big = expmTf(tf.tensor2d([[0, -9], [9, 0]]));
    expect(maxAbsDiff(big, tf.tensor2d([[Math.cos(9), -Math.sin(9)], [Math.sin(9), Math.cos(9)]]))).toBeLessThanOrEqual(1e-5);
  });

  it('right_inverse init: W(original = −I, base) is the QR-orthonormalised initial weight', () => {
    const rng = new Rng(5);
    const w0 = rng.fill(2 * 6, () => rng.uniform(-1, 1));
    const { base, original, n } = orthogonalInit(w0, 2, 6);
    expect(n).toBe(6);
    const w = orthogonalWeight(tf.tensor2d(original, [2, 6]), tf.tensor2d(base, [6, 6]));
    // Gram–Schmidt of the rows of w0 (positive R diagonal).
    const r0 = Array.from(w0.slice(0, 6));
    const r1 = Array.from(w0.slice(6, 12));
    const n0 = Math.hypot(...r0);
    const q0 = r0.map((e) => e / n0);
    const d = r1.reduce((a, e, i) => a + e * q0[i]!, 0);
    const u1 = r1.map((e, i) => e - d * q0[i]!);
    const n1 = Math.hypot(...u1);
    expect(maxAbsDiff(w, tf.tensor2d([q0, u1.map((e) => e / n1)]))).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(tf.matMul(tf.tensor2d(base, [6, 6]), tf.tensor2d(base, [6, 6]), true), tf.eye(6))).toBeLessThanOrEqual(1e-6);
  });

  it('gradients flow into original (not through the int() diagonal)', () => {
    const original = tf.variable(tf.tensor2d([[-1, 0.2, -0.1, 0.3]]));
    const base = tf.eye(4);
    const g = tf.variableGrads(() => tf.sum(tf.mul(orthogonalWeight(original, base), tf.tensor2d([[1, 2, 3, 4]]))) as tf.Scalar, [original]);
    const grad = g.grads[original.name]!.arraySync() as number[][];
    expect(grad[0]!.slice(1).some((e) => Math.abs(e) > 1e-3)).toBe(true);
    // Central difference on an off-diagonal entry.
    const f = (x: number): number => tf.tidy(() => tf.sum(tf.mul(orthogonalWeight(tf.tensor2d([[-1, x, -0.1, 0.3]]), base), tf.tensor2d([[1, 2, 3, 4]]))).dataSync()[0]!);
    expect(grad[0]![1]!).toBeCloseTo((f(0.2 + 1e-3) - f(0.2 - 1e-3)) / 2e-3, 3);
  });
});
