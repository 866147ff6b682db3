import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupBackend } from '../backend/index';
import { expectParity, miniTransformerStep } from './test-utils';

beforeAll(async () => {
  await setupBackend({ backend: 'wasm', threads: 1 });
  await tf.setBackend('cpu');
});

describe('transformer op coverage: wasm vs cpu (forward + backward)', () => {
  it('mini transformer block: loss and all parameter gradients within 1e-4', async () => {
    const worst = await expectParity('wasm', miniTransformerStep, 1e-4);
    console.log(`mini transformer block: max abs diff wasm vs cpu = ${worst.toExponential(2)}`);
  });

});
