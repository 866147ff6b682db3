import { bottleneck } from '@adapters/bottleneck';
import { Parallel, createRandomModel } from '@adapters/core';
import { describeModel, maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { electra } from '../src';

const config = {
  model_type: 'electra',
  embedding_size: 8,
  hidden_size: 16,
  num_attention_heads: 2,
  num_hidden_layers: 2,
  intermediate_size: 24,
  vocab_size: 30,
  max_position_embeddings: 16,
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
};
const inputs = (): Record<string, tf.Tensor> => ({
  input_ids: tf.tensor2d([[2, 5, 9, 4, 3], [2, 7, 3, 0, 0]], [2, 5], 'int32'),
  attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
  token_type_ids: tf.tensor2d([[0, 0, 1, 1, 1], [0, 0, 0, 0, 0]], [2, 5], 'int32'),
});

describeModel(electra, { config, inputs });
describeModel(electra, { config: { ...config, embedding_size: 16 }, inputs });

describe('ELECTRA specifics', () => {
  it('embeddings_project exists only when embedding_size != hidden_size; the embedding site has embedding_size', () => {
    const names = (c: object): string[] => electra.weightSpecs(electra.parseConfig({ ...config, ...c })).map((s) => s.name);
    expect(names({})).toContain('embeddings_project.weight');
    expect(names({ embedding_size: 16 })).not.toContain('embeddings_project.weight');
    const site = electra.sites(electra.parseConfig(config)).find((s) => s.point === 'embed.out')!;
    expect(site.kind === 'embedding' && site.hiddenSize).toBe(8);
  });

  it('rejects decoder configs it does not implement', () => {
    expect(() => electra.parseConfig({ ...config, is_decoder: true })).toThrow(/is_decoder/);
  });

  it('Parallel(a, b) equals running a and b alone', () => {
    const model = createRandomModel(electra, config, { seed: 4, std: 0.2, methods: [bottleneck] });
    model.addAdapter('a', 'double_seq_bn');
    model.addAdapter('b', 'double_seq_bn');
    for (const n of ['a', 'b']) for (const v of model.adapterParameters(n).values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', n === 'a' ? 1 : 2));
    const x = inputs();
    const par = model.forward(x, { setup: Parallel('a', 'b') }).last_hidden_state;
    expect(maxAbsDiff(tf.slice(par, [0, 0, 0], [2, -1, -1]), model.forward(x, { setup: 'a' }).last_hidden_state)).toBeLessThan(1e-5);
    expect(maxAbsDiff(tf.slice(par, [2, 0, 0], [2, -1, -1]), model.forward(x, { setup: 'b' }).last_hidden_state)).toBeLessThan(1e-5);
    model.dispose();
  });
});
