import { type AdapterModel, averageAdapter, configValue, siteId } from '@adapters/core';
import { describeMethod, maxAbsDiff, perturbAdapter, readFixtureTensors } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { dora, dvora, lora, vera } from '../src';
import { randomBert, randomBertInputs, tinyBert } from './helpers';

const ALL = [lora, vera, dora, dvora];

describeMethod(vera, { model: () => randomBert(ALL), inputs: randomBertInputs, config: 'vera', identityAtInit: true, mergeable: true });
describeMethod(dora, { model: () => randomBert(ALL), inputs: randomBertInputs, config: 'dora', identityAtInit: true, mergeable: true });
describeMethod(dvora, { model: () => randomBert(ALL), inputs: randomBertInputs, config: 'dvora', identityAtInit: true, mergeable: true });
describeMethod(vera, {
  model: () => randomBert(ALL),
  inputs: randomBertInputs,
  config: { architecture: 'lora', r: 4, alpha: 16, vera_d: 0.5, vera_b: 0.25, init_weights: 'vera', attn_matrices: ['q', 'k', 'v'], use_gating: true },
  identityAtInit: false,
});

const rows = (t: tf.Tensor): number[][] => t.arraySync() as number[][];
const matmul = (a: number[][], b: number[][]): number[][] => a.map((r) => b[0]!.map((_, j) => r.reduce((s, x, k) => s + x * b[k]![j]!, 0)));

/**
 * Closed form, in plain float64 JS: for every adapted projection the adapter is equivalent to replacing the base
 * weight/bias. VeRA: W' = W0 + s·ΔW. DoRA/DvoRA: f = m / ‖W0 + ΔW‖_row (unscaled ΔW), W' = f ⊙ (W0 + s·ΔW),
 * b' = f ⊙ b. ΔW = B·A (DoRA) or vera_B·B·vera_D·A (VeRA, DvoRA). Weights are stored [in, out].
 */
function equivalentBaseWeights(model: AdapterModel, name: string, s: number, withDora: boolean): Map<string, number[][] | number[]> {
  const out = new Map<string, number[][] | number[]>();
  const params = model.adapterParameters(name);
  for (const [id, mod] of model.adapterModules(name)) {
    const site = model.sites.find((x) => siteId(x.point, x.layer) === id)!;
    if (site.kind !== 'linear') continue;
    const p = (k: string): number[][] => rows(mod.params.get(k)!);
    const delta = mod.params.has('vera_D')
      ? matmul(matmul(matmul(p('vera_B'), rows(params.get(`shared_parameters.${name}.lora_B`)!)), p('vera_D')), rows(params.get(`shared_parameters.${name}.lora_A`)!))
      : matmul(p('lora_B'), p('lora_A'));
    const w0 = rows(model.weights.get(site.weightKey)!); // [in, out]
    const biasKey = site.weightKey.replace(/weight$/, 'bias');
    const b0 = model.weights.get(biasKey)!.arraySync() as number[];
    const f = b0.map((_, o) => {
      if (!withDora) return 1;
      const n = Math.sqrt(w0.reduce((acc, row, i) => acc + (row[o]! + delta[o]![i]!) ** 2, 0));
      return (mod.params.get('m.weight')!.arraySync() as number[][])[o]![0]! / n;
    });
    out.set(site.weightKey, w0.map((row, i) => row.map((w, o) => f[o]! * (w + s * delta[o]![i]!))));
    out.set(biasKey, b0.map((b, o) => f[o]! * b));
  }
  return out;
}

describe('VeRA / DoRA / DvoRA closed form on the fixture BERT (nonzero biases, cpu, ≤ 1e-5)', () => {
  const cases: [string, string, number, boolean][] = [
    ['vera', "vera[r=4, alpha=12, vera_b=0.3, attn_matrices=['q','k','v']]", 3, false],
    ['dora', "dora[r=4, alpha=12, attn_matrices=['q','v'], output_lora=True]", 3, true],
    ['dvora', "dvora[r=2, alpha=5, vera_b=0.2]", 2.5, true],
  ];
  for (const [method, config, s, withDora] of cases) {
    it(`${method}: adapter output = base model with the equivalent weights (s = ${s})`, async () => {
      const model = await tinyBert(ALL);
      const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
      model.addAdapter('x', config);
      expect(model.adapterMethods('x').map((m) => m.name)).toEqual([method]);
      perturbAdapter(model, 'x', 3);
      if (withDora) {
        // Keep the magnitudes in a realistic range (perturbAdapter draws them around 0).
        for (const [k, v] of model.adapterParameters('x')) if (k.endsWith('.m.weight')) v.assign(tf.tidy(() => tf.add(tf.abs(v), 1)));
      }
      model.setActiveAdapters('x');
      const y = model.forward(inputs).last_hidden_state;
      const eq = equivalentBaseWeights(model, 'x', s, withDora);
      model.setActiveAdapters(null);
      for (const [k, v] of eq) model.weights.get(k)!.assign(tf.tensor(v as number[]));
      const z = model.forward(inputs).last_hidden_state;
      expect(maxAbsDiff(y, z)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(y, readFixtureTensors('expected', 'bert', 'base.safetensors').get('last_hidden_state')!)).toBeGreaterThan(1e-3);
      model.dispose();
    });
  }
});

