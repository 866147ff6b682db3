import { fixtureManifest, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { tinyGpt2 } from './helpers';

describe('GPT-2 base outputs match transformers (fixtures gpt2/base, cpu, ≤ 1e-5)', () => {
  it('tiny-gpt2: last_hidden_state and every hidden state (right-padded row included)', async () => {
    const model = await tinyGpt2();
    const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs-gpt2.safetensors'));
    const expected = readFixtureTensors('expected', 'gpt2', 'base.safetensors');
    const out = model.forward(inputs, { outputHiddenStates: true });
    expect(maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
    expect(out.hidden_states!.length).toBe(3);
    out.hidden_states!.forEach((h, i) => expect(maxAbsDiff(h, expected.get(`hidden_states.${i}`)!), `hidden_states.${i}`).toBeLessThanOrEqual(1e-5));
    tf.dispose([...Object.values(inputs), ...expected.values(), out.last_hidden_state, ...out.hidden_states!]);
    model.dispose();
  });

  it('the manifest lists exactly one GPT-2 case (base); there are no GPT-2 adapter fixtures', () => {
    const cases = (fixtureManifest() as { cases: { id: string }[] }).cases.filter((c) => c.id.startsWith('gpt2/'));
    expect(cases.map((c) => c.id)).toEqual(['gpt2/base']);
  });
});
