import { bottleneck } from '@adapters/bottleneck';
import { Parallel, createRandomModel } from '@adapters/core';
import { describeModel, maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { distilbert, sinusoidalPositions } from '../src';

const config = { model_type: 'distilbert', dim: 16, n_heads: 2, n_layers: 2, hidden_dim: 24, vocab_size: 30, max_position_embeddings: 16, dropout: 0, attention_dropout: 0 };
const inputs = (): Record<string, tf.Tensor> => ({
  input_ids: tf.tensor2d([[2, 5, 9, 4, 3], [2, 7, 3, 0, 0]], [2, 5], 'int32'),
  attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
});

describeModel(distilbert, { config, inputs });
describeModel(distilbert, { config: { ...config, sinusoidal_pos_embds: true }, inputs });

describe('DistilBERT specifics', () => {
  it('sinusoidal table: row 0 is [0, 1, 0, 1, …], columns 0/1 are sin(pos)/cos(pos), sin²+cos² = 1 per pair', () => {
    const t = sinusoidalPositions(8, 6);
    const d = t.arraySync();
    expect(d[0]).toEqual([0, 1, 0, 1, 0, 1]);
    for (let p = 0; p < 8; p++) {
      expect(d[p]![0]).toBeCloseTo(Math.sin(p), 6);
      expect(d[p]![1]).toBeCloseTo(Math.cos(p), 6);
      expect(d[p]![4]! ** 2 + d[p]![5]! ** 2).toBeCloseTo(1, 6);
    }
    t.dispose();
  });

  it('sinusoidal config declares no position weight (the table is computed)', () => {
    const specs = distilbert.weightSpecs(distilbert.parseConfig({ ...config, sinusoidal_pos_embds: true }));
    expect(specs.some((s) => s.name.includes('position_embeddings'))).toBe(false);
  });

  it('masked (padding) tokens do not change the unpadded outputs', () => {
    const model = createRandomModel(distilbert, config, { seed: 3, std: 0.2 });
    const a = model.forward({ input_ids: tf.tensor2d([[2, 7, 3, 0, 0]], [1, 5], 'int32'), attention_mask: tf.tensor2d([[1, 1, 1, 0, 0]], [1, 5], 'int32') });
    const b = model.forward({ input_ids: tf.tensor2d([[2, 7, 3, 9, 11]], [1, 5], 'int32'), attention_mask: tf.tensor2d([[1, 1, 1, 0, 0]], [1, 5], 'int32') });
    const first3 = (x: tf.Tensor): tf.Tensor => tf.slice(x, [0, 0, 0], [1, 3, 16]);
    expect(maxAbsDiff(first3(a.last_hidden_state), first3(b.last_hidden_state))).toBeLessThan(1e-6);
    model.dispose();
  });

  it('Parallel(a, b) equals running a and b alone (residual batch matching at both bottleneck sites)', () => {
    const model = createRandomModel(distilbert, config, { seed: 4, std: 0.2, methods: [bottleneck] });
    model.addAdapter('a', 'double_seq_bn');
    model.addAdapter('b', 'double_seq_bn');
    for (const n of ['a', 'b']) for (const v of model.adapterParameters(n).values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', 11));
    const x = inputs();
    const par = model.forward(x, { setup: Parallel('a', 'b') }).last_hidden_state;
    const a = model.forward(x, { setup: 'a' }).last_hidden_state;
    const b = model.forward(x, { setup: 'b' }).last_hidden_state;
    expect(par.shape[0]).toBe(4);
    expect(maxAbsDiff(tf.slice(par, [0, 0, 0], [2, -1, -1]), a)).toBeLessThan(1e-5);
    expect(maxAbsDiff(tf.slice(par, [2, 0, 0], [2, -1, -1]), b)).toBeLessThan(1e-5);
    model.dispose();
  });
});
