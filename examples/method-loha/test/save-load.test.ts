import { MemoryStorage, joinPath, loadAdapter, saveAdapter, utf8 } from '@adapters/core';
import { maxAbsDiff, perturbAdapter } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { loha } from '../src';
import { randomBert, randomBertInputs } from './helpers';

it('saves in the Python adapters format (architecture "loha") and loads through the core', async () => {
  const model = randomBert([loha]);
  model.addAdapter('h', 'loha[r=4,alpha=8]');
  perturbAdapter(model, 'h');
  model.setActiveAdapters('h');
  const inputs = randomBertInputs();
  const y = model.forward(inputs).last_hidden_state;
  const storage = new MemoryStorage();
  await saveAdapter(model, storage, 'out/h', 'h');
  const saved = JSON.parse(utf8.decode(storage.files.get(joinPath('out/h', 'adapter_config.json'))!)) as { config: Record<string, unknown> };
  expect(saved.config).toMatchObject({ architecture: 'loha', r: 4, alpha: 8, attn_matrices: ['q', 'v'] });

  const fresh = randomBert([loha]);
  const name = await loadAdapter(fresh, storage, 'out/h', { setActive: true });
  expect(name).toBe('h');
  const z = fresh.forward(inputs).last_hidden_state;
  expect(maxAbsDiff(y, z)).toBe(0);
  tf.dispose([y, z, ...Object.values(inputs)]);
  model.dispose();
  fresh.dispose();
});
