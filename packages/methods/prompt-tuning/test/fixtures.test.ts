import { loadAdapter } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { describe, expect, it } from 'vitest';
import { promptTuning } from '../src';
import { tinyBert } from './helpers';

describe('prompt tuning reproduces the Python fixture (cpu, ≤ 1e-5)', () => {
  it('adapters/bert/prompt_tuning: 10 prompt positions in front of last_hidden_state', async () => {
    const model = await tinyBert([promptTuning]);
    const name = await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', 'prompt_tuning'), { setActive: true });
    expect([...model.adapterParameters(name).keys()]).toEqual(['prompt_tuning.prompt_tunings.prompt_tuning.prompt_embedding.weight']);
    const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
    expect(Math.min(...(inputs.attention_mask!.dataSync() as Int32Array))).toBe(0); // inputs are padded
    const expected = readFixtureTensors('expected', 'bert', 'prompt_tuning.safetensors');
    const out = model.forward(inputs, { outputHiddenStates: true });
    expect(out.last_hidden_state.shape).toEqual([3, 22, 32]);
    expect(maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(out.pooler_output!, expected.get('pooler_output')!)).toBeLessThanOrEqual(1e-5);
    out.hidden_states!.forEach((h, i) => expect(maxAbsDiff(h, expected.get(`hidden_states.${i}`)!), `hidden_states.${i}`).toBeLessThanOrEqual(1e-5));
    model.dispose();
  });
});
