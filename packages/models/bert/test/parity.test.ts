import { loadPretrained, MemoryStorage } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bert } from '../src';

describe('BERT-family base outputs match transformers (cpu, ≤ 1e-5)', () => {
  for (const [name, inputsFile] of [
    ['bert', 'inputs.safetensors'],
    ['roberta', 'inputs-roberta.safetensors'],
  ] as const) {
    it(`tiny-${name}: last_hidden_state, pooler_output and every hidden state`, async () => {
      const model = await loadPretrained(nodeStorage, fixturePath('models', `tiny-${name}`), { model: bert as never });
      const inputs = Object.fromEntries(readFixtureTensors('io', inputsFile));
      const expected = readFixtureTensors('expected', name, 'base.safetensors');
      const out = model.forward(inputs, { outputHiddenStates: true });
      expect(maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(out.pooler_output!, expected.get('pooler_output')!)).toBeLessThanOrEqual(1e-5);
      out.hidden_states!.forEach((h, i) => expect(maxAbsDiff(h, expected.get(`hidden_states.${i}`)!), `hidden_states.${i}`).toBeLessThanOrEqual(1e-5));
      tf.dispose([...Object.values(inputs), ...expected.values(), out.last_hidden_state, out.pooler_output!, ...out.hidden_states!]);
      model.dispose();
    });
  }

  it('fails with a clear error when a weight is missing', async () => {
    const storage = new MemoryStorage();
    storage.files.set('m/config.json', new TextEncoder().encode(JSON.stringify({ model_type: 'bert', hidden_size: 8, num_attention_heads: 2, num_hidden_layers: 1, intermediate_size: 16, vocab_size: 10 })));
    const { serializeSafetensors, float32ToRaw } = await import('@adapters/core');
    storage.files.set('m/model.safetensors', serializeSafetensors(new Map([['embeddings.word_embeddings.weight', float32ToRaw(new Float32Array(80), [10, 8])]])));
    await expect(loadPretrained(storage, 'm', { model: bert as never })).rejects.toThrow(/missing \d+ weight\(s\): embeddings.position_embeddings.weight/);
  });
});
