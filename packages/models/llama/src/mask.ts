import { FLOAT32_MIN } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The additive causal mask `[B, 1, Tq, Tk]` of a decoder (transformers' eager
 * `_prepare_4d_causal_attention_mask_with_cache_position`): query `i` sits at absolute position
 * `pastLength + i` and may attend key `j` when `j ≤ pastLength + i`, when the key is not padding
 * (`attentionMask[b, j] ≠ 0`) and, with a sliding window `w`, when `j > pastLength + i − w`
 * (Mistral: each query sees itself and the `w − 1` previous positions). Allowed entries are 0,
 * the others `FLOAT32_MIN` (never twice, so a fully masked row stays finite as in PyTorch).
 */
export function causalMask(attentionMask: tf.Tensor, pastLength: number, queryLength: number, slidingWindow: number | null): tf.Tensor {
  return tf.tidy(() => {
    const [b, tk] = attentionMask.shape as [number, number];
    const qPos = tf.reshape(tf.range(pastLength, pastLength + queryLength, 1, 'int32'), [queryLength, 1]);
    const kPos = tf.reshape(tf.range(0, tk, 1, 'int32'), [1, tk]);
    let allowed = tf.lessEqual(kPos, qPos);
    if (slidingWindow !== null) allowed = tf.logicalAnd(allowed, tf.greater(kPos, tf.sub(qPos, slidingWindow)));
    const notPad = tf.reshape(tf.notEqual(attentionMask, 0), [b, 1, 1, tk]);
    const ok = tf.logicalAnd(tf.reshape(allowed, [1, 1, queryLength, tk]), notPad);
    return tf.where(ok, tf.zeros([1], 'float32'), tf.fill([1], FLOAT32_MIN, 'float32'));
  });
}
