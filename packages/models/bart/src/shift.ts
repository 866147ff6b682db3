import * as tf from '@tensorflow/tfjs-core';
import type { BartConfig } from './config';

/**
 * transformers' `shift_tokens_right`, used by `BartModel.forward` when no `decoder_input_ids` are
 * given. BART: `[decoder_start_token_id, ids[:-1]]`. mBART / PLBart: the last non-pad token of each
 * row (its `</s>` / language id) moves to the front. `-100` labels become `pad_token_id`.
 */
export function shiftTokensRight(c: BartConfig, inputIds: tf.Tensor): tf.Tensor {
  const [b, t] = inputIds.shape as [number, number];
  const ids = Array.from(inputIds.dataSync(), (v) => (v === -100 ? c.padTokenId : v));
  const out = new Int32Array(b * t);
  for (let r = 0; r < b; r++) {
    const row = ids.slice(r * t, (r + 1) * t);
    let first: number;
    if (c.modelType === 'bart') {
      if (c.decoderStartTokenId === null) throw new Error('config.decoder_start_token_id has to be defined');
      first = c.decoderStartTokenId;
    } else {
      const nonPad = row.filter((v) => v !== c.padTokenId).length;
      // Python gathers at index (count − 1), which is −1 (the last column) for an all-pad row.
      first = row[(nonPad - 1 + t) % t]!;
    }
    out[r * t] = first;
    for (let i = 1; i < t; i++) out[r * t + i] = row[i - 1]!;
  }
  return tf.tensor2d(out, [b, t], 'int32');
}
