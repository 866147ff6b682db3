import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { logBucketPosition, relativePositions } from '../src';
import { pairwiseMask } from '../src/mask';

describe('relative positions', () => {
  it('log buckets (bucket 8, max 64): exact within ±4, logarithmic and sign-symmetric beyond', () => {
    // Reference values computed with numpy float32 following transformers' make_log_bucket_position.
    const want = [-6, -6, -5, -5, -5, -5, -5, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 6, 6];
    expect(Array.from({ length: 25 }, (_, i) => logBucketPosition(i - 12, 8, 64))).toEqual(want);
  });

  it('log buckets (deberta-v3 defaults: 256 buckets, 512 positions)', () => {
    const rel = [-511, -300, -200, -129, -128, -127, 0, 127, 128, 129, 200, 300, 511, 600];
    const want = [-255, -207, -169, -129, -128, -127, 0, 127, 128, 129, 169, 207, 255, 270];
    expect(rel.map((r) => logBucketPosition(r, 256, 512))).toEqual(want);
  });

  it('without buckets rel[i, j] = i − j', () => {
    expect(Array.from(relativePositions(2, 3))).toEqual([0, -1, -2, 1, 0, -1]);
  });
});

describe('pairwise mask', () => {
  it('M[i, j] = m_i·m_j; prompt rows and columns are always attended', () => {
    const m = tf.tensor2d([[1, 0]], [1, 2], 'int32');
    const attend = (x: tf.Tensor): number[][] => ((x.arraySync() as number[][][][])[0]![0]!).map((r) => r.map((v) => (v === 0 ? 1 : 0)));
    expect(attend(pairwiseMask(m, 0))).toEqual([
      [1, 0],
      [0, 0],
    ]);
    expect(attend(pairwiseMask(m, 1))).toEqual([
      [1, 1, 1],
      [1, 1, 0],
      [1, 0, 0],
    ]);
  });
});
