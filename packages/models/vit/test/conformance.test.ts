import { bottleneck } from '@adapters/bottleneck';
import { MemoryStorage, Parallel, SGD, createRandomModel, loadAdapter, saveAdapter, trainStep } from '@adapters/core';
import { describeModel, maxAbsDiff } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import { prefixTuning } from '@adapters/prefix-tuning';
import { promptTuning } from '@adapters/prompt-tuning';
import { reft } from '@adapters/reft';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { patchEmbed, vit, vitSites } from '../src';
import { probeLoss, tinyImageTask, tinyPixels, tinyVitConfig } from './helpers';

describeModel(vit, { config: tinyVitConfig, inputs: () => tinyPixels() });

describe('ViT specifics', () => {
  it('site paths as Python: attention_adapters on the layer, output_adapters inside ViTOutput', () => {
    const sites = vitSites(vit.parseConfig(tinyVitConfig));
    const at = (point: string, layer: number): string => sites.find((s) => s.point === point && s.layer === layer)!.path;
    expect(at('attn.q', 1)).toBe('encoder.layer.1.attention.attention.query');
    expect(at('attn.self', 0)).toBe('encoder.layer.0.attention.attention');
    expect(at('block.attn', 0)).toBe('encoder.layer.0.attention_adapters');
    expect(at('block.ffn', 0)).toBe('encoder.layer.0.output.output_adapters');
    expect(at('layer.out', 1)).toBe('encoder.layer.1');
    expect(at('embed.out', -1)).toBe('embeddings');
  });

  it('patch embedding as reshape + matmul equals a strided convolution (+ bias)', () => {
    const px = tf.randomNormal([2, 3, 8, 8], 0, 1, 'float32', 2);
    const k = tf.randomNormal([5, 3, 4, 4], 0, 1, 'float32', 3);
    const b = tf.randomNormal([5], 0, 1, 'float32', 4);
    const conv = tf.conv2d(tf.transpose(px, [0, 2, 3, 1]) as tf.Tensor4D, tf.transpose(k, [2, 3, 1, 0]) as tf.Tensor4D, 4, 'valid');
    expect(maxAbsDiff(patchEmbed(px, k, 4, b), tf.add(tf.reshape(conv, [2, 4, 5]), b))).toBeLessThan(1e-5);
  });

  it('rejects pixel_values of another size and invertible adapters (Python: no InvertibleAdaptersMixin)', () => {
    const m = createRandomModel(vit, tinyVitConfig, { seed: 1, methods: [bottleneck] });
    expect(() => m.forward({ pixel_values: tf.zeros([1, 3, 16, 16]) })).toThrow(/pixel_values must be/);
    expect(() => m.addAdapter('inv', 'seq_bn_inv')).toThrow(/not supported/);
    m.dispose();
  });

  it('bool_masked_pos replaces patches by the mask token', () => {
    const m = createRandomModel(vit, tinyVitConfig, { seed: 1, std: 0.3 });
    const x = tinyPixels(3);
    const none = m.forward({ ...x, bool_masked_pos: tf.zeros([2, 4], 'int32') }).last_hidden_state;
    const plain = m.forward(x).last_hidden_state;
    expect(maxAbsDiff(none, plain)).toBe(0);
    const masked = m.forward({ ...x, bool_masked_pos: tf.tensor2d([[1, 0, 0, 0], [0, 0, 0, 0]], [2, 4], 'int32') }).last_hidden_state;
    expect(maxAbsDiff(tf.slice(masked, [1, 0, 0], [1, -1, -1]), tf.slice(plain, [1, 0, 0], [1, -1, -1]))).toBe(0);
    expect(maxAbsDiff(tf.slice(masked, [0, 0, 0], [1, -1, -1]), tf.slice(plain, [0, 0, 0], [1, -1, -1]))).toBeGreaterThan(1e-4);
    m.dispose();
  });

  it('LoRA training on a tiny image task lowers the loss; save/load round trip reproduces the output', async () => {
    const m = createRandomModel(vit, tinyVitConfig, { seed: 3, std: 0.3, methods: [lora] });
    m.addAdapter('img', 'lora[r=4,alpha=8,selfattn_lora=True,intermediate_lora=True]');
    m.setActiveAdapters('img');
    m.trainAdapter('img');
    const { pixels, labels } = tinyImageTask(8);
    const probe = tf.randomNormal([16, 2], 0, 1, 'float32', 7);
    const loss = (): tf.Scalar => probeLoss(m.forward({ pixel_values: pixels }).pooler_output!, probe, labels);
    const opt = new SGD(0.5);
    const first = trainStep(m, loss, opt).loss;
    let last = first;
    for (let i = 0; i < 5; i++) last = trainStep(m, loss, opt).loss;
    console.log('vit lora training loss', first, '→', last);
    expect(last).toBeLessThan(first);
    const before = m.forward({ pixel_values: pixels }).last_hidden_state;
    const storage = new MemoryStorage();
    await saveAdapter(m, storage, 'out/img', 'img');
    const m2 = createRandomModel(vit, tinyVitConfig, { seed: 3, std: 0.3, methods: [lora] });
    await loadAdapter(m2, storage, 'out/img', { setActive: true });
    expect(maxAbsDiff(m2.forward({ pixel_values: pixels }).last_hidden_state, before)).toBeLessThan(1e-6);
    m.dispose();
    m2.dispose();
  });

  it('prefix tuning, prompt tuning and ReFT run and change the output; prompt tuning prepends its tokens', () => {
    const m = createRandomModel(vit, tinyVitConfig, { seed: 4, std: 0.3, methods: [prefixTuning, promptTuning, reft] });
    const x = tinyPixels(5);
    const base = m.forward(x).last_hidden_state;
    m.addAdapter('pre', 'prefix_tuning[prefix_length=3]');
    m.addAdapter('pt', 'prompt_tuning[prompt_length=2]');
    m.addAdapter('re', 'loreft');
    for (const name of ['pre', 're']) {
      m.setActiveAdapters(name);
      const out = m.forward(x).last_hidden_state;
      expect(out.shape).toEqual([2, 5, 16]);
      expect(maxAbsDiff(out, base), name).toBeGreaterThan(1e-6);
    }
    m.setActiveAdapters('pt');
    const pt = m.forward(x);
    // Python: prompt tokens go before the CLS token, so the sequence grows and the pooler reads a prompt token.
    expect(pt.last_hidden_state.shape).toEqual([2, 7, 16]);
    m.dispose();
  });

  it('Parallel(a, b) of two bottlenecks equals running a and b one at a time (Python supports Parallel for vit)', () => {
    const m = createRandomModel(vit, tinyVitConfig, { seed: 5, std: 0.3, methods: [bottleneck] });
    m.addAdapter('a', 'double_seq_bn[reduction_factor=4]');
    m.addAdapter('b', 'double_seq_bn[reduction_factor=2]');
    let seed = 11;
    for (const n of ['a', 'b']) for (const v of m.adapterParameters(n).values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', seed++));
    const x = tinyPixels(6);
    m.setActiveAdapters('a');
    const ya = m.forward(x).last_hidden_state;
    m.setActiveAdapters('b');
    const yb = m.forward(x).last_hidden_state;
    m.setActiveAdapters(Parallel('a', 'b'));
    const y = m.forward(x).last_hidden_state;
    expect(y.shape).toEqual([4, 5, 16]);
    expect(maxAbsDiff(y, tf.concat([ya, yb], 0))).toBeLessThan(1e-5);
    m.dispose();
  });
});
