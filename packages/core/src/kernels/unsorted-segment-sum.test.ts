import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupBackend } from '../backend/index';
import { activeKernelPatches, registerKernelPatches, unregisterKernelPatches } from './index';
import { expectParity, maxAbsDiff, runOn, seeded } from './test-utils';

beforeAll(async () => {
  await setupBackend({ backend: 'wasm', threads: 1 });
  await tf.setBackend('cpu');
});

/** Plain-JS reference with TensorFlow semantics (out-of-range ids dropped). */
function reference(x: number[], ids: number[], inner: number, numSegments: number): number[] {
  const out = new Array<number>(numSegments * inner).fill(0);
  ids.forEach((s, r) => {
    if (s < 0 || s >= numSegments) return;
    for (let j = 0; j < inner; j++) out[s * inner + j] = (out[s * inner + j] as number) + (x[r * inner + j] as number);
  });
  return out;
}

describe('UnsortedSegmentSum scatter-add kernel', () => {
  it('is registered for cpu and wasm', () => {
    expect(activeKernelPatches()).toEqual(expect.arrayContaining(['UnsortedSegmentSum/cpu', 'UnsortedSegmentSum/wasm']));
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`matches a plain reference on ${backend} (1-D ids, out-of-range ids dropped)`, async () => {
      const xVals = Array.from({ length: 18 }, (_, i) => i * 0.5 - 3);
      const ids = [0, 3, 3, -1, 4, 1];
      const [got] = await runOn(backend, () => tf.unsortedSegmentSum(tf.tensor2d(xVals, [6, 3]), tf.tensor1d(ids, 'int32'), 4));
      expect(maxAbsDiff(got as number[], reference(xVals, ids, 3, 4))).toBeLessThan(1e-6);
    });

    it(`supports N-D segment ids and int32 values on ${backend}`, async () => {
      const xVals = Array.from({ length: 24 }, (_, i) => i - 7);
      const ids = [2, 0, 2, 1, 1, 0];
      const [f, i32] = await runOn(backend, () => {
        const x = tf.tensor3d(xVals, [2, 3, 4]);
        // N-D segment ids: supported by the kernel (TensorFlow semantics); the op is typed 1-D.
        const s = tf.tensor2d(ids, [2, 3], 'int32') as unknown as tf.Tensor1D;
        const r1 = tf.unsortedSegmentSum(x, s, 3);
        const r2 = tf.unsortedSegmentSum(tf.cast(x, 'int32'), s, 3);
        expect(r1.shape).toEqual([3, 4]);
        expect(r2.dtype).toBe('int32');
        return [r1, r2];
      });
      const ref = reference(xVals, ids, 4, 3);
      expect(maxAbsDiff(f as number[], ref)).toBeLessThan(1e-6);
      expect(i32).toEqual(ref);
    });
  }

  it('agrees with tfjs’ original cpu kernel', async () => {
    const f = (): tf.Tensor => tf.unsortedSegmentSum(seeded([7, 5], 1), tf.tensor1d([3, 0, 0, 2, 5, 3, 1], 'int32'), 6);
    const [patched] = await runOn('cpu', f);
    unregisterKernelPatches();
    try {
      const [original] = await runOn('cpu', f);
      expect(maxAbsDiff(patched as number[], original as number[])).toBeLessThan(1e-6);
    } finally {
      registerKernelPatches();
    }
  });

  it('gives the gather (embedding) gradient on wasm equal to cpu', async () => {
    await expectParity('wasm', () => {
      const table = seeded([10, 4], 2);
      const idx = tf.tensor2d([1, 2, 1, 9, 0, 1], [2, 3], 'int32');
      const probe = seeded([2, 3, 4], 3);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), probe)))(table);
      // gather along axis 1 too (label gathers)
      const g1 = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([3, 3, 0], 'int32'), 1)))(table);
      return [g, g1];
    }, 1e-5);
  });

  it('handles a BERT-size vocabulary in one pass', async () => {
    for (const backend of ['cpu', 'wasm']) {
      const t0 = performance.now();
      await runOn(backend, () => {
        const table = tf.zeros([30522, 32]);
        const idx = tf.tensor1d(Array.from({ length: 512 }, (_, i) => (i * 7919) % 30522), 'int32');
        return tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, idx)))(table);
      });
      expect(performance.now() - t0).toBeLessThan(10_000);
    }
  });
});
