import { AdamW, trainStep } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { lora } from '../src';
import { randomBert, randomBertInputs } from './helpers';

describe('tfjs memory', () => {
  it('200 LoRA training steps (AdamW, clipping) leak 0 tensors', () => {
    const model = randomBert([lora]);
    const inputs = randomBertInputs();
    model.addAdapter('a', 'lora[r=4,alpha=8,dropout=0.1]');
    model.trainAdapter('a');
    const opt = new AdamW({ lr: 1e-3 });
    const loss = (): tf.Scalar =>
      tf.tidy(() => {
        const h = model.forward(inputs).last_hidden_state;
        // A fixed non-constant target: a LayerNorm output's mean square is invariant, this is not.
        const target = tf.sin(tf.mul(tf.range(0, h.shape[2]!, 1, 'float32'), 0.7));
        return tf.mean(tf.square(tf.sub(h, target))) as tf.Scalar;
      });
    trainStep(model, loss, opt, { maxGradNorm: 1 }); // first step creates the optimizer moments
    const start = tf.memory().numTensors;
    let first = 0;
    let last = 0;
    for (let i = 0; i < 200; i++) {
      const r = trainStep(model, loss, opt, { maxGradNorm: 1, step: i });
      if (i === 0) first = r.loss;
      last = r.loss;
    }
    expect(tf.memory().numTensors).toBe(start);
    expect(last).toBeLessThan(first);
    opt.dispose();
    tf.dispose(Object.values(inputs));
    model.dispose();
  });
});
