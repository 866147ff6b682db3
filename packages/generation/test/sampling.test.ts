import { Rng } from '@adapters/core';
import { describe, expect, it } from 'vitest';
import { argmax, drawCategorical, pickToken, positionIds, softmax, topKFilter, topPFilter } from '../src';

const logp = (ps: number[]): Float64Array => Float64Array.from(ps.map(Math.log));

describe('logits warpers (transformers semantics)', () => {
  it('argmax takes the first maximum', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
  });

  it('top-k keeps the k largest and every tie of the k-th', () => {
    const s = Float64Array.from([1, 5, 3, 3, 0]);
    topKFilter(s, 2);
    expect(Array.from(s)).toEqual([-Infinity, 5, 3, 3, -Infinity]);
  });

  it('top-p removes tokens whose ascending cumulative probability is ≤ 1 − p, keeps the top token', () => {
    const s = logp([0.15, 0.5, 0.05, 0.3]);
    topPFilter(s, 0.75);
    expect(Array.from(s).map((v) => v === -Infinity)).toEqual([true, false, true, false]);
    const t = logp([0.15, 0.5, 0.05, 0.3]);
    topPFilter(t, 1e-9);
    expect(Array.from(t).filter((v) => v !== -Infinity)).toHaveLength(1);
    expect(argmax(t)).toBe(1);
  });

  it('sampling follows the softmax of logits / temperature (seeded, empirical frequencies)', () => {
    const rng = new Rng(9);
    const logits = [Math.log(0.2), Math.log(0.5), Math.log(0.3)];
    const counts = [0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[pickToken(logits, { strategy: 'sample', temperature: 1, topK: 0, topP: 1 }, rng)]!++;
    expect(counts.map((c) => c / 20000)).toEqual([expect.closeTo(0.2, 1), expect.closeTo(0.5, 1), expect.closeTo(0.3, 1)]);
    // temperature → 0 concentrates on the argmax
    const p = softmax(logits.map((l) => l / 0.01));
    expect(p[1]).toBeGreaterThan(0.999);
    expect(drawCategorical(Float64Array.from([0, 0.4, 0.6]), 0.39)).toBe(1);
    expect(drawCategorical(Float64Array.from([0, 0.4, 0.6]), 0.9999999)).toBe(2);
  });

  it('position ids follow generate(): cumsum(mask) − 1, 1 at padding', () => {
    expect(positionIds([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])).toEqual([[1, 1, 0, 1, 2], [0, 1, 2, 3, 4]]);
  });
});
