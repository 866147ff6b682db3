import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerKernelPatches, unregisterKernelPatches, activeKernelPatches } from './index';
import { maxAbsDiff, seeded } from './test-utils';

/** Gradients of sum(matMul(a, b) * probe) w.r.t. a and b. */
function grads(a: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean, probe: tf.Tensor): tf.Tensor[] {
  return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, tA, tB), probe)))([a, b]);
}

/** Reference: broadcast both operands explicitly to the full batch, differentiate, sum back. */
function referenceGrads(a: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean, probe: tf.Tensor): tf.Tensor[] {
  const batch = probe.shape.slice(0, -2);
  const full = (t: tf.Tensor): tf.Tensor => tf.broadcastTo(t, [...batch, ...t.shape.slice(-2)]);
  const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, tA, tB), probe)))([full(a), full(b)]) as [tf.Tensor, tf.Tensor];
  const back = (g: tf.Tensor, shape: number[]): tf.Tensor => {
    const lead = g.rank - shape.length;
    const axes: number[] = [];
    for (let i = 0; i < g.rank - 2; i++) if (i < lead || shape[i - lead] === 1) axes.push(i);
    return tf.reshape(axes.length ? tf.sum(g, axes) : g, shape);
  };
  return [back(ga, a.shape), back(gb, b.shape)];
}

describe('BatchMatMul gradient with batch broadcasting', () => {
  beforeAll(() => {
    registerKernelPatches();
  });
  afterAll(() => {
    registerKernelPatches();
  });

  it('is registered as a patch', () => {
    expect(activeKernelPatches()).toContain('BatchMatMul/gradient');
  });

  const cases: Array<[string, number[], number[], boolean, boolean, number[]]> = [
    ['[B,T,D] @ [D,F]', [3, 4, 5], [5, 6], false, false, [3, 4, 6]],
    ['[B,T,D] @ [F,D]^T', [3, 4, 5], [6, 5], false, true, [3, 4, 6]],
    ['[B,D,T]^T @ [D,F]', [3, 5, 4], [5, 6], true, false, [3, 4, 6]],
    ['[B,D,T]^T @ [F,D]^T', [3, 5, 4], [6, 5], true, true, [3, 4, 6]],
    ['[T,D] @ [B,D,F] (left broadcast)', [4, 5], [3, 5, 6], false, false, [3, 4, 6]],
    ['[2,3,T,D] @ [1,3,D,F]', [2, 3, 4, 5], [1, 3, 5, 6], false, false, [2, 3, 4, 6]],
    ['same batch (no broadcast)', [3, 4, 5], [3, 6, 5], false, true, [3, 4, 6]],
  ];
  for (const [name, aShape, bShape, tA, tB, outShape] of cases) {
    it(name, () => {
      tf.tidy(() => {
        const a = seeded(aShape, 1);
        const b = seeded(bShape, 2);
        const probe = seeded(outShape, 3);
        const got = grads(a, b, tA, tB, probe);
        const ref = referenceGrads(a, b, tA, tB, probe);
        got.forEach((g, i) => {
          const r = ref[i] as tf.Tensor;
          expect(g.shape).toEqual(r.shape);
          expect(maxAbsDiff(Array.from(g.dataSync()), Array.from(r.dataSync()))).toBeLessThan(1e-4);
        });
      });
    });
  }

  it('tfjs’ own gradient fails on [B,T,D] @ [D,F] (why the patch exists)', () => {
    unregisterKernelPatches();
    try {
      expect(() => tf.tidy(() => grads(seeded([2, 3, 4], 1), seeded([4, 5], 2), false, false, seeded([2, 3, 5], 3)))).toThrow(
        /does not match the shape of the input/,
      );
    } finally {
      registerKernelPatches();
    }
  });
});
