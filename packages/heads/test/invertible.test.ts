import { type EmbeddingModule, defineMethod } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { applyLayers } from '../src';
import { disposeAll, randomBert, randomInputs } from './helpers';

/** A stand-in invertible adapter: identity on the embeddings, `inverse(h) = 2h`. */
const fakeInvertible = defineMethod({
  name: 'fake-invertible',
  kinds: ['embedding'],
  container: 'invertible_adapters',
  compositions: ['Stack'],
  firstAdapterOnly: true,
  accepts: (c) => c.className === 'PromptTuningConfig',
  createModule: (): EmbeddingModule => ({ params: new Map(), forward: (s) => s, inverse: (h) => tf.mul(h, 2) }),
});

describe('LM heads and invertible adapters', () => {
  it("the first active adapter's invertible module is inverted before the LM output projection (Python CausalLMHead)", () => {
    const model = randomBert([fakeInvertible]);
    model.addAdapter('inv', 'prompt_tuning');
    const head = model.addMaskedLMHead('mlm');
    const inputs = randomInputs();
    const plain = model.forward(inputs);
    model.setActiveAdapters('inv');
    const out = model.forward(inputs);
    const env = { dropout: (x: tf.Tensor) => x, baseWeight: (k: string) => model.weights.get(k), invertible: null };
    const manual = tf.tidy(() => {
      const h = applyLayers(head, out.last_hidden_state, env, 0, head.outputIndex);
      return applyLayers(head, tf.mul(h, 2), env, head.outputIndex);
    });
    expect(maxAbsDiff(out.logits!, manual)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(out.logits!, plain.logits!)).toBeGreaterThan(1e-3);
    manual.dispose();
    disposeAll(out);
    disposeAll(plain);
    disposeAll(inputs);
    model.dispose();
  });
});
