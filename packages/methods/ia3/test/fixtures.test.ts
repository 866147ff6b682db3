import { loadAdapter } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { describeMethod, fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { describe, expect, it } from 'vitest';
import { ia3 } from '../src';
import { randomBert, randomBertInputs, tinyBert } from './helpers';

describe('(IA)³ reproduces the Python fixture (cpu, ≤ 1e-5)', () => {
  it('adapters/bert/ia3', async () => {
    const model = await tinyBert([ia3]);
    await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', 'ia3'), { setActive: true });
    const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
    const expected = readFixtureTensors('expected', 'bert', 'ia3.safetensors');
    const out = model.forward(inputs);
    expect(maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(out.pooler_output!, expected.get('pooler_output')!)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });
});

// Random test models have zero biases, so merged (IA)³ equals unmerged (Python scales the bias
// only in the unmerged path — see the package README).
describeMethod(ia3, { model: () => randomBert([ia3]), inputs: randomBertInputs, config: 'ia3', identityAtInit: true, mergeable: true });
