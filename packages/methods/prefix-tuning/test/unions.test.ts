import { bottleneck } from '@adapters/bottleneck';
import { loadAdapter } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import { describe, expect, it } from 'vitest';
import { prefixTuning } from '../src';
import { tinyBert } from './helpers';

describe('prefix tuning inside ConfigUnions reproduces the Python fixtures (cpu, ≤ 1e-5)', () => {
  for (const c of ['mam', 'unipelt']) {
    it(`adapters/bert/${c}`, async () => {
      const model = await tinyBert([prefixTuning, bottleneck, lora]);
      await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', c), { setActive: true });
      const params = model.adapterParameters(c);
      if (c === 'unipelt') {
        // Per-layer prefix gates (shared_gating: one output) at Python's keys.
        for (const l of [0, 1]) expect(params.get(`encoder.layer.${l}.attention.self.prefix_tuning.prefix_gates.unipelt.weight`)!.shape).toEqual([1, 32]);
      }
      const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
      const expected = readFixtureTensors('expected', 'bert', `${c}.safetensors`);
      const out = model.forward(inputs);
      expect(maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(out.pooler_output!, expected.get('pooler_output')!)).toBeLessThanOrEqual(1e-5);
      model.dispose();
    });
  }
});
