import { type AdapterModel, MemoryStorage, joinPath, loadAdapter, setupFromDict } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixtureManifest, fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bottleneck, loadAdapterFusion, saveAdapterFusion } from '../src';
import { tinyBert } from './helpers';

const manifest = fixtureManifest();
const caseById = (id: string) => manifest.cases.find((c) => c.id === id)!;

async function modelWithAB(): Promise<AdapterModel> {
  const model = await tinyBert([bottleneck]);
  for (const n of ['a', 'b']) await loadAdapter(model, nodeStorage, fixturePath('compositions', 'bert', n));
  return model;
}

function check(model: AdapterModel, id: string): void {
  const c = caseById(id);
  model.setActiveAdapters(setupFromDict(c.active));
  const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
  const expected = readFixtureTensors(c.expected.file);
  const out = model.forward(inputs);
  const dLast = maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!);
  const dPool = maxAbsDiff(out.pooler_output!, expected.get('pooler_output')!);
  console.log(`${id}: last_hidden_state ${dLast.toExponential(2)}, pooler_output ${dPool.toExponential(2)}`);
  expect(dLast).toBeLessThanOrEqual(1e-5);
  expect(dPool).toBeLessThanOrEqual(1e-5);
  tf.dispose([...Object.values(inputs), ...expected.values(), out.last_hidden_state, out.pooler_output!]);
}

describe('seq_bn compositions reproduce the Python fixtures (cpu, ≤ 1e-5)', () => {
  for (const comp of ['stack', 'parallel', 'split', 'batchsplit', 'average']) {
    it(`bert/comp-${comp}_a_b`, async () => {
      const model = await modelWithAB();
      check(model, `bert/comp-${comp}_a_b`);
      model.dispose();
    });
  }

  it('bert/comp-fuse_a_b (load_adapter_fusion of fusion_a_b)', async () => {
    const model = await modelWithAB();
    const name = await loadAdapterFusion(model, nodeStorage, fixturePath('compositions', 'bert', 'fusion_a_b'));
    expect(name).toBe('a,b');
    expect([...model.fusionParameters('a,b').keys()].sort()).toEqual([
      'encoder.layer.0.output.adapter_fusion_layer.a,b.key.bias',
      'encoder.layer.0.output.adapter_fusion_layer.a,b.key.weight',
      'encoder.layer.0.output.adapter_fusion_layer.a,b.query.bias',
      'encoder.layer.0.output.adapter_fusion_layer.a,b.query.weight',
      'encoder.layer.0.output.adapter_fusion_layer.a,b.value.weight',
      'encoder.layer.1.output.adapter_fusion_layer.a,b.key.bias',
      'encoder.layer.1.output.adapter_fusion_layer.a,b.key.weight',
      'encoder.layer.1.output.adapter_fusion_layer.a,b.query.bias',
      'encoder.layer.1.output.adapter_fusion_layer.a,b.query.weight',
      'encoder.layer.1.output.adapter_fusion_layer.a,b.value.weight',
    ]);
    check(model, 'bert/comp-fuse_a_b');
    model.dispose();
  });

  it('save_adapter_fusion writes the same files as Python (config text, tensors)', async () => {
    const model = await modelWithAB();
    await loadAdapterFusion(model, nodeStorage, fixturePath('compositions', 'bert', 'fusion_a_b'));
    model.modelName = 'tiny-bert';
    const storage = new MemoryStorage();
    await saveAdapterFusion(model, storage, 'out', 'a,b');
    const dir = fixturePath('compositions', 'bert', 'fusion_a_b');
    const pyConfig = await nodeStorage.readFile(joinPath(dir, 'adapter_fusion_config.json'));
    expect(new TextDecoder().decode(storage.files.get('out/adapter_fusion_config.json'))).toBe(new TextDecoder().decode(pyConfig));
    const pyWeights = await nodeStorage.readFile(joinPath(dir, 'model_adapter_fusion.safetensors'));
    expect(storage.files.get('out/model_adapter_fusion.safetensors')).toEqual(pyWeights);
    model.dispose();
  });
});
