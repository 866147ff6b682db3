import { loadAdapter } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixtureManifest, fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bottleneck } from '../src';
import { tinyBert } from './helpers';

const manifest = fixtureManifest();
const caseById = (id: string) => manifest.cases.find((c) => c.id === id)!;

describe('bottleneck adapters reproduce the Python fixtures (cpu, ≤ 1e-5)', () => {
  for (const c of ['seq_bn', 'seq_bn-bin', 'double_seq_bn', 'par_bn', 'scaled_par_bn']) {
    it(`adapters/bert/${c}`, async () => {
      const model = await tinyBert([bottleneck]);
      const name = await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', c), { setActive: true });
      const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
      const expected = readFixtureTensors('expected', 'bert', `${c.replace('-bin', '')}.safetensors`);
      const out = model.forward(inputs, { outputHiddenStates: true });
      const dLast = maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!);
      const dPool = maxAbsDiff(out.pooler_output!, expected.get('pooler_output')!);
      console.log(`${c}: last_hidden_state ${dLast.toExponential(2)}, pooler_output ${dPool.toExponential(2)}`);
      expect(dLast).toBeLessThanOrEqual(1e-5);
      expect(dPool).toBeLessThanOrEqual(1e-5);
      expect(name).toBe(c.replace('-bin', ''));
      const saved = caseById(`bert/${c}`).saved_keys as Record<string, number[]>;
      const params = model.adapterParameters(name);
      expect([...params.keys()].sort()).toEqual(Object.keys(saved).sort());
      for (const [k, shape] of Object.entries(saved)) expect(params.get(k)!.shape, k).toEqual(shape);
      tf.dispose([...Object.values(inputs), ...expected.values()]);
      model.dispose();
    });
  }
});
