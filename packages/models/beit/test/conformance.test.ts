import { bottleneck } from '@adapters/bottleneck';
import { MemoryStorage, Parallel, SGD, createRandomModel, loadAdapter, saveAdapter, trainStep } from '@adapters/core';
import { describeModel, maxAbsDiff } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import { prefixTuning } from '@adapters/prefix-tuning';
import { promptTuning } from '@adapters/prompt-tuning';
import { reft } from '@adapters/reft';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { beit, beitSites, bilinearMatrix, createBeit, effectiveTable, relativePositionIndex } from '../src';

const base = {
  model_type: 'beit',
  hidden_size: 16,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 24,
  image_size: 8,
  patch_size: 4,
  drop_path_rate: 0,
};
/** Everything on: absolute positions, per-layer and shared relative bias, layer scale, mean pooling. */
const full = { ...base, use_absolute_position_embeddings: true, use_relative_position_bias: true, use_shared_relative_position_bias: true };
/** transformers' BeitConfig defaults otherwise: no relative bias, no absolute positions; here CLS pooling. */
const plain = { ...base, use_mean_pooling: false };
const pixels = (seed = 1): Record<string, tf.Tensor> => ({ pixel_values: tf.randomNormal([2, 3, 8, 8], 0, 1, 'float32', seed) });

describeModel(beit, { config: full, inputs: () => pixels() });
describeModel(beit, { config: plain, inputs: () => pixels() });

