import { type LinearSite, Rng, createConfig } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { LoHaConfig, createLohaModule, loha } from '../src';
import { randomBert } from './helpers';

const site: LinearSite = { kind: 'linear', point: 'attn.q', layer: 0, path: 'l0.q', inFeatures: 5, outFeatures: 3, weightKey: 'l0.q.weight', weightLayout: 'in_out' };
const info = { modelType: 'test', hiddenSize: 5, numLayers: 1, numAttentionHeads: 1, config: {} };

/** Row-major matrix product in float64. */
function matmul(a: Float64Array | Float32Array, b: Float64Array | Float32Array, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += a[i * k + t]! * b[t * m + j]!;
    out[i * m + j] = s;
  }
  return out;
}

describe('LoHa math (closed form, float64 reference)', () => {
  it('forward is x · ((W1a·W1b) ⊙ (W2a·W2b))ᵀ · alpha/r, with 2·r·(in+out) parameters', () => {
    const r = 2;
    const config = createConfig(LoHaConfig, { r, alpha: 3, init_weights: false });
    const m = createLohaModule(site, { adapterName: 'x', config, model: info, rng: new Rng(3), sites: [site], shared: undefined });
    let n = 0;
    for (const v of m.params.values()) n += v.size;
    expect(n).toBe(2 * r * (site.inFeatures + site.outFeatures));
    const get = (k: string): Float32Array => m.params.get(k)!.dataSync() as Float32Array;
    const p1 = matmul(get('hada_w1_a'), get('hada_w1_b'), 3, r, 5);
    const p2 = matmul(get('hada_w2_a'), get('hada_w2_b'), 3, r, 5);
    const delta = p1.map((v, i) => v * p2[i]! * (3 / r)); // [out=3, in=5]
    const xs = Float32Array.from({ length: 10 }, (_, i) => Math.sin(i + 1));
    const expected = new Float64Array(2 * 3);
    for (let b = 0; b < 2; b++) for (let o = 0; o < 3; o++) {
      let s = 0;
      for (let i = 0; i < 5; i++) s += xs[b * 5 + i]! * delta[o * 5 + i]!;
      expected[b * 3 + o] = s;
    }
    const x = tf.tensor(xs, [2, 5]);
    const ctx = { dropout: (t: tf.Tensor) => t } as never;
    const y = m.forward(null, x, ctx, site);
    const want = tf.tensor(Float32Array.from(expected), [2, 3]);
    expect(maxAbsDiff(y, want)).toBeLessThan(1e-6);
    tf.dispose([x, y, want, ...m.params.values()]);
  });

  it('is the identity at init (hada_w2_b = 0) and creates modules on q and v by default', () => {
    const model = randomBert([loha]);
    model.addAdapter('h', 'loha');
    const keys = [...model.adapterParameters('h').keys()];
    expect(keys).toContain('encoder.layer.0.attention.self.query.lohas.h.hada_w1_a');
    expect(keys).toContain('encoder.layer.1.attention.self.value.lohas.h.hada_w2_b');
    expect(keys.some((k) => k.includes('.key.'))).toBe(false);
    // 2 layers × (q, v) × 2·8·(16 + 16)
    expect(keys.map((k) => model.adapterParameters('h').get(k)!.size).reduce((a, b) => a + b, 0)).toBe(2 * 2 * 2 * 8 * 32);
    for (const [k, v] of model.adapterParameters('h')) if (k.endsWith('hada_w2_b')) expect(tf.max(tf.abs(v)).dataSync()[0]).toBe(0);
    model.dispose();
  });

  it('config string and leave_out: "loha[r=4,leave_out=[0]]"', () => {
    const model = randomBert([loha]);
    model.addAdapter('h', 'loha[r=4,leave_out=[0]]');
    const keys = [...model.adapterParameters('h').keys()];
    expect(keys.every((k) => k.startsWith('encoder.layer.1.'))).toBe(true);
    expect(model.adapterParameters('h').get('encoder.layer.1.attention.self.query.lohas.h.hada_w1_a')!.shape).toEqual([16, 4]);
    model.dispose();
  });
});