describe('VeRA / DoRA details', () => {
  it('VeRA: shared A/B once per adapter (frozen), dense vera_D (r×r) and vera_B (out×out) = diag(vera_d), diag(vera_b)', () => {
    const model = randomBert(ALL);
    model.addAdapter('v', "vera[r=4, vera_d=0.5, vera_b=0.25]");
    const params = model.adapterParameters('v');
    expect(params.get('shared_parameters.v.lora_A')!.shape).toEqual([4, 16]);
    expect(params.get('shared_parameters.v.lora_B')!.shape).toEqual([16, 4]);
    expect([...model.frozenAdapterParameters('v')].sort()).toEqual(['shared_parameters.v.lora_A', 'shared_parameters.v.lora_B']);
    const d = params.get('encoder.layer.0.attention.self.query.loras.v.vera_D')!;
    expect(maxAbsDiff(d, tf.mul(tf.eye(4), 0.5))).toBe(0);
    expect(maxAbsDiff(params.get('encoder.layer.1.attention.self.value.loras.v.vera_B')!, tf.mul(tf.eye(16), 0.25))).toBe(0);
    expect([...params.keys()].filter((k) => k.includes('.loras.v.'))).toHaveLength(2 * 2 * 2);
    model.dispose();
  });

  it('VeRA needs equal shapes across adapted projections (Python fails at forward time)', () => {
    const model = randomBert(ALL);
    expect(() => model.addAdapter('v', 'vera[intermediate_lora=True]')).toThrow(/shares one A\/B/);
    model.dispose();
  });

  it('an int vera_d is not a Python float: plain LoRA (Python isinstance(x, float))', () => {
    const model = randomBert(ALL);
    model.addAdapter('l', { architecture: 'lora', vera_d: 1, vera_b: null });
    expect(model.adapterMethods('l').map((m) => m.name)).toEqual(['lora']);
    model.dispose();
  });

  it('DoRA: m.weight [out, 1] starts at the row norms of W0 (PyTorch [out, in] layout)', () => {
    const model = randomBert(ALL);
    model.addAdapter('d', 'dora');
    const m = model.adapterParameters('d').get('encoder.layer.0.attention.self.query.loras.d.m.weight')!;
    const w0 = rows(model.weights.get('encoder.layer.0.attention.self.query.weight')!); // [in, out]
    const norms = w0[0]!.map((_, o) => [Math.sqrt(w0.reduce((a, r) => a + r[o]! ** 2, 0))]);
    expect(m.shape).toEqual([16, 1]);
    expect(maxAbsDiff(m, tf.tensor2d(norms))).toBeLessThanOrEqual(1e-6);
    model.dispose();
  });

  it('DoRA merge uses the unscaled ΔW (Python dora_merge): merged ≠ unmerged when alpha ≠ r', () => {
    const model = randomBert(ALL);
    const inputs = randomBertInputs();
    model.addAdapter('d', 'dora[r=4, alpha=16]');
    perturbAdapter(model, 'd');
    model.setActiveAdapters('d');
    const y = model.forward(inputs).last_hidden_state;
    model.mergeAdapter('d');
    expect(maxAbsDiff(y, model.forward(inputs).last_hidden_state)).toBeGreaterThan(1e-4);
    model.dispose();
  });

  it('VeRA / DoRA average linearly only (also the shared A/B); other strategies throw', () => {
    const model = randomBert(ALL);
    model.addAdapter('a', 'vera[vera_b=0.1]');
    model.addAdapter('b', 'vera[vera_b=0.1]');
    perturbAdapter(model, 'a', 1);
    perturbAdapter(model, 'b', 2);
    averageAdapter(model, 'avg', ['a', 'b'], { weights: [0.25, 0.75] });
    for (const [k, v] of model.adapterParameters('avg')) {
      const ka = k.replace('.avg.', '.a.');
      const kb = k.replace('.avg.', '.b.');
      const want = tf.add(tf.mul(model.adapterParameters('a').get(ka)!, 0.25), tf.mul(model.adapterParameters('b').get(kb)!, 0.75));
      expect(maxAbsDiff(v, want), k).toBeLessThanOrEqual(1e-6);
    }
    expect(() => averageAdapter(model, 'n', ['a', 'b'], { combineStrategy: 'lora_linear_only_negate_b' })).toThrow(/not supported/);
    model.addAdapter('c', 'dora');
    model.addAdapter('d', 'dora');
    expect(() => averageAdapter(model, 'n2', ['c', 'd'], { combineStrategy: 'lora_delta_w_svd', svdRank: 2 })).toThrow(/not supported/);
    expect(configValue(model.adapterConfig('avg'), 'vera_b')).toBe(0.1);
    model.dispose();
  });
});