describe('BEiT specifics', () => {
  it('site paths as Python: both bottlenecks on BeitLayer', () => {
    const sites = beitSites(beit.parseConfig(full));
    const at = (point: string, layer: number): string => sites.find((s) => s.point === point && s.layer === layer)!.path;
    expect(at('block.attn', 1)).toBe('encoder.layer.1.attention_adapters');
    expect(at('block.ffn', 1)).toBe('encoder.layer.1.output_adapters');
    expect(at('attn.k', 0)).toBe('encoder.layer.0.attention.attention.key');
  });

  it('relative position index for a 2×2 grid (closed form)', () => {
    const idx = relativePositionIndex(2, 2);
    const at = (i: number, j: number): number => idx[i * 5 + j]!;
    // num = 3·3 + 3 = 12: CLS→patch 9, patch→CLS 10, CLS→CLS 11.
    expect([at(0, 0), at(0, 3), at(2, 0)]).toEqual([11, 9, 10]);
    // patch pairs: (Δrow + 1)·3 + (Δcol + 1); tokens 1..4 = patches (0,0), (0,1), (1,0), (1,1).
    // (0,0)→(1,1): Δ = (−1, −1) → 0; (1,1)→(0,0): (1, 1) → 8; (0,1)→(1,0): (−1, 1) → 2; same patch → 4.
    expect([at(1, 1), at(1, 4), at(4, 1), at(2, 3)]).toEqual([4, 0, 8, 2]);
  });

  it('bilinear resize matrix is the identity at the same size; a 1×2 window makes every pair row the Δ=0 entry (transformers quirk)', () => {
    expect(Array.from(bilinearMatrix(3, 3))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // Window 1×2: 3 pair rows viewed as a 3×1 grid, resized to 1×3 → every entry is row 1 (Δcol = 0).
    const table = tf.tensor2d([[1, 10], [2, 20], [3, 30], [7, 70], [8, 80], [9, 90]]);
    expect(effectiveTable(table, 1, 2).arraySync()).toEqual([[2, 20], [2, 20], [2, 20], [7, 70], [8, 80], [9, 90]]);
    const square = tf.randomNormal([12, 2]);
    expect(effectiveTable(square, 2, 2)).toBe(square);
  });

  it('non-square images run (8×16 pixels, 2×4 patches)', () => {
    const m = createRandomModel(beit, { ...full, image_size: [8, 16] }, { seed: 2, std: 0.3 });
    expect(m.forward({ pixel_values: tf.randomNormal([1, 3, 8, 16]) }).last_hidden_state.shape).toEqual([1, 9, 16]);
    m.dispose();
  });

  it('layer scale multiplies both branches: lambda = 0 makes every layer the identity', () => {
    const m = createRandomModel(beit, plain, { seed: 2, std: 0.3 });
    for (const [k, v] of m.weights) if (/lambda_/.test(k)) v.assign(tf.zerosLike(v));
    const x = pixels(3);
    const out = m.forward(x, { outputHiddenStates: true });
    const hs = out.hidden_states!;
    expect(maxAbsDiff(hs[2]!, hs[0]!)).toBe(0);
    m.dispose();
  });

  it('stochastic depth acts only in training mode', () => {
    const m = createRandomModel(beit, { ...plain, drop_path_rate: 0.9 }, { seed: 2, std: 0.3 });
    const x = pixels(4);
    const a = m.forward(x).last_hidden_state;
    expect(maxAbsDiff(m.forward(x).last_hidden_state, a)).toBe(0);
    expect(maxAbsDiff(m.forward(x, { training: true, seed: 1 }).last_hidden_state, a)).toBeGreaterThan(1e-4);
    m.dispose();
  });

  it('LoRA training on a tiny image task lowers the loss; save/load round trip', async () => {
    const m = createRandomModel(beit, full, { seed: 3, std: 0.3, methods: [lora] });
    m.addAdapter('img', 'lora[r=4,alpha=8]');
    m.setActiveAdapters('img');
    m.trainAdapter('img');
    const x = tf.add(tf.concat([tf.ones([2, 3, 8, 8]), tf.zeros([2, 3, 8, 8])], 0), tf.randomNormal([4, 3, 8, 8], 0, 0.1, 'float32', 9));
    const labels = tf.tensor2d([[1, 0], [1, 0], [0, 1], [0, 1]]);
    const probe = tf.randomNormal([16, 2], 0, 1, 'float32', 7);
    const loss = (): tf.Scalar => tf.losses.softmaxCrossEntropy(labels, tf.matMul(m.forward({ pixel_values: x }).pooler_output!, probe)) as tf.Scalar;
    const opt = new SGD(0.5);
    const first = trainStep(m, loss, opt).loss;
    let last = first;
    for (let i = 0; i < 5; i++) last = trainStep(m, loss, opt).loss;
    console.log('beit lora training loss', first, '→', last);
    expect(last).toBeLessThan(first);
    const before = m.forward({ pixel_values: x }).pooler_output!;
    const storage = new MemoryStorage();
    await saveAdapter(m, storage, 'out/img', 'img');
    const m2 = createRandomModel(beit, full, { seed: 3, std: 0.3, methods: [lora] });
    await loadAdapter(m2, storage, 'out/img', { setActive: true });
    expect(maxAbsDiff(m2.forward({ pixel_values: x }).pooler_output!, before)).toBeLessThan(1e-6);
    m.dispose();
    m2.dispose();
  });

  it('prompt / prefix tuning with a relative position bias fail as in Python; the opt-in fix pads the bias with zeros', () => {
    const methods = [prefixTuning, promptTuning, reft];
    const m = createRandomModel(beit, full, { seed: 4, std: 0.3, methods });
    m.addAdapter('pt', 'prompt_tuning[prompt_length=2]');
    m.addAdapter('pre', 'prefix_tuning[prefix_length=3]');
    m.addAdapter('re', 'loreft');
    const x = pixels(5);
    const y0 = m.forward(x).last_hidden_state;
    m.setActiveAdapters('re');
    expect(maxAbsDiff(m.forward(x).last_hidden_state, y0)).toBeGreaterThan(1e-6);
    for (const a of ['pt', 'pre']) {
      m.setActiveAdapters(a);
      expect(() => m.forward(x), a).toThrow(/relative position bias/);
    }
    const fixed = createRandomModel(createBeit({ padRelativePositionBias: true }), full, { seed: 4, std: 0.3, methods });
    fixed.addAdapter('pt', 'prompt_tuning[prompt_length=2]');
    fixed.addAdapter('pre', 'prefix_tuning[prefix_length=3]');
    fixed.setActiveAdapters('pt');
    expect(fixed.forward(x).last_hidden_state.shape).toEqual([2, 7, 16]);
    fixed.setActiveAdapters('pre');
    expect(maxAbsDiff(fixed.forward(x).last_hidden_state, y0)).toBeGreaterThan(1e-6);
    // Without a relative bias (transformers' BeitConfig default) prompt tuning works unchanged.
    const p = createRandomModel(beit, plain, { seed: 4, std: 0.3, methods });
    p.addAdapter('pt', 'prompt_tuning[prompt_length=2]', { setActive: true });
    expect(p.forward(x).last_hidden_state.shape).toEqual([2, 7, 16]);
    m.dispose();
    fixed.dispose();
    p.dispose();
  });

  it('Parallel is rejected (not in Python SUPPORTED_MODELS); invertible adapters are rejected', () => {
    const m = createRandomModel(beit, plain, { seed: 5, methods: [bottleneck] });
    m.addAdapter('a', 'seq_bn');
    m.addAdapter('b', 'seq_bn');
    expect(() => m.setActiveAdapters(Parallel('a', 'b'))).toThrow(/Parallel/);
    expect(() => m.addAdapter('inv', 'seq_bn_inv')).toThrow(/not supported/);
    m.dispose();
  });
});
