import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterModel } from '../adapter-model';
import { BackendOutOfMemoryError } from '../errors';
import { setupNodeBackend } from '../node/index';
import { SGD } from '../train/optimizers';
import { trainStep } from '../train/train-step';
import { asBackendOutOfMemoryError } from './out-of-memory';

describe('asBackendOutOfMemoryError', () => {
  it('recognises XNNPACK out-of-memory, failed heap growth and GPU/TensorFlow OOM messages', () => {
    for (const m of [
      'XNN status for xnn_create_fully_connected_nc_f32 is not successful. Got status 6. Use -c dbg to see XNN logs.',
      'Cannot enlarge memory arrays to size 4294967296 bytes',
      'GPUOutOfMemoryError: out of memory',
      'OOM when allocating tensor with shape[8,12,128,128]',
    ]) {
      const e = asBackendOutOfMemoryError(new Error(m), 'training step 3');
      expect(e, m).toBeInstanceOf(BackendOutOfMemoryError);
      expect(e!.message).toMatch(/ran out of memory during training step 3/);
      expect(e!.message).toContain(m.slice(0, 40));
      expect(e!.backendUsable).toBe(true);
      expect(e!.backend).toBe(tf.getBackend());
    }
  });

  it('leaves other errors alone (shape errors, "Aborted(" on a backend other than wasm)', () => {
    expect(asBackendOutOfMemoryError(new Error('Error in matMul: inner shapes (3) and (4) of Tensors with shapes 2,3 and 4,5 must match'), 'x')).toBeUndefined();
    expect(asBackendOutOfMemoryError(new Error('status 60 of the request'), 'x')).toBeUndefined();
    if (tf.getBackend() !== 'wasm') expect(asBackendOutOfMemoryError(new Error('Aborted(). Build with -sASSERTIONS'), 'x')).toBeUndefined();
  });
});

describe('real wasm out-of-memory (wasm tests last in this file: an aborted module stays unusable in this worker)', () => {
  const w = tf.variable(tf.ones([4]));
  const model = { trainableVariables: () => new Map([['w', w]]) } as unknown as AdapterModel;
  /** sum(2 · tile(w, rows)) = 8 · rows for w = 1; its intermediate holds rows × 4 floats. */
  const step = (rows: number): number =>
    trainStep(model, () => tf.sum(tf.mul(tf.tile(tf.reshape(w, [1, 4]), [rows, 1]), 2)) as tf.Scalar, new SGD(0), { step: 5 }).loss;
  const thrownBy = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    return undefined;
  };
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    await setupNodeBackend({ backend: 'wasm', threads: 1 });
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it('a tensor of 4 GiB or more: typed error before anything is written (tfjs would wrap the size around); the backend stays usable', () => {
    expect(step(8)).toBe(64);
    const e = thrownBy(() => step(300 * 2 ** 20)); // [314572800, 4] float32 = 4.69 GiB → 0.69 GiB after the 32-bit wrap
    expect(e).toBeInstanceOf(BackendOutOfMemoryError);
    expect(e).toMatchObject({ backend: 'wasm', backendUsable: true });
    expect((e as Error).message).toMatch(/cannot allocate a tensor of 4\.69 GiB: its heap is 32-bit .*still usable/);
    expect(step(8)).toBe(64);
    const direct = thrownBy(() => tf.zeros([2 ** 30 + 1]));
    expect(direct).toBeInstanceOf(BackendOutOfMemoryError);
    expect(tf.sum(tf.ones([3])).dataSync()[0]).toBe(3);
  });

  it('a heap exhausted by many tensors: trainStep throws BackendOutOfMemoryError naming the sizes; usable again once tensors are freed', () => {
    const held: tf.Tensor[] = [];
    let e: unknown;
    try {
      for (let i = 0; i < 3; i++) held.push(tf.fill([256 * 2 ** 20], 1)); // 3 GiB held
      e = thrownBy(() => step(160 * 2 ** 20)); // + a 2.5 GiB intermediate
    } finally {
      tf.dispose(held);
    }
    expect(e).toBeInstanceOf(BackendOutOfMemoryError);
    expect(e).toMatchObject({ backend: 'wasm', backendUsable: true });
    expect((e as Error).message).toMatch(/heap is exhausted: allocating 2\.50 GiB failed with 3\.\d\d GiB held by tensors .*at most 4\.00 GiB/);
    expect(step(8)).toBe(64);
  }, 120_000);
});
