import { describe, expect, it } from 'vitest';
import { reftPositions } from '../src';

describe('reftPositions (Python gather/scatter indices)', () => {
  it('right padding: prefix from 0, suffix before the padding', () => {
    // B=2, T=6; row 1 has 4 tokens.
    const mask = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0];
    const p = reftPositions(mask, 2, 6, 2, 2);
    expect([...p.prefixRows]).toEqual([0, 1, 6, 7]);
    expect([...p.suffixRows]).toEqual([4, 5, 8, 9]);
    // adapted rows start at 12 (= B·T); L = 4 rows per sequence: prefix 0,1 then suffix from max(0, 4 − 2) = 2.
    expect([...p.outputRows]).toEqual([12, 13, 2, 3, 14, 15, 16, 17, 18, 19, 10, 11]);
  });

  it('left padding uses argmax offsets; without a mask positions 0.. and ..end', () => {
    const p = reftPositions([0, 0, 1, 1, 1], 1, 5, 1, 1);
    expect([...p.prefixRows]).toEqual([2]);
    expect([...p.suffixRows]).toEqual([4]);
    const q = reftPositions(null, 1, 5, 1, 1);
    expect([...q.prefixRows]).toEqual([0]);
    expect([...q.suffixRows]).toEqual([4]);
  });

  it('Python quirks for short sequences: overlapping prefix/suffix, suffix wins; slice −suffix_positions', () => {
    // T = 2 < prefix = suffix = 3: p' = s' = 2, L = 4; suffix source rows start at max(0, 4 − 3) = 1.
    const p = reftPositions(null, 1, 2, 3, 3);
    expect([...p.prefixRows]).toEqual([0, 1]);
    expect([...p.suffixRows]).toEqual([0, 1]);
    expect([...p.outputRows]).toEqual([2 + 1, 2 + 2]);
  });

  it('a mask longer than the states (cached generation): offsets from the whole mask, as Python', () => {
    const p = reftPositions([1, 1, 1, 1], 1, 1, 3, 0, 4);
    expect([...p.prefixRows]).toEqual([0]);
    expect(() => reftPositions([1, 1, 1, 1], 1, 1, 0, 1, 4)).toThrow(RangeError);
  });

  it('an index outside the sequence throws like torch.gather', () => {
    expect(() => reftPositions([0, 0, 0, 1], 1, 4, 3, 0)).toThrow(RangeError);
  });
});
