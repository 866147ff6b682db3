import { MemoryStorage, createRandomModel, loadPretrained, tensorsToSafetensors, utf8 } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { tinyTransformer } from '../src';
import { smallConfig, tinyInputs } from './helpers';

it('loads a Hugging Face-style folder (config.json + model.safetensors in PyTorch layout)', async () => {
  const source = createRandomModel(tinyTransformer as never, smallConfig, { seed: 5 });
  // Write the checkpoint as PyTorch would: nn.Linear kernels as [out, in].
  const specs = tinyTransformer.weightSpecs(tinyTransformer.parseConfig(smallConfig));
  const tensors = new Map<string, tf.Tensor>();
  for (const s of specs) {
    const v = source.weights.get(s.name)!;
    tensors.set(s.name, s.transposed ? tf.transpose(v) : v.clone());
  }
  const storage = new MemoryStorage();
  await storage.writeFile('tiny/config.json', utf8.encode(JSON.stringify(smallConfig)));
  await storage.writeFile('tiny/model.safetensors', tensorsToSafetensors(tensors));
  const loaded = await loadPretrained(storage, 'tiny', { model: tinyTransformer as never });
  const inputs = tinyInputs();
  const a = source.forward(inputs).last_hidden_state;
  const b = loaded.forward(inputs).last_hidden_state;
  expect(maxAbsDiff(a, b)).toBe(0);
  tf.dispose([a, b, ...tensors.values(), ...Object.values(inputs)]);
  source.dispose();
  loaded.dispose();
});
