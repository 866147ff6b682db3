import { bottleneck } from '@adapters/bottleneck';
import { type AdapterMethod, loadAdapter, loadPretrained } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bert } from '@adapters/bert';

interface ArchEntry {
  outputs: Record<string, unknown>;
  adapters: Record<string, { saved_keys: Record<string, number[]> }>;
}
const manifest = (): ArchEntry =>
  (JSON.parse(readFileSync(fixturePath('architectures', 'manifest.json'), 'utf8')) as { architectures: Record<string, ArchEntry> }).architectures['xlm-roberta']!;

/** Loads architectures/xlm-roberta (optionally with one saved adapter active) and compares every output. */
async function check(adapter: string | null, methods: AdapterMethod[]): Promise<void> {
  const entry = manifest();
  const model = await loadPretrained(nodeStorage, fixturePath('architectures', 'xlm-roberta', 'model'), { model: bert as never, methods });
  expect(model.info.modelType).toBe('xlm-roberta');
  if (adapter) {
    await loadAdapter(model, nodeStorage, fixturePath('architectures', 'xlm-roberta', 'adapters', adapter), { setActive: true });
    const saved = entry.adapters[adapter]!.saved_keys;
    const params = model.adapterParameters(adapter);
    expect([...params.keys()].sort()).toEqual(Object.keys(saved).sort());
    for (const [k, shape] of Object.entries(saved)) expect(params.get(k)!.shape, k).toEqual(shape);
  }
  const inputs = Object.fromEntries(readFixtureTensors('architectures', 'xlm-roberta', 'inputs.safetensors'));
  const expected = readFixtureTensors('architectures', 'xlm-roberta', adapter ? `expected-${adapter}.safetensors` : 'expected.safetensors');
  expect([...expected.keys()].sort()).toEqual(Object.keys(entry.outputs).sort());
  const out = model.forward(inputs);
  for (const [k, e] of expected) expect(maxAbsDiff(out[k] as tf.Tensor, e), k).toBeLessThanOrEqual(1e-5);
  tf.dispose([...Object.values(inputs), ...expected.values()]);
  for (const v of Object.values(out)) if (v) tf.dispose(v);
  model.dispose();
}

describe('XLM-RoBERTa (architectures/xlm-roberta, pad id 1 → RoBERTa position ids) matches transformers / adapters (cpu, ≤ 1e-5)', () => {
  it('base model: last_hidden_state and pooler_output', () => check(null, []));
  it('LoRA (query, value) loaded from the Python adapter', () => check('lora', [lora]));
  it('seq_bn (output) loaded from the Python adapter', () => check('seq_bn', [bottleneck]));
});
