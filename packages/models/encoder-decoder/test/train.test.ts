import '@adapters/bert/register';
import { bottleneck } from '@adapters/bottleneck';
import { type AdapterModel, MemoryStorage, SGD, Stack, createRandomModel, loadAdapter, saveAdapter, trainStep } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import { ia3 } from '@adapters/ia3';
import { invertible } from '@adapters/invertible';
import { lora } from '@adapters/lora';
import { prefixTuning } from '@adapters/prefix-tuning';
import { reft } from '@adapters/reft';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { encoderDecoder } from '../src';
import { randomize, tinyBert2Bert, tinyInputs } from './helpers';

const METHODS = [lora, bottleneck, prefixTuning, invertible, ia3, reft];
const build = (seed = 3): AdapterModel => createRandomModel(encoderDecoder, tinyBert2Bert, { seed, std: 0.2, methods: METHODS });

/** `mean((h·P)²)` with a fixed random `P` (a plain `mean(h²)` is ≈ 1 after a unit-gain LayerNorm). */
function projectionLoss(h: tf.Tensor): tf.Scalar {
  const size = h.shape[h.rank - 1]!;
  return tf.mean(tf.square(tf.matMul(tf.reshape(h, [-1, size]), tf.randomNormal([size, 3], 0, 1, 'float32', 11))));
}

function snapshot(m: AdapterModel): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  const vars: [string, tf.Variable][] = [...m.weights];
  for (const n of m.adapterNames) vars.push(...m.adapterParameters(n));
  for (const [k, v] of vars) out.set(k, Float32Array.from(v.dataSync() as Float32Array));
  return out;
}

