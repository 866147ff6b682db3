import {
  CompositionError,
  ForwardContext,
  type LinearModule,
  type LinearSite,
  type MethodInitContext,
  Rng,
  baseLinear,
  requireSingleConfig,
  resolveAdapterConfig,
} from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMergedLinearModule, lora, mergedLinearTargets } from '../src';

const H = 8;
const BLK = 4;
const site: LinearSite = {
  kind: 'linear',
  point: 'attn.qkv',
  layer: 0,
  path: 'h.0.attn.c_attn',
  inFeatures: H,
  outFeatures: 3 * BLK,
  weightKey: 'h.0.attn.c_attn.weight',
  weightLayout: 'in_out',
  fusedSizes: [BLK, BLK, BLK],
};

function initCtx(config: Record<string, unknown>): MethodInitContext {
  return {
    adapterName: 'a',
    config: requireSingleConfig(resolveAdapterConfig(config as never)),
    model: { modelType: 'gpt2', hiddenSize: H, numLayers: 1, numAttentionHeads: 2, config: {} },
    rng: new Rng(3),
    sites: [site],
    shared: undefined,
  };
}

const single = (): ForwardContext => new ForwardContext({ training: false, setup: { type: 'Stack', children: ['a'] } });

function randomize(m: LinearModule, seed: number, around = 0): void {
  let s = seed;
  for (const v of m.params.values()) tf.tidy(() => v.assign(tf.add(tf.randomNormal(v.shape, 0, 0.5, 'float32', s++), around)));
}

/** Rows `[a, b)` of a matrix. */
const rows = (t: tf.Tensor, a: number, b: number): tf.Tensor => tf.slice(t, [a, 0], [b - a, -1]);

