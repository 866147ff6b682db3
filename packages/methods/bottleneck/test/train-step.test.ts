import { SGD, loadAdapter, trainStep } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bottleneck } from '../src';
import { tinyBert } from './helpers';

describe('training', () => {
  it('one SGD step (lr 0.1) on the fixture loss reproduces seq_bn-after-1-sgd-step', async () => {
    const model = await tinyBert([bottleneck]);
    await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', 'seq_bn'));
    model.trainAdapter('seq_bn');
    const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
    const details = readFixtureTensors('expected', 'bert', 'seq_bn-1-sgd-step-details.safetensors');
    const after = readFixtureTensors('expected', 'bert', 'seq_bn-after-1-sgd-step.safetensors');
    const mask = tf.cast(inputs.attention_mask!, 'float32');
    const loss = (): tf.Scalar => {
      const h = model.forward(inputs, { training: true }).last_hidden_state;
      return tf.div(tf.sum(tf.mul(tf.sum(tf.square(h), -1), mask)), tf.sum(mask)) as tf.Scalar;
    };
    const r = trainStep(model, loss, new SGD(0.1));
    const dLoss = Math.abs(r.loss - details.get('loss')!.dataSync()[0]!);
    const params = model.adapterParameters('seq_bn');
    expect([...params.keys()].sort()).toEqual([...after.keys()].sort());
    let worst = 0;
    for (const [k, v] of params) {
      const d = maxAbsDiff(v, after.get(k)!);
      worst = Math.max(worst, d);
      expect(d, k).toBeLessThanOrEqual(1e-5);
    }
    console.log(`seq_bn sgd step: |loss − python| ${dLoss.toExponential(2)}, max param diff ${worst.toExponential(2)}`);
    expect(dLoss).toBeLessThan(1e-4);
    tf.dispose([mask, ...Object.values(inputs), ...details.values(), ...after.values()]);
    model.dispose();
  });
});