describe('matrix: encoder-decoder (bert2bert) × method — forward + one SGD step', () => {
  for (const config of ['lora', 'seq_bn', 'prefix_tuning', 'double_seq_bn', 'ia3', 'seq_bn_inv', 'loreft']) {
    it(config, () => {
      const before = tf.memory().numTensors;
      const m = build();
      const x = tinyInputs();
      m.addAdapter('a', config, { seed: 1 });
      m.setActiveAdapters('a');
      const out = m.forward(x, { training: false });
      expect(out.last_hidden_state.shape).toEqual([2, 5, 16]);
      expect(tf.tidy(() => tf.all(tf.isFinite(out.last_hidden_state)).dataSync()[0])).toBe(1);
      tf.dispose(Object.values(out).flat().filter((t): t is tf.Tensor => t !== undefined));
      m.trainAdapter('a');
      const trainable = new Set(m.trainableVariables().keys());
      const frozen = new Set([...m.frozenAdapterParameters('a'), ...m.adapterBuffers('a')]);
      const s0 = snapshot(m);
      const { loss } = trainStep(m, () => {
        const o = m.forward(x);
        return tf.add(projectionLoss(o.last_hidden_state), projectionLoss(o.encoder_last_hidden_state as tf.Tensor)) as tf.Scalar;
      }, new SGD(0.1));
      expect(Number.isFinite(loss)).toBe(true);
      const s1 = snapshot(m);
      const changed = [...s0].filter(([k, v]) => s1.get(k)!.some((y, i) => y !== v[i])).map(([k]) => k);
      expect(changed.length).toBeGreaterThan(0);
      for (const k of changed) {
        expect(trainable.has(k) && !frozen.has(k), `${k} changed`).toBe(true);
        expect(m.weights.has(k), `base weight ${k} changed`).toBe(false);
      }
      // Modules of both stacks learn (for methods that place modules in both).
      expect(changed.some((k) => k.startsWith('encoder.')), 'an encoder parameter moved').toBe(true);
      expect(changed.some((k) => k.startsWith('decoder.')), 'a decoder parameter moved').toBe(true);
      tf.dispose(Object.values(x));
      m.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('training and serialization', () => {
  it('one training step moves only adapter parameters and lowers the loss', () => {
    const m = build();
    m.addAdapter('a', 'lora[r=2,alpha=4,attn_matrices=["q","k","v"]]');
    m.addAdapter('b', 'seq_bn');
    m.setActiveAdapters(Stack('a', 'b'));
    m.trainAdapter(Stack('a', 'b'));
    const base = new Map([...m.weights].map(([k, v]) => [k, Float32Array.from(v.dataSync() as Float32Array)]));
    const x = tinyInputs();
    const target = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 9);
    const loss = (): tf.Scalar => tf.mean(tf.square(tf.sub(m.forward(x).last_hidden_state, target))) as tf.Scalar;
    const first = trainStep(m, loss, new SGD(0.1)).loss;
    const second = trainStep(m, loss, new SGD(0.1)).loss;
    expect(second).toBeLessThan(first);
    for (const [k, v] of m.weights) expect(v.dataSync(), k).toEqual(base.get(k));
    m.dispose();
  });

  it('AdapterFusion over double_seq_bn adapters fuses at every residual site of both stacks (incl. crossattention.output) and trains', () => {
    const m = build();
    m.addAdapter('a', 'double_seq_bn');
    m.addAdapter('b', 'double_seq_bn');
    randomize(m, 'a', 1);
    randomize(m, 'b', 2);
    const name = m.addAdapterFusion(['a', 'b'], { key: true, query: true, value: true, query_before_ln: false, regularization: false, residual_before: false, temperature: false, value_before_softmax: true, value_initialized: true, dropout_prob: null });
    const paths = new Set([...m.fusionParameters(name).keys()].map((k) => k.slice(0, k.indexOf('.adapter_fusion_layer.'))));
    // 2 encoder layers × 2 sites + 3 decoder layers × 3 sites.
    expect(paths.size).toBe(2 * 2 + 3 * 3);
    expect(paths.has('decoder.bert.encoder.layer.2.crossattention.output')).toBe(true);
    const fuse = { type: 'Fuse' as const, children: ['a', 'b'] };
    m.setActiveAdapters(fuse);
    m.trainAdapterFusion(fuse);
    const x = tinyInputs();
    const before = m.forward(x).last_hidden_state;
    expect(maxAbsDiff(before, m.forward(x, { setup: 'a' }).last_hidden_state)).toBeGreaterThan(1e-5);
    const { loss } = trainStep(m, () => projectionLoss(m.forward(x).last_hidden_state), new SGD(0.1));
    expect(Number.isFinite(loss)).toBe(true);
    m.dispose();
  });

  it('save → load round trip into a fresh model reproduces the outputs (LoRA + bottleneck Stack, prefix tuning)', async () => {
    const m = build();
    m.addAdapter('a', 'lora[r=2,attn_matrices=["q","k","v"],intermediate_lora=True]');
    m.addAdapter('b', 'double_seq_bn');
    m.addAdapter('p', 'prefix_tuning[prefix_length=3,bottleneck_size=8]');
    for (const [i, n] of ['a', 'b', 'p'].entries()) randomize(m, n, 10 * i + 1);
    const x = tinyInputs();
    const stack = m.forward(x, { setup: Stack('a', 'b') });
    const prefix = m.forward(x, { setup: 'p' });
    const storage = new MemoryStorage();
    for (const n of ['a', 'b', 'p']) await saveAdapter(m, storage, `out/${n}`, n);
    const m2 = build(77);
    // Same base weights, fresh adapters.
    for (const [k, v] of m2.weights) v.assign(m.weights.get(k)!);
    for (const n of ['a', 'b', 'p']) await loadAdapter(m2, storage, `out/${n}`);
    expect(maxAbsDiff(m2.forward(x, { setup: Stack('a', 'b') }).last_hidden_state, stack.last_hidden_state)).toBeLessThan(1e-6);
    expect(maxAbsDiff(m2.forward(x, { setup: 'p' }).last_hidden_state, prefix.last_hidden_state)).toBeLessThan(1e-6);
    // The adapters do act (the round trip check is not vacuous).
    expect(maxAbsDiff(m2.forward(x, { setup: null }).last_hidden_state, stack.last_hidden_state)).toBeGreaterThan(1e-3);
    m.dispose();
    m2.dispose();
  });
});
