import { bottleneck } from '@adapters/bottleneck';
import { MemoryStorage, Parallel, SGD, createRandomModel, loadAdapter, saveAdapter, trainStep } from '@adapters/core';
import { describeModel, maxAbsDiff } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { whisper, whisperFixed, whisperSites } from '../src';

import { tinyConfig, tinyInputs } from './helpers';

describeModel(whisper, { config: tinyConfig, inputs: tinyInputs });
describeModel(whisperFixed, { config: tinyConfig, inputs: tinyInputs });

describe('Whisper specifics', () => {
  it('layer numbering: decoder layers continue after the encoder; cross sites on decoder layers only', () => {
    const sites = whisperSites(whisper.parseConfig(tinyConfig));
    expect(sites.filter((s) => s.point === 'cross.q').map((s) => s.layer)).toEqual([2, 3]);
    expect(sites.find((s) => s.point === 'attn.self' && s.layer === 0)).toMatchObject({ location: 'encoder_prefix' });
    expect(sites.find((s) => s.point === 'attn.self' && s.layer === 2)).toMatchObject({ location: 'self_prefix' });
    expect(sites.find((s) => s.point === 'attn.cross')).toMatchObject({ location: 'cross_prefix', path: 'decoder.layers.0.encoder_attn' });
  });

  it('rejects features of the wrong length', () => {
    const m = createRandomModel(whisper, tinyConfig, { seed: 1 });
    expect(() => m.forward({ ...tinyInputs(), input_features: tf.zeros([1, 8, 10]) })).toThrow(/2·max_source_positions/);
    m.dispose();
  });

  it('causal: changing future decoder tokens never changes past outputs', () => {
    const m = createRandomModel(whisper, tinyConfig, { seed: 2, std: 0.3 });
    const x = tinyInputs();
    const a = m.forward(x).last_hidden_state;
    const ids2 = tf.tensor2d([[3, 5, 9, 8, 8], [3, 7, 6, 9, 9]], [2, 5], 'int32');
    const b = m.forward({ ...x, decoder_input_ids: ids2 }).last_hidden_state;
    expect(maxAbsDiff(tf.slice(a, [0, 0, 0], [2, 3, -1]), tf.slice(b, [0, 0, 0], [2, 3, -1]))).toBe(0);
    m.dispose();
  });

  it('KV cache: decoding token by token equals full recomputation (with LoRA active)', () => {
    const m = createRandomModel(whisper, tinyConfig, { seed: 3, std: 0.3, methods: [lora] });
    m.addAdapter('l', 'lora[r=2,alpha=4]');
    for (const v of m.adapterParameters('l').values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', 5));
    m.setActiveAdapters('l');
    const x = tinyInputs();
    const ids = x.decoder_input_ids!;
    const full = m.forward({ input_features: x.input_features!, decoder_input_ids: ids });
    const enc = full.encoder_last_hidden_state as tf.Tensor;
    let past: Record<string, tf.Tensor> = {};
    const steps: tf.Tensor[] = [];
    for (let t = 0; t < 5; t++) {
      const out = m.forward({ encoder_last_hidden_state: enc, decoder_input_ids: tf.slice(ids, [0, t], [2, 1]), use_cache: tf.scalar(1, 'int32'), ...past });
      steps.push(out.last_hidden_state);
      past = {};
      for (const [k, v] of Object.entries(out)) if (k.startsWith('present_key_values.')) past[`past_key_values.${k.slice(19)}`] = v as tf.Tensor;
    }
    expect(past['past_key_values.1.key']!.shape).toEqual([2, 2, 5, 8]);
    expect(maxAbsDiff(tf.concat(steps, 1), full.last_hidden_state)).toBeLessThan(1e-5);
    m.dispose();
  });

  it('Parallel(a, b) equals running a and b alone', () => {
    const m = createRandomModel(whisper, tinyConfig, { seed: 4, std: 0.2, methods: [bottleneck] });
    m.addAdapter('a', 'double_seq_bn');
    m.addAdapter('b', 'double_seq_bn');
    for (const n of ['a', 'b']) for (const v of m.adapterParameters(n).values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', n === 'a' ? 1 : 2));
    const x = tinyInputs();
    const par = m.forward(x, { setup: Parallel('a', 'b') }).last_hidden_state;
    expect(maxAbsDiff(tf.slice(par, [0, 0, 0], [2, -1, -1]), m.forward(x, { setup: 'a' }).last_hidden_state)).toBeLessThan(1e-5);
    expect(maxAbsDiff(tf.slice(par, [2, 0, 0], [2, -1, -1]), m.forward(x, { setup: 'b' }).last_hidden_state)).toBeLessThan(1e-5);
    m.dispose();
  });

  it('save/load round trip and one training step lowers the loss', async () => {
    const m = createRandomModel(whisper, tinyConfig, { seed: 5, std: 0.3, methods: [lora, bottleneck] });
    m.addAdapter('a', 'lora[r=2,alpha=4]');
    m.addAdapter('b', 'seq_bn');
    m.setActiveAdapters(['a', 'b']);
    m.trainAdapter(['a', 'b']);
    const x = tinyInputs();
    const target = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 9);
    const loss = (): tf.Scalar => tf.mean(tf.square(tf.sub(m.forward(x, { training: true }).last_hidden_state, target))) as tf.Scalar;
    const first = trainStep(m, loss, new SGD(0.1)).loss;
    const second = trainStep(m, loss, new SGD(0.1)).loss;
    expect(second).toBeLessThan(first);
    const before = m.forward(x).last_hidden_state;
    const storage = new MemoryStorage();
    await saveAdapter(m, storage, 'out/a', 'a');
    await saveAdapter(m, storage, 'out/b', 'b');
    const m2 = createRandomModel(whisper, tinyConfig, { seed: 5, std: 0.3, methods: [lora, bottleneck] });
    await loadAdapter(m2, storage, 'out/a');
    await loadAdapter(m2, storage, 'out/b');
    m2.setActiveAdapters(['a', 'b']);
    expect(maxAbsDiff(m2.forward(x).last_hidden_state, before)).toBeLessThan(1e-6);
    m.dispose();
    m2.dispose();
  });
});
