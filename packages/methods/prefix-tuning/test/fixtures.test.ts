import { loadAdapter } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ejectPrefix, prefixTuning } from '../src';
import { tinyBert } from './helpers';

describe('prefix tuning reproduces the Python fixtures (cpu, ≤ 1e-5)', () => {
  for (const c of ['prefix_tuning', 'prefix_tuning_flat']) {
    it(`adapters/bert/${c} (pytorch_adapter.bin with the pool under every layer)`, async () => {
      const model = await tinyBert([prefixTuning]);
      const name = await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', c), { setActive: true });
      expect(name).toBe(c);
      // Only the canonical pool keys (each tensor once) are the adapter's parameters.
      const keys = [...model.adapterParameters(name).keys()];
      expect(keys.every((k) => k.startsWith(`prefix_tuning.prefix_tunings.${c}.self_prefix.`))).toBe(true);
      const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
      expect(Math.min(...(inputs.attention_mask!.dataSync() as Int32Array))).toBe(0); // inputs are padded
      const expected = readFixtureTensors('expected', 'bert', `${c}.safetensors`);
      const out = model.forward(inputs, { outputHiddenStates: true });
      expect(maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(out.pooler_output!, expected.get('pooler_output')!)).toBeLessThanOrEqual(1e-5);
      out.hidden_states!.forEach((h, i) => expect(maxAbsDiff(h, expected.get(`hidden_states.${i}`)!), `hidden_states.${i}`).toBeLessThanOrEqual(1e-5));
      model.dispose();
    });
  }

  it('ejectPrefix turns the MLP into a flat prefix with identical outputs', async () => {
    const model = await tinyBert([prefixTuning]);
    await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', 'prefix_tuning'), { setActive: true });
    const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
    const before = model.forward(inputs).last_hidden_state;
    const nBefore = tf.memory().numTensors;
    expect(ejectPrefix(model, 'prefix_tuning')).toBe(true);
    expect([...model.adapterParameters('prefix_tuning').keys()]).toEqual(['prefix_tuning.prefix_tunings.prefix_tuning.self_prefix.control_trans']);
    expect(model.adapterParameters('prefix_tuning').get('prefix_tuning.prefix_tunings.prefix_tuning.self_prefix.control_trans')!.shape).toEqual([30 * 2 * 2 * 32]);
    expect(tf.memory().numTensors).toBe(nBefore - 5 + 1);
    const after = model.forward(inputs).last_hidden_state;
    expect(maxAbsDiff(before, after)).toBeLessThanOrEqual(1e-6);
    const expected = readFixtureTensors('expected', 'bert', 'prefix_tuning.safetensors');
    expect(maxAbsDiff(after, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });
});
