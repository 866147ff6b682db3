// Runs in its own vitest worker process: the wasm module is initialised once per process.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { setupNodeBackend } from '../node/index';
import { expectParity, miniTransformerStep, seeded } from '../kernels/test-utils';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('setupNodeBackend: wasm with 2 threads', () => {
  it('initialises XNNPACK with 2 threads and stays exact', async () => {
    const info = await setupNodeBackend({ backend: 'wasm', threads: 2 });
    expect(info.name).toBe('wasm');
    expect(info.threadsFallbackReason).toBeUndefined();
    expect(info.threads).toBe(2);
    expect(getThreadsCount()).toBe(2);
    await tf.setBackend('cpu');
    // Large enough for XNNPACK to split work across threads.
    await expectParity('wasm', () => [
      tf.matMul(seeded([96, 64], 1), seeded([64, 80], 2)),
      tf.matMul(seeded([4, 32, 64], 3), seeded([80, 64], 4), false, true),
    ]);
    await expectParity('wasm', miniTransformerStep);
  });

  it('a second call reuses the initialised backend', async () => {
    const info = await setupNodeBackend({ backend: 'wasm', threads: 4 });
    expect(info.threads).toBe(2);
  });
});
