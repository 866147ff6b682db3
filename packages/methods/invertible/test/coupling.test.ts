import { Rng, requireSingleConfig, resolveAdapterConfig } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { couplingFromParams, createCouplingParams, invertibleOptions, subnetShapes } from '../src';

const opts = (inv: string, rf = 2, nl = 'relu') =>
  invertibleOptions(requireSingleConfig(resolveAdapterConfig({ mh_adapter: false, output_adapter: true, reduction_factor: 2, non_linearity: nl, inv_adapter: inv, inv_adapter_reduction_factor: rf })));
const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

/** Perturbs every parameter to N(0, std) so the coupling is far from the identity. */
function perturb(params: Map<string, tf.Variable>, std: number): void {
  let s = 3;
  for (const v of params.values()) {
    const t = tf.randomNormal(v.shape, 0, std, 'float32', s++);
    v.assign(t);
    t.dispose();
  }
}

const relu = (v: number) => Math.max(0, v);
/** Plain `Linear → relu → Linear` on one vector. */
function subnetRef(p: Map<string, tf.Variable>, key: string, x: number[]): number[] {
  const w0 = p.get(`${key}.0.weight`)!.arraySync() as number[][];
  const b0 = Array.from(p.get(`${key}.0.bias`)!.dataSync());
  const w2 = p.get(`${key}.2.weight`)!.arraySync() as number[][];
  const b2 = Array.from(p.get(`${key}.2.bias`)!.dataSync());
  const h = w0.map((row, o) => relu(row.reduce((s, w, i) => s + w * x[i]!, b0[o]!)));
  return w2.map((row, o) => row.reduce((s, w, i) => s + w * h[i]!, b2[o]!));
}

describe('coupling blocks', () => {
  it('NICE: parameter keys/shapes in Python order, BERT init (zero bias)', () => {
    const p = createCouplingParams('invertible_adapters.a', 32, opts('nice'), new Rng(1));
    expect([...p].map(([k, v]) => [k, v.shape])).toEqual([
      ['invertible_adapters.a.F.0.weight', [8, 16]], ['invertible_adapters.a.F.0.bias', [8]],
      ['invertible_adapters.a.F.2.weight', [16, 8]], ['invertible_adapters.a.F.2.bias', [16]],
      ['invertible_adapters.a.G.0.weight', [8, 16]], ['invertible_adapters.a.G.0.bias', [8]],
      ['invertible_adapters.a.G.2.weight', [16, 8]], ['invertible_adapters.a.G.2.bias', [16]],
    ]);
    expect(Array.from(p.get('invertible_adapters.a.G.2.bias')!.dataSync()).every((x) => x === 0)).toBe(true);
    const w = Array.from(p.get('invertible_adapters.a.F.0.weight')!.dataSync());
    expect(Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length)).toBeGreaterThan(0.01);
    expect(Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length)).toBeLessThan(0.03);
    tf.dispose([...p.values()]);
  });

  it('subnet sizes: odd widths, float and large reduction factors (Python int(d // rf))', () => {
    expect(subnetShapes('nice', 7, 2)).toEqual([{ name: 'F', dimsIn: 4, hidden: 2, dimsOut: 3 }, { name: 'G', dimsIn: 3, hidden: 1, dimsOut: 4 }]);
    expect(subnetShapes('glow', 7, 1.5)).toEqual([{ name: 's1', dimsIn: 3, hidden: 2, dimsOut: 8 }, { name: 's2', dimsIn: 4, hidden: 2, dimsOut: 6 }]);
  });

  it('NICE forward matches y1 = x1 + F(x2), y2 = x2 + G(y1) on plain arrays', () => {
    const p = createCouplingParams('i', 6, opts('nice'), new Rng(2));
    perturb(p, 0.5);
    const c = couplingFromParams(p, 'i', 'nice', 6, opts('nice').activation);
    const x = tf.randomNormal([2, 3, 6], 0, 1, 'float32', 9);
    const y = c.forward(x).arraySync() as number[][][];
    let worst = 0;
    (x.arraySync() as number[][][]).forEach((B, b) => B.forEach((v, t) => {
      const x1 = v.slice(0, 3);
      const x2 = v.slice(3);
      const y1 = subnetRef(p, 'i.F', x2).map((f, i) => x1[i]! + f);
      const y2 = subnetRef(p, 'i.G', y1).map((g, i) => x2[i]! + g);
      [...y1, ...y2].forEach((r, i) => (worst = Math.max(worst, Math.abs(r - y[b]![t]![i]!))));
    }));
    expect(worst).toBeLessThan(1e-5);
    tf.dispose([x, ...p.values()]);
  });

  for (const [type, size, nl] of [['nice', 32, 'swish'], ['nice', 7, 'gelu'], ['glow', 32, 'relu'], ['glow', 7, 'tanh']] as const) {
    it(`${type} (d=${size}, ${nl}): inverse(forward(x)) = x and forward(inverse(y)) = y (≤ 1e-5)`, () => {
      const o = opts(type, 2, nl);
      const p = createCouplingParams('i', size, o, new Rng(4));
      perturb(p, 0.3);
      const c = couplingFromParams(p, 'i', type, size, o.activation);
      const x = tf.randomNormal([2, 5, size], 0, 1, 'float32', 7);
      const y = c.forward(x);
      expect(y.shape).toEqual([2, 5, size]);
      expect(maxAbs(x, y)).toBeGreaterThan(1e-2);
      const xr = c.inverse(y);
      const yr = c.forward(c.inverse(x));
      const d1 = maxAbs(x, xr);
      const d2 = maxAbs(x, yr);
      console.log(`${type} d=${size}: |inv(fwd(x)) − x| ${d1.toExponential(2)}, |fwd(inv(x)) − x| ${d2.toExponential(2)}`);
      expect(d1).toBeLessThanOrEqual(1e-5);
      expect(d2).toBeLessThanOrEqual(1e-5);
      tf.dispose([x, y, xr, yr, ...p.values()]);
    });
  }

  it('GLOW: s1 / s2 subnets with Python names and sizes', () => {
    const p = createCouplingParams('invertible_adapters.g', 32, opts('glow'), new Rng(1));
    expect([...p].map(([k, v]) => [k, v.shape])).toEqual([
      ['invertible_adapters.g.s1.0.weight', [8, 16]], ['invertible_adapters.g.s1.0.bias', [8]],
      ['invertible_adapters.g.s1.2.weight', [32, 8]], ['invertible_adapters.g.s1.2.bias', [32]],
      ['invertible_adapters.g.s2.0.weight', [8, 16]], ['invertible_adapters.g.s2.0.bias', [8]],
      ['invertible_adapters.g.s2.2.weight', [32, 8]], ['invertible_adapters.g.s2.2.bias', [32]],
    ]);
    tf.dispose([...p.values()]);
  });
});
