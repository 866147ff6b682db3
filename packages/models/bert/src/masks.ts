import { FLOAT32_MIN } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Additive `[B, 1, T, T]` causal self-attention mask of a decoder (transformers'
 * `get_extended_attention_mask` with `is_decoder`): key `k` is visible from query `q` when `k ≤ q`
 * and `mask2d[b, k] = 1`; hidden entries hold the float32 minimum.
 */
export function causalMask(mask2d: tf.Tensor): tf.Tensor {
  const [b, t] = mask2d.shape as [number, number];
  const qPos = tf.reshape(tf.range(0, t, 1, 'int32'), [1, 1, t, 1]);
  const kPos = tf.reshape(tf.range(0, t, 1, 'int32'), [1, 1, 1, t]);
  const visible = tf.logicalAnd(tf.lessEqual(kPos, qPos), tf.reshape(tf.cast(mask2d, 'bool'), [b, 1, 1, t]));
  return tf.mul(tf.sub(1, tf.cast(visible, 'float32')), FLOAT32_MIN);
}
