import { SGD, loadAdapter, trainStep } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { lora } from '../src';
import { tinyBert } from './helpers';


describe('LoRA reproduces the Python fixtures (cpu, ≤ 1e-5)', () => {
  for (const c of ['lora', 'lora-bin', 'lora_qkv_ffn']) {
    it(`adapters/bert/${c}`, async () => {
      const model = await tinyBert([lora]);
      const name = await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', c), { setActive: true });
      const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
      const expected = readFixtureTensors('expected', 'bert', `${c.replace('-bin', '')}.safetensors`);
      const out = model.forward(inputs, { outputHiddenStates: true });
      expect(maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(out.pooler_output!, expected.get('pooler_output')!)).toBeLessThanOrEqual(1e-5);
      expect(name).toBe(c === 'lora_qkv_ffn' ? 'lora_qkv_ffn' : 'lora');
      model.dispose();
    });
  }

  it('one SGD step (lr 0.1) on the fixture loss reproduces lora-after-1-sgd-step', async () => {
    const model = await tinyBert([lora]);
    await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', 'lora'));
    model.trainAdapter('lora');
    const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
    const details = readFixtureTensors('expected', 'bert', 'lora-1-sgd-step-details.safetensors');
    const after = readFixtureTensors('expected', 'bert', 'lora-after-1-sgd-step.safetensors');
    const mask = tf.cast(inputs.attention_mask!, 'float32');
    const loss = (): tf.Scalar => {
      const h = model.forward(inputs, { training: true }).last_hidden_state;
      return tf.div(tf.sum(tf.mul(tf.sum(tf.square(h), -1), mask)), tf.sum(mask)) as tf.Scalar;
    };
    const r = trainStep(model, loss, new SGD(0.1));
    expect(Math.abs(r.loss - details.get('loss')!.dataSync()[0]!)).toBeLessThan(1e-4);
    const params = model.adapterParameters('lora');
    expect([...params.keys()].sort()).toEqual([...after.keys()].sort());
    for (const [k, v] of params) expect(maxAbsDiff(v, after.get(k)!), k).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });
});