describe('merged (fused q|k|v) LoRA — Python LoRAMergedLinear', () => {
  let x: tf.Tensor;
  let w: tf.Tensor;
  let bias: tf.Tensor;
  let numTensors = 0;
  beforeEach(() => {
    numTensors = tf.memory().numTensors;
    x = tf.randomNormal([2, 3, H], 0, 1, 'float32', 1);
    w = tf.randomNormal([H, 3 * BLK], 0, 0.3, 'float32', 2);
    bias = tf.randomNormal([3 * BLK], 0, 0.3, 'float32', 3);
  });
  afterEach(() => {
    tf.dispose([x, w, bias]);
    expect(tf.memory().numTensors).toBe(numTensors);
  });

  it('shapes: lora_A (r·n, in), lora_B (out/3·n, r), gate (n, in)', () => {
    const m = createMergedLinearModule(site, initCtx({ architecture: 'lora', r: 2, alpha: 4, attn_matrices: ['q', 'v'], use_gating: true }));
    expect(m.params.get('lora_A')!.shape).toEqual([4, H]);
    expect(m.params.get('lora_B')!.shape).toEqual([2 * BLK, 2]);
    expect(m.params.get('gate.weight')!.shape).toEqual([2, H]);
    expect(m.params.get('gate.bias')!.shape).toEqual([2]);
    tf.dispose([...m.params.values()]);
  });

  it('LoRA: the grouped conv equals one LoRA per selected third (zeros in the others), scaled by alpha/r', () => {
    const m = createMergedLinearModule(site, initCtx({ architecture: 'lora', r: 2, alpha: 4, attn_matrices: ['q', 'v'] }));
    randomize(m, 10);
    tf.tidy(() => {
      const a = m.params.get('lora_A')!;
      const b = m.params.get('lora_B')!;
      const h = m.forward(null, x, single(), site);
      const x2 = tf.reshape(x, [6, H]);
      const q = tf.matMul(tf.matMul(x2, rows(a, 0, 2), false, true), rows(b, 0, BLK), false, true);
      const v = tf.matMul(tf.matMul(x2, rows(a, 2, 4), false, true), rows(b, BLK, 2 * BLK), false, true);
      const expected = tf.reshape(tf.mul(tf.concat([q, tf.zeros([6, BLK]), v], 1), 2), [2, 3, 3 * BLK]);
      expect(maxAbsDiff(h, expected)).toBeLessThan(1e-5);
      // combine adds; merging W gives the same output
      const base = baseLinear(x, w, bias);
      const y = m.combine(base, h, site, w);
      const merged = baseLinear(x, m.merge!(w, site), bias);
      expect(maxAbsDiff(y, merged)).toBeLessThan(1e-5);
      expect(maxAbsDiff(m.unmerge!(m.merge!(w, site), site), w)).toBeLessThan(1e-6);
      // [out, in] layout
      const mergedT = m.merge!(tf.transpose(w), { ...site, weightLayout: 'out_in' });
      expect(maxAbsDiff(mergedT, tf.transpose(m.merge!(w, site)))).toBeLessThan(1e-6);
    });
    tf.dispose([...m.params.values()]);
  });

  it('(IA)³: scales the selected thirds by l·alpha — and, as Python, the unselected third by alpha', () => {
    const m = createMergedLinearModule(site, initCtx({ architecture: 'lora', composition_mode: 'scale', r: 1, alpha: 2, attn_matrices: ['k', 'v'], init_weights: 'ia3' }));
    expect(m.params.has('lora_A')).toBe(false);
    expect(m.params.get('lora_B')!.shape).toEqual([2 * BLK, 1]);
    randomize(m, 20, 1);
    tf.tidy(() => {
      const l = tf.reshape(m.params.get('lora_B')!, [2 * BLK]);
      const h = m.forward(null, x, single(), site);
      const vec = tf.concat([tf.fill([BLK], 2), tf.mul(l, 2)], 0);
      const base = baseLinear(x, w, bias);
      expect(maxAbsDiff(m.combine(base, h, site, w), tf.mul(base, vec))).toBeLessThan(1e-5);
      // merge scales the weight columns only (not the bias), as Python
      const merged = m.merge!(w, site);
      expect(maxAbsDiff(merged, tf.mul(w, vec))).toBeLessThan(1e-6);
    });
    tf.dispose([...m.params.values()]);
  });

  it('gating: each selected third is scaled by its own mean-over-sequence sigmoid gate', () => {
    const m = createMergedLinearModule(site, initCtx({ architecture: 'lora', r: 2, alpha: 4, attn_matrices: ['q', 'k'], use_gating: true }));
    randomize(m, 30);
    tf.tidy(() => {
      const ctx = new ForwardContext({ training: false, setup: { type: 'Stack', children: ['a'] }, collectGatingScores: true });
      const h = m.forward(null, x, ctx, site);
      const gw = m.params.get('gate.weight')!;
      const gb = m.params.get('gate.bias')!;
      const g = tf.mean(tf.reshape(tf.sigmoid(tf.add(tf.matMul(tf.reshape(x, [6, H]), gw, false, true), gb)), [2, 3, 2]), 1); // [2, n]
      const a = m.params.get('lora_A')!;
      const b = m.params.get('lora_B')!;
      const x2 = tf.reshape(x, [6, H]);
      const q = tf.reshape(tf.matMul(tf.matMul(x2, rows(a, 0, 2), false, true), rows(b, 0, BLK), false, true), [2, 3, BLK]);
      const k = tf.reshape(tf.matMul(tf.matMul(x2, rows(a, 2, 4), false, true), rows(b, BLK, 2 * BLK), false, true), [2, 3, BLK]);
      const gq = tf.reshape(tf.slice(g, [0, 0], [2, 1]), [2, 1, 1]);
      const gk = tf.reshape(tf.slice(g, [0, 1], [2, 1]), [2, 1, 1]);
      const expected = tf.concat([tf.mul(q, gq), tf.mul(k, gk), tf.zeros([2, 3, BLK])], 2);
      expect(maxAbsDiff(h, expected)).toBeLessThan(1e-5);
      expect(ctx.gatingScores!.get('a')!.get(0)!.get('selfattn_lora')!.shape).toEqual([2, 2]);
      for (const byLayer of ctx.gatingScores!.values()) for (const byLoc of byLayer.values()) tf.dispose([...byLoc.values()]);
      expect(() => m.merge!(w, site)).toThrow(/gating/);
    });
    tf.dispose([...m.params.values()]);
  });

  it('single adapter only: composition blocks and stacking throw CompositionError', () => {
    const m = createMergedLinearModule(site, initCtx({ architecture: 'lora', r: 2, alpha: 4 }));
    tf.tidy(() => {
      const two = new ForwardContext({ training: false, setup: { type: 'Stack', children: ['a', 'b'] } });
      expect(() => m.forward(null, x, two, site)).toThrow(CompositionError);
      const par = new ForwardContext({ training: false, setup: { type: 'Parallel', children: ['a', 'b'] } });
      expect(() => m.forward(null, x, par, site)).toThrow(CompositionError);
      expect(() => m.forward(tf.zerosLike(x), x, single(), site)).toThrow(CompositionError);
    });
    tf.dispose([...m.params.values()]);
  });

  it('placement: selfattn_lora, leave_out, attn_matrices; lora.createModule dispatches fused sites', () => {
    const cfg = (c: Record<string, unknown>) => initCtx({ architecture: 'lora', ...c }).config;
    expect(mergedLinearTargets(site, cfg({}))).toBe(true);
    expect(mergedLinearTargets(site, cfg({ selfattn_lora: false }))).toBe(false);
    expect(mergedLinearTargets(site, cfg({ leave_out: [0] }))).toBe(false);
    expect(mergedLinearTargets(site, cfg({ attn_matrices: [] }))).toBe(false);
    const { fusedSizes: _f, ...plain } = site;
    expect(mergedLinearTargets({ ...plain, point: 'attn.q' }, cfg({}))).toBe(false);
    const m = lora.createModule(site, initCtx({ architecture: 'lora', r: 2, alpha: 4, attn_matrices: ['q', 'k', 'v'] })) as LinearModule;
    expect(m.params.get('lora_A')!.shape).toEqual([6, H]);
    expect(m.params.get('lora_B')!.shape).toEqual([3 * BLK, 2]);
    tf.dispose([...m.params.values()]);
  });
});
