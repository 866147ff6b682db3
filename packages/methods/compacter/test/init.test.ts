import { Rng, requireSingleConfig, resolveAdapterConfig } from '@adapters/core';
import { describe, expect, it } from 'vitest';
import { initRule, initW, phmOptions } from '../src';

const opts = (cfg: Record<string, unknown>) => phmOptions(requireSingleConfig(resolveAdapterConfig({ phm_layer: true, mh_adapter: true, output_adapter: true, reduction_factor: 4, non_linearity: 'relu', ...cfg })));
const std = (a: Float32Array) => Math.sqrt(a.reduce((s, x) => s + x * x, 0) / a.length);
const maxAbs = (a: Float32Array) => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

describe('Compacter initialisation', () => {
  it('W is Xavier-normal whatever hypercomplex_nonlinearity says (Python init_W quirk)', () => {
    const ref = initW(new Rng(5), opts({ hypercomplex_nonlinearity: 'glorot-normal' }), 40, 60);
    for (const h of ['glorot-uniform', 'normal', 'phm']) {
      expect(initW(new Rng(5), opts({ hypercomplex_nonlinearity: h }), 40, 60), h).toEqual(ref);
    }
    expect(ref.length).toBe(4 * 40 * 60);
    expect(std(ref)).toBeCloseTo(Math.sqrt(2 / 100), 2);
    expect(maxAbs(ref)).toBeGreaterThan(Math.sqrt(6 / 100)); // outside the Xavier-uniform bound
  });

  it('opt-in fix hypercomplexInit: glorot-uniform within ±√(6/(r+c)), normal ~ N(0, phm_init_range)', () => {
    const u = initW(new Rng(5), opts({ hypercomplex_nonlinearity: 'glorot-uniform' }), 40, 60, { hypercomplexInit: true });
    expect(maxAbs(u)).toBeLessThanOrEqual(Math.sqrt(6 / 100));
    expect(std(u)).toBeCloseTo(Math.sqrt(2 / 100), 2);
    const n = initW(new Rng(5), opts({ hypercomplex_nonlinearity: 'normal', phm_init_range: 0.3 }), 40, 60, { hypercomplexInit: true });
    expect(std(n)).toBeCloseTo(0.3, 1);
  });

  it('rule: shared N(0, phm_init_range) / U(−1, 1); per layer N(0, 0.01) / U(−0.01, 0.01)', () => {
    const o = opts({ phm_init_range: 0.05 });
    expect(std(initRule(new Rng(1), o, 20000, true))).toBeCloseTo(0.05, 2);
    expect(std(initRule(new Rng(1), o, 20000, false))).toBeCloseTo(0.01, 3);
    const ou = opts({ phm_c_init: 'uniform' });
    const su = initRule(new Rng(1), ou, 20000, true);
    expect(maxAbs(su)).toBeLessThanOrEqual(1);
    expect(maxAbs(su)).toBeGreaterThan(0.9);
    const lu = initRule(new Rng(1), ou, 20000, false);
    expect(maxAbs(lu)).toBeLessThanOrEqual(0.01);
    expect(maxAbs(lu)).toBeGreaterThan(0.009);
  });

  it('phm_* defaults are Python BnConfig defaults', () => {
    expect(opts({})).toEqual({
      phmDim: 4, phmRank: 1, factorizedW: true, sharedW: false, sharedRule: true, factorizedRule: false,
      cInit: 'normal', initRange: 0.0001, learnPhm: true, wInit: 'glorot-uniform', bias: true,
    });
  });
});
