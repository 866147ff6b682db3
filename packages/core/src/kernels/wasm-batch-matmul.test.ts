import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupBackend } from '../backend/index';
import { planMatMul } from './wasm-batch-matmul';
import { activeKernelPatches } from './index';
import { expectParity, seeded } from './test-utils';

beforeAll(async () => {
  await setupBackend({ backend: 'wasm' });
  await tf.setBackend('cpu');
});

describe('planMatMul', () => {
  it('leaves the already-fast case to the original kernel', () => {
    expect(planMatMul([4, 5], [5, 6], false, false)).toBeNull();
    expect(planMatMul([1, 4, 5], [1, 5, 6], false, false)).toBeNull();
  });
  it('folds the batch when the right operand has batch 1', () => {
    expect(planMatMul([8, 4, 5], [5, 6], false, false)).toMatchObject({ mode: 'fold', outShape: [8, 4, 6] });
    expect(planMatMul([4, 5], [6, 5], false, true)).toMatchObject({ mode: 'fold', m: 4, k: 5, n: 6 });
  });
  it('loops over batch slices otherwise', () => {
    expect(planMatMul([2, 3, 4, 5], [2, 3, 6, 5], false, true)).toMatchObject({ mode: 'loop', outShape: [2, 3, 4, 6] });
    expect(planMatMul([4, 5], [3, 5, 6], false, false)).toMatchObject({ mode: 'loop', batchA: 1, batchB: 3 });
  });
  it('declines mismatched or unsupported shapes', () => {
    expect(planMatMul([4, 5], [4, 6], false, false)).toBeNull();
    expect(planMatMul([2, 4, 5], [3, 5, 6], false, false)).toBeNull();
    expect(planMatMul([0, 4, 5], [5, 6], false, false)).toBeNull();
  });
});

describe('wasm BatchMatMul patch: parity with cpu', () => {
  it('is registered', () => {
    expect(activeKernelPatches()).toContain('BatchMatMul/wasm');
  });

  const cases: Array<[string, number[], number[], boolean, boolean]> = [
    ['2-D plain (original path)', [7, 5], [5, 6], false, false],
    ['2-D transposeA', [5, 7], [5, 6], true, false],
    ['2-D transposeB', [7, 5], [6, 5], false, true],
    ['2-D both transposed', [5, 7], [6, 5], true, true],
    ['3-D x 2-D (fold)', [3, 7, 5], [5, 6], false, false],
    ['3-D x 2-D transposeB (fold)', [3, 7, 5], [6, 5], false, true],
    ['3-D transposeA x 3-D (loop)', [3, 5, 7], [3, 5, 6], true, false],
    ['4-D attention scores QK^T', [2, 3, 8, 4], [2, 3, 8, 4], false, true],
    ['4-D attention context PV', [2, 3, 8, 8], [2, 3, 8, 4], false, false],
    ['broadcast A (batch 1) over B', [7, 5], [3, 5, 6], false, false],
    ['batch-1 operands, both transposed', [1, 5, 7], [1, 6, 5], true, true],
  ];
  for (const [name, aShape, bShape, tA, tB] of cases) {
    it(name, async () => {
      await expectParity('wasm', () => tf.matMul(seeded(aShape, 1), seeded(bShape, 2), tA, tB), 1e-4);
    });
  }

  it('gradients of a 3-D x 2-D product and of 4-D attention', async () => {
    await expectParity('wasm', () => {
      const x = seeded([2, 6, 5], 3);
      const w = seeded([5, 4], 4);
      const q = seeded([2, 2, 6, 4], 5);
      const k = seeded([2, 2, 6, 4], 6);
      const f = (xx: tf.Tensor, ww: tf.Tensor, qq: tf.Tensor, kk: tf.Tensor): tf.Scalar => {
        const h = tf.matMul(xx, ww); // [2,6,4]
        const s = tf.matMul(qq, kk, false, true); // [2,2,6,6]
        const ctx = tf.matMul(tf.softmax(s), kk); // [2,2,6,4]
        return tf.add(tf.sum(tf.mul(h, h)), tf.sum(tf.mul(ctx, seeded([2, 2, 6, 4], 7))));
      };
      return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([x, w, q, k]);
    }, 1e-4);
  });

  it('fused matMul with bias and relu (fold) and transposes', async () => {
    await expectParity('wasm', () => [
      tf.fused.matMul({ a: seeded([3, 7, 5], 8) as tf.Tensor3D, b: seeded([6, 5], 9) as tf.Tensor2D, transposeB: true, bias: seeded([6], 10), activation: 'relu' }),
      tf.fused.matMul({ a: seeded([2, 5, 7], 11) as tf.Tensor3D, b: seeded([2, 5, 6], 12) as tf.Tensor3D, transposeA: true }),
    ]);
  });

  it('does not leak tensors or wasm buffers', async () => {
    await tf.setBackend('wasm');
    try {
      const a = seeded([2, 3, 8, 4], 1);
      const b = seeded([2, 3, 8, 4], 2);
      const w = seeded([4, 5], 3);
      tf.tidy(() => tf.matMul(a, b, false, true)); // warm-up
      const before = tf.memory();
      for (let i = 0; i < 3; i++) {
        tf.tidy(() => {
          tf.matMul(a, b, false, true).dataSync();
          tf.matMul(a, w).dataSync();
          tf.matMul(w, a, true, true).dataSync();
        });
      }
      const after = tf.memory();
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numDataBuffers).toBe(before.numDataBuffers);
      tf.dispose([a, b, w]);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});
