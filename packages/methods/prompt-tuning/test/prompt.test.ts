import { type AdapterConfig, ForwardContext, type MethodInitContext, Rng, resolveAdapterConfig } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createPromptModule, createPromptTuning, promptKey, promptTokenIds, promptTuning } from '../src';
import { randomBert, randomBertInputs } from './helpers';

describe('prompt initialisation', () => {
  it('random_uniform: U(−0.5, 0.5) (class attribute random_uniform_scale), [L, hidden]', () => {
    const model = randomBert([promptTuning]);
    model.addAdapter('p', { architecture: 'prompt_tuning', prompt_length: 50 });
    const w = model.adapterParameters('p').get(promptKey('p'))!;
    expect(w.shape).toEqual([50, 16]);
    const v = w.dataSync();
    expect(Math.max(...v)).toBeLessThan(0.5);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-0.5);
    expect(Math.max(...v)).toBeGreaterThan(0.4);
    model.dispose();
  });

  it('from_string: tokens repeated to prompt_length, truncated, word-embedding rows copied', () => {
    expect(promptTokenIds([2, 5, 9], 7)).toEqual([2, 5, 9, 2, 5, 9, 2]);
    expect(promptTokenIds([1, 2, 3, 4], 2)).toEqual([1, 2]);
    const texts: string[] = [];
    const tokenizer = (t: string): number[] => (texts.push(t), [2, 5, 9]);
    const model = randomBert([createPromptTuning({ tokenizer })]);
    model.addAdapter('p', { architecture: 'prompt_tuning', prompt_length: 7, prompt_init: 'from_string', prompt_init_text: 'classify' });
    expect(texts).toEqual(['classify']);
    const w = model.adapterParameters('p').get(promptKey('p'))!;
    const rows = tf.gather(model.weights.get('embeddings.word_embeddings.weight')!, tf.tensor1d([2, 5, 9, 2, 5, 9, 2], 'int32'));
    expect(maxAbsDiff(w, rows)).toBe(0);
    // A copy: training the prompt leaves the base embeddings alone.
    w.assign(tf.zerosLike(w));
    expect(tf.sum(tf.abs(model.weights.get('embeddings.word_embeddings.weight')!)).dataSync()[0]).toBeGreaterThan(0);
    model.dispose();
  });

  it('from_string without a tokenizer or text, unknown init/combine are config errors', () => {
    const model = randomBert([promptTuning]);
    expect(() => model.addAdapter('p', { architecture: 'prompt_tuning', prompt_init: 'from_string', prompt_init_text: 'x' })).toThrow(/tokenizer/);
    expect(() => model.addAdapter('p', { architecture: 'prompt_tuning', prompt_init: 'from_string' })).toThrow(/Prompt text must be provided/);
    expect(() => model.addAdapter('p', { architecture: 'prompt_tuning', prompt_init: 'nope' })).toThrow(/prompt_init/);
    expect(() => model.addAdapter('p', { architecture: 'prompt_tuning', combine: 'suffix' })).toThrow(/combine/);
    expect(model.adapterNames).toEqual([]);
    model.dispose();
  });

  it('from_array (TypeScript extension): the given values (method level; core validation rejects it like Python)', () => {
    const values = Array.from({ length: 2 * 16 }, (_, i) => i / 10);
    const method = createPromptTuning({ initArray: (name) => (name === 'p' ? values : []) });
    const model = randomBert([method]);
    const ctx = (adapterName: string): MethodInitContext => ({
      adapterName,
      config: resolveAdapterConfig({ architecture: 'prompt_tuning', prompt_length: 2, prompt_init: 'from_array' }) as AdapterConfig,
      model: model.info,
      rng: new Rng(1),
      sites: model.sites,
      shared: undefined,
      weights: model.weights,
    });
    const shared = method.createShared!(ctx('p'))!;
    expect(Array.from(shared.params.get(promptKey('p'))!.dataSync())).toEqual(Array.from(Float32Array.from(values)));
    expect(() => method.createShared!(ctx('q'))).toThrow(/expected 2×16/);
    tf.dispose([...shared.params.values()]);
    model.dispose();
  });
});

describe('prompt combination', () => {
  const prompt = tf.variable(tf.tensor2d([[10, 11], [20, 21]]));
  const hidden = tf.tensor3d([[[1, 1], [2, 2], [3, 3]]]);
  const mask = tf.tensor2d([[1, 1, 0]], [1, 3], 'int32');

  it('prefix: [prompt, input], mask [1, 1, mask]', () => {
    const ctx = new ForwardContext({ training: false, setup: 'p' });
    const out = createPromptModule(prompt, 'prefix').forward({ hidden, mask }, ctx, { kind: 'embedding', point: 'embed.out', layer: -1, path: 'embeddings', hiddenSize: 2 });
    expect(out.hidden.arraySync()).toEqual([[[10, 11], [20, 21], [1, 1], [2, 2], [3, 3]]]);
    expect(out.mask!.arraySync()).toEqual([[1, 1, 1, 1, 0]]);
    expect(out.mask!.dtype).toBe('int32');
    expect(ctx.promptTokensLength).toBe(2);
  });

  it("prefix_after_bos: [bos, prompt, rest]; the mask is still prepended in front (Python's prefix_attention_mask)", () => {
    const ctx = new ForwardContext({ training: false, setup: 'p' });
    const out = createPromptModule(prompt, 'prefix_after_bos').forward({ hidden, mask }, ctx, { kind: 'embedding', point: 'embed.out', layer: -1, path: 'embeddings', hiddenSize: 2 });
    expect(out.hidden.arraySync()).toEqual([[[1, 1], [10, 11], [20, 21], [2, 2], [3, 3]]]);
    expect(out.mask!.arraySync()).toEqual([[1, 1, 1, 1, 0]]);
  });
});

describe('prompt tuning in the model', () => {
  it('padding is masked: a padded row equals the same row without its padding', () => {
    const model = randomBert([promptTuning]);
    model.addAdapter('p', { architecture: 'prompt_tuning', prompt_length: 4 }, { setActive: true });
    const padded = model.forward(randomBertInputs()).last_hidden_state;
    const short = model.forward({ input_ids: tf.tensor2d([[2, 7, 3]], [1, 3], 'int32'), attention_mask: tf.ones([1, 3], 'int32') }).last_hidden_state;
    expect(padded.shape).toEqual([2, 9, 16]);
    expect(maxAbsDiff(tf.slice(padded, [1, 0, 0], [1, 7, 16]), short)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });

  it('only the first adapter of the setup acts (Stack(a, b) = a; Stack(b, a) = b)', () => {
    const model = randomBert([promptTuning]);
    model.addAdapter('a', { architecture: 'prompt_tuning', prompt_length: 2 });
    model.addAdapter('b', { architecture: 'prompt_tuning', prompt_length: 3 });
    const inputs = randomBertInputs();
    const run = (setup: Parameters<typeof model.forward>[1]): tf.Tensor => model.forward(inputs, setup).last_hidden_state;
    expect(maxAbsDiff(run({ setup: { type: 'Stack', children: ['a', 'b'] } }), run({ setup: 'a' }))).toBe(0);
    expect(maxAbsDiff(run({ setup: { type: 'Stack', children: ['b', 'a'] } }), run({ setup: 'b' }))).toBe(0);
    expect(run({ setup: { type: 'Parallel', children: ['b', 'a'] } }).shape).toEqual([2, 8, 16]);
    model.dispose();
  });
});
