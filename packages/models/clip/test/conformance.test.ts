import { bottleneck } from '@adapters/bottleneck';
import { MemoryStorage, SGD, createRandomModel, loadAdapter, saveAdapter, trainStep } from '@adapters/core';
import { describeModel, maxAbsDiff } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { clip, clipContrastiveLoss, clipPairLoss, clipSites, eosPositions, patchEmbed, zeroShotClassify } from '../src';

const tower = { hidden_size: 16, intermediate_size: 24, num_attention_heads: 2, num_hidden_layers: 2 };
const config = {
  model_type: 'clip',
  projection_dim: 8,
  text_config: { ...tower, vocab_size: 30, max_position_embeddings: 12, eos_token_id: 29 },
  vision_config: { ...tower, image_size: 8, patch_size: 4, num_channels: 3 },
};
const inputs = (): Record<string, tf.Tensor> => ({
  input_ids: tf.tensor2d([[28, 5, 9, 4, 29], [28, 7, 29, 1, 1]], [2, 5], 'int32'),
  attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
  pixel_values: tf.randomNormal([2, 3, 8, 8], 0, 1, 'float32', 1),
});

describeModel(clip, { config, inputs });

describe('CLIP specifics', () => {
  it('layer numbering as Python iter_layers: text 0..Lt-1, vision Lt..', () => {
    const sites = clipSites(clip.parseConfig(config));
    expect(sites.filter((s) => s.point === 'attn.q').map((s) => [s.layer, s.path])).toEqual([
      [0, 'text_model.encoder.layers.0.self_attn.q_proj'],
      [1, 'text_model.encoder.layers.1.self_attn.q_proj'],
      [2, 'vision_model.encoder.layers.0.self_attn.q_proj'],
      [3, 'vision_model.encoder.layers.1.self_attn.q_proj'],
    ]);
  });

  it('EOS pooling: first eos_token_id position, or argmax(ids) when eos_token_id == 2 (legacy)', () => {
    const ids = tf.tensor2d([[5, 29, 9, 29], [40, 3, 29, 1]], [2, 4], 'int32');
    expect(Array.from(eosPositions(ids, 29).dataSync())).toEqual([1, 2]);
    expect(Array.from(eosPositions(ids, 2).dataSync())).toEqual([1, 0]);
  });

  it('patch embedding as reshape + matmul equals a strided convolution', () => {
    const px = tf.randomNormal([2, 3, 8, 8], 0, 1, 'float32', 2);
    const k = tf.randomNormal([5, 3, 4, 4], 0, 1, 'float32', 3);
    const conv = tf.conv2d(tf.transpose(px, [0, 2, 3, 1]) as tf.Tensor4D, tf.transpose(k, [2, 3, 1, 0]) as tf.Tensor4D, 4, 'valid');
    expect(maxAbsDiff(patchEmbed(px, k, 4), tf.reshape(conv, [2, 4, 5]))).toBeLessThan(1e-5);
  });

  it('causal text tower: changing later tokens never changes earlier positions', () => {
    const m = createRandomModel(clip, config, { seed: 2, std: 0.3 });
    const x = inputs();
    const a = m.forward({ input_ids: x.input_ids! }).last_hidden_state;
    const b = m.forward({ input_ids: tf.tensor2d([[28, 5, 9, 7, 7], [28, 7, 3, 3, 3]], [2, 5], 'int32') }).last_hidden_state;
    expect(maxAbsDiff(tf.slice(a, [0, 0, 0], [2, 2, -1]), tf.slice(b, [0, 0, 0], [2, 2, -1]))).toBe(0);
    m.dispose();
  });

  it('contrastive loss: log(N) for uniform logits; training LoRA + seq_bn on image-text pairs lowers it; save/load round trip', async () => {
    expect(clipContrastiveLoss(tf.zeros([3, 3])).dataSync()[0]).toBeCloseTo(Math.log(3), 6);
    const m = createRandomModel(clip, config, { seed: 3, std: 0.3, methods: [lora, bottleneck] });
    m.addAdapter('a', 'lora[r=2,alpha=4]');
    m.addAdapter('b', 'seq_bn');
    m.setActiveAdapters(['a', 'b']);
    m.trainAdapter(['a', 'b']);
    const x = inputs();
    const batch = { input_ids: x.input_ids!, attention_mask: x.attention_mask!, pixel_values: x.pixel_values! };
    const first = trainStep(m, () => clipPairLoss(m, batch), new SGD(0.5)).loss;
    let last = first;
    for (let i = 0; i < 3; i++) last = trainStep(m, () => clipPairLoss(m, batch), new SGD(0.5)).loss;
    expect(last).toBeLessThan(first);
    const before = m.forward(x).logits_per_image as tf.Tensor;
    const storage = new MemoryStorage();
    await saveAdapter(m, storage, 'o/a', 'a');
    await saveAdapter(m, storage, 'o/b', 'b');
    const m2 = createRandomModel(clip, config, { seed: 3, std: 0.3, methods: [lora, bottleneck] });
    await loadAdapter(m2, storage, 'o/a');
    await loadAdapter(m2, storage, 'o/b');
    m2.setActiveAdapters(['a', 'b']);
    expect(maxAbsDiff(m2.forward(x).logits_per_image as tf.Tensor, before)).toBeLessThan(1e-5);
    m.dispose();
    m2.dispose();
  });

  it('zero-shot classification: softmax of logits_per_image over the labels', () => {
    const m = createRandomModel(clip, config, { seed: 4, std: 0.3 });
    const x = inputs();
    const r = zeroShotClassify(m, x.pixel_values!, { input_ids: x.input_ids!, attention_mask: x.attention_mask! });
    const logits = (m.forward(x).logits_per_image as tf.Tensor).arraySync() as number[][];
    r.probs.forEach((row, i) => {
      expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 6);
      expect(r.best[i]).toBe(logits[i]!.indexOf(Math.max(...logits[i]!)));
    });
    m.dispose();
  });
});
