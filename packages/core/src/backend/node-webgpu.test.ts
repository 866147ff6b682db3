// WebGPU in Node through the `webgpu` package (Dawn). Needs a Vulkan adapter: on Linux without a
// GPU, Mesa >= 25 lavapipe (bookworm-backports, see .ci/install.sh). Skipped when none is found.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { probeNodeWebGpu, setupNodeBackend } from '../node/index';
import { expectParity, miniTransformerStep, seeded } from '../kernels/test-utils';

const probe = await probeNodeWebGpu();
if (!probe.ok) console.warn(`[webgpu tests skipped] ${probe.reason ?? 'no adapter'}`);

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('setupNodeBackend: webgpu', () => {
  // Skipped when no WebGPU adapter is found (reason printed above).
  it.skipIf(!probe.ok)('selects webgpu; matMul, softmax and a gradient match cpu', async () => {
    const info = await setupNodeBackend({ backend: 'webgpu' });
    expect(info.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    await tf.setBackend('cpu');
    await expectParity('webgpu', () => {
      const a = seeded([2, 6, 8], 1);
      const w = seeded([8, 5], 2);
      const y = tf.softmax(tf.matMul(a, w));
      const g = tf.grad((ww: tf.Tensor) => tf.sum(tf.mul(tf.softmax(tf.matMul(a, ww)), seeded([2, 6, 5], 3))))(w);
      const att = tf.matMul(seeded([2, 2, 4, 3], 4), seeded([2, 2, 4, 3], 5), false, true);
      return [y, g, att];
    }, 1e-4);
  });

  // Skipped when no WebGPU adapter is found (reason printed above).
  it.skipIf(!probe.ok)('mini transformer block (forward + all gradients) matches cpu', async () => {
    await setupNodeBackend({ backend: 'webgpu' });
    await tf.setBackend('cpu');
    await expectParity('webgpu', miniTransformerStep, 1e-4);
  });

  // Skipped when no WebGPU adapter is found (reason printed above).
  it.skipIf(!probe.ok)('einsum (patched: single-operand sums) and its gradient match cpu', async () => {
    await setupNodeBackend({ backend: 'webgpu' });
    await tf.setBackend('cpu');
    await expectParity('webgpu', () => {
      const a = seeded([2, 3, 4], 6);
      const b = seeded([2, 4, 5], 7);
      const k = seeded([4], 8);
      const w = seeded([2, 3, 5], 9);
      const y = tf.einsum('bij,bjk->bik', a, b);
      const single = tf.einsum('ijk,k->i', a, k);
      const [ga, gb] = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(tf.einsum('bij,bjk->bik', x, z), w)))([a, b]);
      return [y, single, ga!, gb!];
    }, 1e-4);
  });
});
