// Runs in its own vitest worker process: the wasm module is initialised once per process.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { setupNodeBackend } from '../node/index';
import { __testing } from '../node/wasm';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('setupNodeBackend: wasm thread fall-back', () => {
  it('falls back to one thread when the threaded initialisation fails', async () => {
    __testing.failNextThreadedInit = true;
    const info = await setupNodeBackend({ backend: 'wasm', threads: 2 });
    expect(info.name).toBe('wasm');
    expect(info.threads).toBe(1);
    expect(info.threadsFallbackReason).toMatch(/simulated/);
    expect(tf.env().get('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(Array.from(tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync())).toEqual([3, 3, 3, 3]);
  });
});
