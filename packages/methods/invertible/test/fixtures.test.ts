import { loadAdapter } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { bottleneck } from '@adapters/bottleneck';
import { fixtureManifest, fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { invertible } from '../src';
import { tinyBert } from './helpers';

const manifest = fixtureManifest();
const caseById = (id: string) => manifest.cases.find((c) => c.id === id)!;

describe('invertible adapters reproduce the Python fixtures (cpu, ≤ 1e-5)', () => {
  for (const c of ['seq_bn_inv', 'double_seq_bn_inv']) {
    it(`adapters/bert/${c} (NICE + bottleneck)`, async () => {
      const model = await tinyBert([bottleneck, invertible]);
      const name = await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', c), { setActive: true });
      expect(name).toBe(c);
      expect(model.adapterMethods(name).map((m) => m.name)).toEqual(['bottleneck', 'invertible']);
      const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
      const expected = readFixtureTensors('expected', 'bert', `${c}.safetensors`);
      const out = model.forward(inputs, { outputHiddenStates: true });
      const dEmb = maxAbsDiff(out.hidden_states![0]!, expected.get('hidden_states.0')!);
      const dLast = maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!);
      const dPool = maxAbsDiff(out.pooler_output!, expected.get('pooler_output')!);
      console.log(`${c}: hidden_states.0 ${dEmb.toExponential(2)}, last_hidden_state ${dLast.toExponential(2)}, pooler_output ${dPool.toExponential(2)}`);
      expect(dEmb).toBeLessThanOrEqual(1e-5);
      expect(dLast).toBeLessThanOrEqual(1e-5);
      expect(dPool).toBeLessThanOrEqual(1e-5);
      const saved = caseById(`bert/${c}`).saved_keys as Record<string, number[]>;
      const params = model.adapterParameters(name);
      expect([...params.keys()].sort()).toEqual(Object.keys(saved).sort());
      for (const [k, shape] of Object.entries(saved)) expect(params.get(k)!.shape, k).toEqual(shape);
      tf.dispose([...Object.values(inputs), ...expected.values()]);
      model.dispose();
    });
  }
});
