import { bottleneck } from '@adapters/bottleneck';
import { Parallel, createRandomModel } from '@adapters/core';
import { describeModel, maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { xmod, xmodWithLanguageAdapters } from '../src';

const config = {
  model_type: 'xmod',
  hidden_size: 16,
  num_attention_heads: 2,
  num_hidden_layers: 2,
  intermediate_size: 24,
  vocab_size: 30,
  max_position_embeddings: 16,
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
  languages: ['en_XX', 'de_DE', 'fr_XX'],
  default_language: 'de_DE',
};
const inputs = (): Record<string, tf.Tensor> => ({
  input_ids: tf.tensor2d([[0, 5, 9, 4, 2], [0, 7, 2, 1, 1]], [2, 5], 'int32'),
  attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
});
const withLang = (ids: number[]) => (): Record<string, tf.Tensor> => ({ ...inputs(), lang_ids: tf.tensor1d(ids, 'int32') });

describeModel(xmod, { config, inputs });
describeModel(xmod, { config: { ...config, pre_norm: true, adapter_layer_norm: true }, inputs });
describeModel(xmodWithLanguageAdapters, { config, inputs: withLang([2, 0]) });
describeModel(xmodWithLanguageAdapters, { config: { ...config, pre_norm: true, ln_before_adapter: false, adapter_layer_norm: true }, inputs });

describe('X-MOD specifics', () => {
  it('the adapters behaviour refuses lang_ids and drops the language adapters from the weights', () => {
    const model = createRandomModel(xmod, config);
    expect(() => model.forward(withLang([0, 1])())).toThrow(/lang_ids/);
    expect([...model.weights.keys()].some((k) => k.includes('adapter_modules'))).toBe(false);
    model.dispose();
  });

  it('the adapters behaviour rejects configs where Python has no LayerNorm for the output bottleneck', () => {
    expect(() => xmod.parseConfig({ ...config, adapter_reuse_layer_norm: false })).toThrow(/adapter_reuse_layer_norm/);
    expect(() => xmodWithLanguageAdapters.parseConfig({ ...config, adapter_reuse_layer_norm: false })).not.toThrow();
  });

  it('language adapters: a mixed batch equals each row run alone; no lang_ids means default_language', () => {
    const model = createRandomModel(xmodWithLanguageAdapters, config, { seed: 3, std: 0.3 });
    const x = inputs();
    const mixed = model.forward({ ...x, lang_ids: tf.tensor1d([2, 0], 'int32') }).last_hidden_state;
    const allFr = model.forward({ ...x, lang_ids: tf.tensor1d([2, 2], 'int32') }).last_hidden_state;
    const allEn = model.forward({ ...x, lang_ids: tf.tensor1d([0, 0], 'int32') }).last_hidden_state;
    expect(maxAbsDiff(tf.slice(mixed, [0, 0, 0], [1, -1, -1]), tf.slice(allFr, [0, 0, 0], [1, -1, -1]))).toBeLessThan(1e-6);
    expect(maxAbsDiff(tf.slice(mixed, [1, 0, 0], [1, -1, -1]), tf.slice(allEn, [1, 0, 0], [1, -1, -1]))).toBeLessThan(1e-6);
    expect(maxAbsDiff(allFr, allEn)).toBeGreaterThan(1e-3);
    const dflt = model.forward(x).last_hidden_state;
    const de = model.forward({ ...x, lang_ids: tf.tensor1d([1, 1], 'int32') }).last_hidden_state;
    expect(maxAbsDiff(dflt, de)).toBe(0);
    expect(() => model.forward({ ...x, lang_ids: tf.tensor1d([3, 0], 'int32') })).toThrow(/lang id 3/);
    model.dispose();
    const noDefault = createRandomModel(xmodWithLanguageAdapters, { ...config, default_language: null });
    expect(() => noDefault.forward(x)).toThrow(/default_language/);
    noDefault.dispose();
  });

  for (const [name, def, x] of [
    ['adapters behaviour', xmod, inputs],
    ['language adapters', xmodWithLanguageAdapters, withLang([2, 0])],
  ] as const) {
    it(`${name}: Parallel(a, b) equals running a and b alone`, () => {
      const model = createRandomModel(def, config, { seed: 4, std: 0.2, methods: [bottleneck] });
      model.addAdapter('a', 'double_seq_bn');
      model.addAdapter('b', 'double_seq_bn');
      for (const n of ['a', 'b']) for (const v of model.adapterParameters(n).values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', n === 'a' ? 1 : 2));
      const par = model.forward(x(), { setup: Parallel('a', 'b') }).last_hidden_state;
      expect(maxAbsDiff(tf.slice(par, [0, 0, 0], [2, -1, -1]), model.forward(x(), { setup: 'a' }).last_hidden_state)).toBeLessThan(1e-5);
      expect(maxAbsDiff(tf.slice(par, [2, 0, 0], [2, -1, -1]), model.forward(x(), { setup: 'b' }).last_hidden_state)).toBeLessThan(1e-5);
      model.dispose();
    });
  }
});
