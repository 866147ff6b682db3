import { bottleneck } from '@adapters/bottleneck';
import { Parallel, createRandomModel } from '@adapters/core';
import { describeModel, maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bertGeneration, bertGenerationSites } from '../src';

const config = {
  model_type: 'bert-generation',
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
});

describeModel(bertGeneration, { config, inputs });

const decoderConfig = { ...config, is_decoder: true, add_cross_attention: true };
const decoderInputs = (): Record<string, tf.Tensor> => ({
  ...inputs(),
  encoder_hidden_states: tf.randomNormal([2, 6, 16], 0, 1, 'float32', 5),
  encoder_attention_mask: tf.tensor2d([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]], [2, 6], 'int32'),
});
describeModel(bertGeneration, { config: decoderConfig, inputs: decoderInputs });

describe('BERT-Generation specifics', () => {
  it('has no token-type or pooler weights', () => {
    const names = bertGeneration.weightSpecs(bertGeneration.parseConfig(config)).map((s) => s.name);
    expect(names.some((n) => n.includes('token_type') || n.startsWith('pooler'))).toBe(false);
  });

  it('decoder configs (BertGenerationDecoder): causal self-attention, crossattention sites as Python wires them', () => {
    expect(() => bertGeneration.parseConfig({ ...config, add_cross_attention: true })).toThrow(/add_cross_attention/);
    const sites = bertGenerationSites(bertGeneration.parseConfig(decoderConfig));
    expect(sites.find((s) => s.point === 'attn.cross' && s.layer === 1)).toMatchObject({ path: 'encoder.layer.1.crossattention.self', location: 'cross_prefix' });
    expect(sites.find((s) => s.point === 'block.cross' && s.layer === 1)).toMatchObject({ path: 'encoder.layer.1.crossattention.output', locationKey: 'mh_adapter' });
    const m = createRandomModel(bertGeneration, decoderConfig, { seed: 2, std: 0.3 });
    const x = decoderInputs();
    const a = m.forward(x).last_hidden_state;
    const b = m.forward({ ...x, input_ids: tf.tensor2d([[2, 5, 9, 8, 8], [2, 7, 3, 0, 0]], [2, 5], 'int32') }).last_hidden_state;
    expect(maxAbsDiff(tf.slice(a, [0, 0, 0], [2, 3, -1]), tf.slice(b, [0, 0, 0], [2, 3, -1]))).toBe(0);
    const c = m.forward({ ...x, encoder_hidden_states: tf.mul(x.encoder_hidden_states!, 2) }).last_hidden_state;
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-4);
    m.dispose();
  });

  it('explicit position_ids equal to 0..T-1 give the default output', () => {
    const model = createRandomModel(bertGeneration, config, { seed: 3, std: 0.2 });
    const x = inputs();
    const a = model.forward(x).last_hidden_state;
    const b = model.forward({ ...x, position_ids: tf.tensor2d([[0, 1, 2, 3, 4], [0, 1, 2, 3, 4]], [2, 5], 'int32') }).last_hidden_state;
    expect(maxAbsDiff(a, b)).toBe(0);
    model.dispose();
  });

  it('Parallel(a, b) equals running a and b alone', () => {
    const model = createRandomModel(bertGeneration, config, { seed: 4, std: 0.2, methods: [bottleneck] });
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
