import { averageAdapter, loadAdapter, loadPretrained, setupFromDict } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixtureManifest, fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { bert } from '@adapters/bert';
import { loadAdapterFusion } from '@adapters/bottleneck';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { METHODS } from './plugins';

const cases = fixtureManifest().cases.filter((c) => ['composition', 'average_adapter', 'merge'].includes(c.kind));

async function setup(c: (typeof cases)[number]) {
  const model = await loadPretrained(nodeStorage, fixturePath(c.model), { model: bert as never, methods: METHODS });
  for (const [name, dir] of Object.entries(c.adapter_dirs ?? {})) await loadAdapter(model, nodeStorage, fixturePath(dir), { loadAs: name });
  const inputs = Object.fromEntries(readFixtureTensors(c.inputs.file));
  const expected = readFixtureTensors(c.expected.file);
  return { model, inputs, expected };
}

describe('composition, averaging and merging fixtures reproduce Python (cpu, ≤ 1e-5)', () => {
  it('the manifest has all 13 such cases', () => expect(cases.length).toBe(13));
  for (const c of cases) {
    it(c.id, async () => {
      const { model, inputs, expected } = await setup(c);
      if (c.kind === 'composition') {
        const setupNode = setupFromDict(c.composition);
        if (JSON.stringify(c.composition).includes('"Fuse"')) await loadAdapterFusion(model, nodeStorage, fixturePath('compositions/bert/fusion_a_b'));
        model.setActiveAdapters(setupNode);
      } else if (c.kind === 'average_adapter') {
        const avg = c.average_adapter as { adapter_name: string; adapter_list: string[]; weights: number[]; combine_strategy: string; svd_rank: number | null; normalize_weights: boolean };
        // 1) the averaged folder written by Python
        model.setActiveAdapters(avg.adapter_name);
        const fromFolder = model.forward(inputs).last_hidden_state;
        expect(maxAbsDiff(fromFolder, expected.get('last_hidden_state')!), 'loaded average').toBeLessThanOrEqual(1e-5);
        // 2) rebuilt here with averageAdapter from the members
        averageAdapter(model, 'rebuilt', avg.adapter_list, {
          weights: avg.weights,
          combineStrategy: avg.combine_strategy,
          normalizeWeights: avg.normalize_weights,
          ...(avg.svd_rank !== null ? { svdRank: avg.svd_rank } : {}),
        });
        model.setActiveAdapters('rebuilt');
      } else {
        model.setActiveAdapters('c');
        model.mergeAdapter('c');
        for (const [k, t] of expected) {
          if (!k.startsWith('merged.')) continue;
          const w = model.weights.get(k.slice('merged.'.length))!; // stored [in, out]; Python [out, in]
          expect(maxAbsDiff(tf.transpose(w), t), k).toBeLessThanOrEqual(1e-6);
        }
      }
      const out = model.forward(inputs);
      expect(maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(out.pooler_output!, expected.get('pooler_output')!)).toBeLessThanOrEqual(1e-5);
      if (c.kind === 'merge') {
        const before = [...model.weights.values()].map((v) => v.dataSync().slice());
        model.resetAdapter();
        model.mergeAdapter('c');
        model.resetAdapter();
        [...model.weights.values()].forEach((v, i) => expect(v.dataSync()).not.toBe(before[i]));
      }
      model.dispose();
    });
  }
});
