import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type CompacterFixes, phmOptions, phmProjection, phmWeight } from '../src';
import { arr3, bmmRef, kronSumRef, perturb, phmCtx, phmSpec } from './phm-helpers';

const base = { phm_layer: true, mh_adapter: false, output_adapter: true, reduction_factor: 2, non_linearity: 'relu', phm_dim: 2 };

describe('PHM weight (Python kronecker_product(rule, W).sum(0))', () => {
  it('H = Σ_i rule_i ⊗ W_i matches a plain-array Kronecker sum', () => {
    const rule = tf.randomNormal([3, 3, 3], 0, 1, 'float32', 1);
    const W = tf.randomNormal([3, 2, 4], 0, 1, 'float32', 2);
    const H = phmWeight(rule, W);
    expect(H.shape).toEqual([6, 12]);
    const ref = kronSumRef(arr3(rule), arr3(W));
    const got = H.arraySync();
    let worst = 0;
    ref.forEach((row, i) => row.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - got[i]![j]!)))));
    expect(worst).toBeLessThan(1e-5);
    tf.dispose([rule, W, H]);
  });
});

type Case = { name: string; cfg: Record<string, unknown>; fixes?: CompacterFixes; local: string[]; shared: string[] };
const cases: Case[] = [
  { name: 'default (shared rule, factorised W, bias)', cfg: {}, local: ['W_left', 'W_right', 'b'], shared: ['phm_rule'] },
  { name: 'per-layer rule', cfg: { shared_phm_rule: false }, local: ['phm_rule', 'W_left', 'W_right', 'b'], shared: [] },
  { name: 'per-layer factorised rule, full W, no bias', cfg: { shared_phm_rule: false, factorized_phm_rule: true, factorized_phm_W: false, phm_bias: false }, local: ['phm_rule_left', 'phm_rule_right', 'W'], shared: [] },
  { name: 'shared factorised rule, rank 3', cfg: { factorized_phm_rule: true, phm_rank: 3 }, local: ['W_left', 'W_right', 'b'], shared: ['phm_rule_left', 'phm_rule_right'] },
  { name: 'shared factorised W', cfg: { shared_W_phm: true }, local: ['b'], shared: ['W_down_left', 'W_down_right', 'W_up_left', 'W_up_right', 'phm_rule'] },
  { name: 'shared full W (opt-in fix)', cfg: { shared_W_phm: true, factorized_phm_W: false, shared_phm_rule: false }, fixes: { sharedUnfactorizedW: true }, local: ['phm_rule', 'b'], shared: ['W_down', 'W_up'] },
];

describe('PHM layer (Python PHMLayer) for every phm_* layout', () => {
  for (const c of cases) {
    it(`${c.name}: parameter names/shapes and y = x·H + b`, () => {
      const ctx = phmCtx({ ...base, ...c.cfg }, c.fixes);
      const o = phmOptions(ctx.config);
      expect([...(ctx.shared?.params.keys() ?? [])]).toEqual(c.shared.map((k) => `shared_parameters.t.${k}`));
      for (const role of ['down', 'up'] as const) {
        const spec = phmSpec(ctx, role);
        const p = phmProjection(c.fixes)(spec);
        expect([...p.params.keys()]).toEqual(c.local);
        const n = o.phmDim;
        const a = spec.inFeatures / n;
        const b = spec.outFeatures / n;
        const get = (k: string) => p.params.get(k) ?? ctx.shared!.params.get(`shared_parameters.t.${k}`)!;
        perturb([...p.params.values(), ...(ctx.shared?.params.values() ?? [])], role === 'down' ? 11 : 31);
        let rule: number[][][];
        if (p.params.has('phm_rule') || c.shared.includes('phm_rule')) rule = arr3(get('phm_rule'));
        else rule = bmmRef(arr3(get('phm_rule_left')), arr3(get('phm_rule_right')));
        expect([rule.length, rule[0]!.length, rule[0]![0]!.length]).toEqual([n, n, n]);
        const wName = o.sharedW ? `W_${role}` : 'W';
        const W = o.factorizedW ? bmmRef(arr3(get(`${wName}_left`)), arr3(get(`${wName}_right`))) : arr3(get(wName));
        expect([W.length, W[0]!.length, W[0]![0]!.length]).toEqual([n, a, b]);
        if (o.factorizedW && !o.sharedW) {
          expect(p.params.get('W_left')!.shape).toEqual([n, a, o.phmRank]);
          expect(p.params.get('W_right')!.shape).toEqual([n, o.phmRank, b]);
        }
        const H = kronSumRef(rule, W);
        const bias = p.params.has('b') ? Array.from(p.params.get('b')!.dataSync()) : new Array<number>(spec.outFeatures).fill(0);
        const x = tf.randomNormal([2, 3, spec.inFeatures], 0, 1, 'float32', 5);
        const y = p.apply(x).arraySync() as number[][][];
        const xa = x.arraySync() as number[][][];
        let worst = 0;
        xa.forEach((B, bi) => B.forEach((row, t) => {
          for (let j = 0; j < spec.outFeatures; j++) {
            const ref = row.reduce((s, v, i) => s + v * H[i]![j]!, bias[j]!);
            worst = Math.max(worst, Math.abs(ref - y[bi]![t]![j]!));
          }
        }));
        expect(worst, role).toBeLessThan(1e-5);
        x.dispose();
        for (const v of p.params.values()) v.dispose();
      }
      for (const v of ctx.shared?.params.values() ?? []) v.dispose();
    });
  }
});
