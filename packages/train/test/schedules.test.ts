import { describe, expect, it } from 'vitest';
import { lrLambda, warmupStepsFor } from '../src';

// Closed forms of transformers' optimization.py (get_*_schedule_with_warmup), written out here.
const warm = (s: number, w: number): number => s / Math.max(1, w);

describe('learning-rate schedules equal the transformers formulas', () => {
  const T = 20;
  for (const w of [0, 1, 5]) {
    it(`linear, warmup ${w}`, () => {
      const f = lrLambda({ name: 'linear', warmupSteps: w, totalSteps: T });
      for (let s = 0; s <= T + 2; s++) {
        const expected = s < w ? warm(s, w) : Math.max(0, (T - s) / Math.max(1, T - w));
        expect(f(s)).toBeCloseTo(expected, 12);
      }
    });
    it(`cosine, warmup ${w}`, () => {
      const f = lrLambda({ name: 'cosine', warmupSteps: w, totalSteps: T });
      for (let s = 0; s <= T; s++) {
        const p = (s - w) / Math.max(1, T - w);
        const expected = s < w ? warm(s, w) : Math.max(0, 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * p)));
        expect(f(s)).toBeCloseTo(expected, 12);
      }
    });
    it(`constant_with_warmup, warmup ${w}`, () => {
      const f = lrLambda({ name: 'constant_with_warmup', warmupSteps: w, totalSteps: T });
      for (let s = 0; s <= T; s++) expect(f(s)).toBe(s < w ? warm(s, w) : 1);
    });
  }

  it('known values', () => {
    const lin = lrLambda({ name: 'linear', warmupSteps: 2, totalSteps: 10 });
    expect([0, 1, 2, 6, 10, 11].map(lin)).toEqual([0, 0.5, 1, 0.5, 0, 0]);
    const cos = lrLambda({ name: 'cosine', warmupSteps: 0, totalSteps: 10 });
    expect(cos(0)).toBe(1);
    expect(cos(5)).toBeCloseTo(0.5, 12);
    expect(cos(10)).toBeCloseTo(0, 12);
    const cos2 = lrLambda({ name: 'cosine', warmupSteps: 0, totalSteps: 10, numCycles: 1 });
    expect(cos2(5)).toBeCloseTo(0, 12);
    expect(lrLambda({ name: 'constant', warmupSteps: 5, totalSteps: 10 })(0)).toBe(1);
  });

  it('warmup ratio as transformers get_warmup_steps', () => {
    expect(warmupStepsFor(100, 0, 0.1)).toBe(10);
    expect(warmupStepsFor(101, 0, 0.1)).toBe(11);
    expect(warmupStepsFor(100, 7, 0.5)).toBe(7);
  });

  it('rejects unknown names and bad warmup', () => {
    expect(() => lrLambda({ name: 'step' as never, totalSteps: 3 })).toThrow(/Accepted: constant, constant_with_warmup, linear, cosine/);
    expect(() => lrLambda({ name: 'linear', totalSteps: 3, warmupSteps: -1 })).toThrow(/warmupSteps/);
  });
});
