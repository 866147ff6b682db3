import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { computePositionBias, relativePositionBucket } from '../src';

/**
 * Where the bucket changes, scanning relative positions −300 … 300 (value from that position on),
 * computed by a numpy float32 port of transformers' `T5Attention._relative_position_bucket`.
 */
const CHANGES: Record<string, [number, number][]> = {
  '32,128,true': [[-90, 14], [-63, 13], [-45, 12], [-31, 11], [-22, 10], [-15, 9], [-11, 8], [-7, 7], [-6, 6], [-5, 5], [-4, 4], [-3, 3], [-2, 2], [-1, 1], [0, 0], [1, 17], [2, 18], [3, 19], [4, 20], [5, 21], [6, 22], [7, 23], [8, 24], [12, 25], [16, 26], [23, 27], [32, 28], [46, 29], [64, 30], [91, 31]],
  '32,128,false': [[-112, 30], [-98, 29], [-86, 28], [-76, 27], [-66, 26], [-58, 25], [-51, 24], [-45, 23], [-39, 22], [-34, 21], [-30, 20], [-26, 19], [-23, 18], [-20, 17], [-18, 16], [-15, 15], [-14, 14], [-13, 13], [-12, 12], [-11, 11], [-10, 10], [-9, 9], [-8, 8], [-7, 7], [-6, 6], [-5, 5], [-4, 4], [-3, 3], [-2, 2], [-1, 1], [0, 0]],
  '16,20,true': [[-13, 6], [-8, 5], [-5, 4], [-3, 3], [-2, 2], [-1, 1], [0, 0], [1, 9], [2, 10], [3, 11], [4, 12], [6, 13], [9, 14], [14, 15]],
  '16,20,false': [[-17, 14], [-15, 13], [-14, 12], [-12, 11], [-11, 10], [-10, 9], [-8, 8], [-7, 7], [-6, 6], [-5, 5], [-4, 4], [-3, 3], [-2, 2], [-1, 1], [0, 0]],
  '32,64,true': [[-49, 14], [-38, 13], [-29, 12], [-22, 11], [-17, 10], [-13, 9], [-10, 8], [-7, 7], [-6, 6], [-5, 5], [-4, 4], [-3, 3], [-2, 2], [-1, 1], [0, 0], [1, 17], [2, 18], [3, 19], [4, 20], [5, 21], [6, 22], [7, 23], [8, 24], [11, 25], [14, 26], [18, 27], [23, 28], [30, 29], [39, 30], [50, 31]],
  '32,64,false': [[-58, 30], [-53, 29], [-49, 28], [-45, 27], [-41, 26], [-38, 25], [-34, 24], [-31, 23], [-29, 22], [-26, 21], [-24, 20], [-22, 19], [-20, 18], [-19, 17], [-17, 16], [-15, 15], [-14, 14], [-13, 13], [-12, 12], [-11, 11], [-10, 10], [-9, 9], [-8, 8], [-7, 7], [-6, 6], [-5, 5], [-4, 4], [-3, 3], [-2, 2], [-1, 1], [0, 0]],
};

describe('T5 relative position buckets', () => {
  for (const [key, changes] of Object.entries(CHANGES)) {
    it(`equal transformers' buckets for (num_buckets, max_distance, bidirectional) = (${key}), positions −300 … 300`, () => {
      const [nb, md, bi] = key.split(',');
      const bidirectional = bi === 'true';
      const first = bidirectional ? Number(nb) / 2 - 1 : Number(nb) - 1;
      let expected = first;
      let c = 0;
      for (let rp = -300; rp <= 300; rp++) {
        if (c < changes.length && changes[c]![0] === rp) expected = changes[c++]![1];
        expect(relativePositionBucket(rp, bidirectional, Number(nb), Number(md)), `rp ${rp}`).toBe(expected);
      }
    });
  }

  it('computePositionBias reads the table per bucket, heads first, queries from queryStart', () => {
    const table = tf.tensor2d(Array.from({ length: 8 * 2 }, (_, i) => i), [8, 2]);
    const bias = computePositionBias(table, 2, 2, 4, false, 12); // queries at 2, 3; keys 0..3
    expect(bias.shape).toEqual([1, 2, 2, 4]);
    const buckets = [
      [2, 1, 0, 0],
      [3, 2, 1, 0],
    ];
    const data = bias.arraySync() as number[][][][];
    for (let h = 0; h < 2; h++) for (let q = 0; q < 2; q++) for (let k = 0; k < 4; k++) expect(data[0]![h]![q]![k]).toBe(buckets[q]![k]! * 2 + h);
  });
});
