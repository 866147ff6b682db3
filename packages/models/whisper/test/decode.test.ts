import { createRandomModel } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { whisper, whisperGreedyDecode } from '../src';
import { tinyConfig } from './helpers';

describe('whisperGreedyDecode', () => {
  it('with and without the KV cache gives the same tokens; forced prefix kept', () => {
    const m = createRandomModel(whisper, tinyConfig, { seed: 11, std: 0.5 });
    const feats = tf.randomNormal([2, 8, 12], 0, 1, 'float32', 3);
    const a = whisperGreedyDecode(m, { inputFeatures: feats, forcedTokens: [3, 10, 11], maxNewTokens: 6 });
    const b = whisperGreedyDecode(m, { inputFeatures: feats, forcedTokens: [3, 10, 11], maxNewTokens: 6, useCache: false });
    expect(a.sequences).toEqual(b.sequences);
    for (const s of a.sequences) expect(s.slice(0, 3)).toEqual([3, 10, 11]);
    expect(a.sequences[0]!.length).toBeGreaterThan(3);
    m.dispose();
  });
});
