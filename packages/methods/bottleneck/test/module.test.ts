import { ForwardContext, type ResidualModule, layerNorm, pyFloat } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createBottleneckModule } from '../src';
import { SITE, initCtx, vals } from './module-helpers';

const base = { mh_adapter: false, output_adapter: true, reduction_factor: 2, non_linearity: 'relu' };
const evalCtx = () => new ForwardContext({ training: false, setup: null });
const disposeModule = (m: ResidualModule) => new Set(m.params.values()).forEach((v) => v.dispose());
const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
const created: ResidualModule[] = [];
const make = (config: Record<string, unknown>, seed = 1): ResidualModule => {
  const m = createBottleneckModule(SITE, initCtx(config as never, seed));
  created.push(m);
  return m;
};
afterEach(() => created.splice(0).forEach(disposeModule));

/** Sets every parameter whose local name matches `re` to `value`. */
function setParams(m: ResidualModule, re: RegExp, value: number): void {
  for (const [k, v] of m.params) if (re.test(k)) v.assign(tf.fill(v.shape, value));
}

describe('init schemes (Python Adapter.__init__)', () => {
  it('bert: N(0, 0.02) weights, zero biases; LayerNorms 1/0; learned and channel scaling start at 1', () => {
    const m = make({ ...base, reduction_factor: 1, ln_before: true, ln_after: true, scaling: 'learned' });
    const w = [...vals(m.params.get('adapter_down.1.weight')!), ...vals(m.params.get('adapter_up.weight')!)];
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    expect(std).toBeGreaterThan(0.012);
    expect(std).toBeLessThan(0.03);
    expect(vals(m.params.get('adapter_down.1.bias')!).every((x) => x === 0)).toBe(true);
    expect(vals(m.params.get('adapter_up.bias')!).every((x) => x === 0)).toBe(true);
    expect(vals(m.params.get('adapter_norm_before.weight')!).every((x) => x === 1)).toBe(true);
    expect(vals(m.params.get('adapter_norm_after.bias')!).every((x) => x === 0)).toBe(true);
    expect(vals(m.params.get('scaling')!)).toEqual([1]);
    const c = make({ ...base, scaling: 'channel' });
    expect(vals(c.params.get('scaling')!)).toEqual(new Array(8).fill(1));
  });

  it('ln_before: the LayerNorm is adapter_norm_before.* AND adapter_down.0.* (one variable); the Linear moves to adapter_down.1', () => {
    const m = make({ ...base, ln_before: true });
    expect([...m.params.keys()]).toEqual([
      'adapter_norm_before.weight',
      'adapter_norm_before.bias',
      'adapter_down.0.weight',
      'adapter_down.0.bias',
      'adapter_down.1.weight',
      'adapter_down.1.bias',
      'adapter_up.weight',
      'adapter_up.bias',
    ]);
    expect(m.params.get('adapter_down.0.weight')).toBe(m.params.get('adapter_norm_before.weight'));
    expect(m.params.get('adapter_down.1.weight')!.shape).toEqual([4, 8]);
    expect(m.params.get('adapter_up.weight')!.shape).toEqual([8, 4]);
  });

  it('mam_adapter: kaiming-uniform down (|w| ≤ 1/√in), zero up, zero biases; gate gets the bert init', () => {
    const m = make({ ...base, init_weights: 'mam_adapter', use_gating: true });
    const down = vals(m.params.get('adapter_down.0.weight')!);
    expect(Math.max(...down.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(8));
    expect(down.some((x) => x !== 0)).toBe(true);
    expect(vals(m.params.get('adapter_up.weight')!).every((x) => x === 0)).toBe(true);
    expect(vals(m.params.get('adapter_up.bias')!).every((x) => x === 0)).toBe(true);
    expect(m.params.get('gate.weight')!.shape).toEqual([1, 8]);
    expect(vals(m.params.get('gate.bias')!)).toEqual([0]);
  });

  it('houlsby: truncated N(0, 0.01) in [−0.02, 0.02] for both projections, zero biases; gate keeps the nn.Linear default', () => {
    const m = make({ ...base, init_weights: 'houlsby', use_gating: true });
    for (const k of ['adapter_down.0.weight', 'adapter_up.weight']) {
      const w = vals(m.params.get(k)!);
      expect(Math.max(...w.map(Math.abs)), k).toBeLessThanOrEqual(0.02);
      expect(w.some((x) => x !== 0), k).toBe(true);
    }
    expect(vals(m.params.get('adapter_down.0.bias')!).every((x) => x === 0)).toBe(true);
    const gb = vals(m.params.get('gate.bias')!)[0]!;
    expect(Math.abs(gb)).toBeLessThanOrEqual(1 / Math.sqrt(8));
    expect(gb).not.toBe(0); // PyTorch's uniform bias init, not zeroed under houlsby
  });

  it('init_weights_seed fixes the initialisation (same seed → same weights, whatever the adapter rng)', () => {
    const a = make({ ...base, init_weights_seed: 42 }, 1);
    const b = make({ ...base, init_weights_seed: 42 }, 2);
    const c = make({ ...base }, 1);
    const d = make({ ...base }, 2);
    expect(vals(a.params.get('adapter_up.weight')!)).toEqual(vals(b.params.get('adapter_up.weight')!));
    expect(vals(c.params.get('adapter_up.weight')!)).not.toEqual(vals(d.params.get('adapter_up.weight')!));
  });
});

describe('forward semantics (closed form)', () => {
  const h = tf.tensor3d([[[1, 2, 3, 4, 5, 6, 7, 8], [0, -1, 2, -3, 4, -5, 6, -7]]]);
  const input = tf.tensor3d([[[0.5, 0, 1, 0, -1, 0, 2, 1], [1, 1, 1, 1, 1, 1, 1, 1]]]);
  const lnW = tf.linspace(0.5, 1.5, 8);
  const ln = (x: tf.Tensor) => layerNorm(x, lnW, undefined, 1e-12);

  it('pre_forward: residual_before_ln true / false / "post_add" and the fusion query', () => {
    const ctx = evalCtx();
    const t = make({ ...base, original_ln_before: true, residual_before_ln: true });
    const pt = t.preForward(h, input, ln, ctx, { queryBeforeLn: true });
    expect(maxAbs(pt.residual, h)).toBe(0);
    expect(maxAbs(pt.hidden, ln(tf.add(h, input)))).toBe(0);
    expect(maxAbs(pt.query, h)).toBe(0);
    expect(maxAbs(t.preForward(h, input, ln, ctx, { queryBeforeLn: false }).query, pt.hidden)).toBe(0);
    const f = make({ ...base, original_ln_before: true, residual_before_ln: false });
    expect(maxAbs(f.preForward(h, input, ln, ctx).residual, ln(tf.add(h, input)))).toBe(0);
    const p = make({ ...base, original_ln_before: true, residual_before_ln: 'post_add' });
    expect(maxAbs(p.preForward(h, input, ln, ctx).residual, tf.add(h, input))).toBe(0);
    const noLn = make({ ...base, original_ln_before: false, residual_before_ln: false });
    expect(maxAbs(noLn.preForward(h, input, ln, ctx).hidden, h)).toBe(0);
    const bad = make({ ...base, original_ln_before: false, residual_before_ln: 'post_add' });
    expect(() => bad.preForward(h, input, ln, ctx)).toThrow(/post_add/);
  });

  it('forward: up·scaling (+ gate) + residual; adapter_residual_before_ln and ln_after order', () => {
    const ctx = evalCtx();
    const r = tf.onesLike(h);
    // zero weights, up bias 0.3, scaling 2.0 → up = 0.6 everywhere
    const m = make({ ...base, scaling: pyFloat(2) });
    setParams(m, /weight$/, 0);
    setParams(m, /^adapter_up\.bias$/, 0.3);
    const o = m.forward(h, r, ctx);
    expect(maxAbs(o.up, tf.fill(h.shape, 0.6))).toBeLessThan(1e-7);
    expect(maxAbs(o.output, tf.fill(h.shape, 1.6))).toBeLessThan(1e-6);
    // gating with zero gate weights: sigmoid(0) = 0.5 → output = 0.5·up + residual, `up` stays ungated
    const g = make({ ...base, scaling: pyFloat(2), use_gating: true });
    setParams(g, /weight$/, 0);
    setParams(g, /^adapter_up\.bias$/, 0.3);
    const go = g.forward(h, r, ctx);
    expect(maxAbs(go.output, tf.fill(h.shape, 1.3))).toBeLessThan(1e-6);
    expect(maxAbs(go.up, tf.fill(h.shape, 0.6))).toBeLessThan(1e-7);
    // ln_after: LN(up) + residual vs LN(up + residual)
    const a = make({ ...base, ln_after: true });
    setParams(a, /^adapter_(down|up)\.\d*\.?weight$/, 0);
    a.params.get('adapter_up.bias')!.assign(tf.linspace(-1, 1, 8));
    const up = tf.tile(tf.reshape(tf.linspace(-1, 1, 8), [1, 1, 8]), [1, 2, 1]);
    expect(maxAbs(a.forward(h, input, ctx).output, tf.add(layerNorm(up, undefined, undefined, 1e-5), input))).toBeLessThan(1e-5);
    const b = make({ ...base, ln_after: true, adapter_residual_before_ln: true });
    setParams(b, /^adapter_(down|up)\.\d*\.?weight$/, 0);
    b.params.get('adapter_up.bias')!.assign(tf.linspace(-1, 1, 8));
    expect(maxAbs(b.forward(h, input, ctx).output, layerNorm(tf.add(up, input), undefined, undefined, 1e-5))).toBeLessThan(1e-5);
  });

  it('gating scores are stored per adapter/layer/location when collected', () => {
    const ctx = new ForwardContext({ training: false, setup: null, collectGatingScores: true });
    const g = make({ ...base, use_gating: true });
    setParams(g, /^gate\.weight$/, 0);
    g.forward(h, h, ctx);
    const s = ctx.gatingScores!.get('t')!.get(0)!.get('output_adapter')!;
    expect(vals(s)).toEqual([0.5]);
  });

  it('parallel adapter: adapter input is the residual input; post_forward = LN(out + hidden + input)', () => {
    const ctx = evalCtx();
    const m = make({ ...base, is_parallel: true, original_ln_after: true, scaling: pyFloat(4) });
    const pre = m.preForward(h, input, ln, ctx);
    expect(pre.hidden).toBe(input);
    expect(pre.residual).toBe(input);
    setParams(m, /weight$/, 0);
    setParams(m, /^adapter_up\.bias$/, 0.25);
    const o = m.forward(pre.hidden, pre.residual, ctx);
    expect(maxAbs(o.output, tf.fill(h.shape, 1))).toBeLessThan(1e-7); // no residual inside forward
    expect(maxAbs(m.postForward(o.output, h, input, ln, ctx), ln(tf.add(tf.add(o.output, h), input)))).toBeLessThan(1e-6);
  });

  it('stochastic depth (AdapterPlus): identity in eval, row-wise drop in training; not applied by ParallelAdapter', () => {
    const r = tf.zerosLike(h);
    const m = make({ ...base, stochastic_depth: 1.0 });
    setParams(m, /weight$/, 0);
    setParams(m, /^adapter_up\.bias$/, 1);
    expect(maxAbs(m.forward(h, r, evalCtx()).output, tf.onesLike(h))).toBe(0);
    expect(maxAbs(m.forward(h, r, new ForwardContext({ training: true, setup: null })).output, tf.zerosLike(h))).toBe(0);
    const half = make({ ...base, stochastic_depth: 0.5 });
    setParams(half, /weight$/, 0);
    setParams(half, /^adapter_up\.bias$/, 1);
    const x = tf.ones([16, 3, 8]);
    const out = half.forward(x, tf.zerosLike(x), new ForwardContext({ training: true, setup: null, seed: 3 })).output;
    const rows = tf.tidy(() => tf.reshape(out, [16, 24]).arraySync() as number[][]);
    for (const row of rows) expect(new Set(row).size).toBe(1); // a whole row is kept (×2) or dropped
    expect(new Set(rows.map((row) => row[0]))).toEqual(new Set([0, 2]));
    const par = make({ ...base, is_parallel: true, stochastic_depth: 1.0 });
    setParams(par, /weight$/, 0);
    setParams(par, /^adapter_up\.bias$/, 1);
    expect(maxAbs(par.forward(h, r, new ForwardContext({ training: true, setup: null })).output, tf.onesLike(h))).toBe(0);
  });
});
