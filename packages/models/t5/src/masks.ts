import { FLOAT32_MIN } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/** `[B, T]` 1/0 mask → additive `[B, 1, 1, T]` mask (transformers' `invert_attention_mask` / encoder mask). */
export function paddingMask(mask2d: tf.Tensor): tf.Tensor {
  const [b, t] = mask2d.shape as [number, number];
  return tf.mul(tf.sub(1, tf.reshape(tf.cast(mask2d, 'float32'), [b, 1, 1, t])), FLOAT32_MIN);
}

/**
 * Additive `[B, 1, Tq, Tk]` decoder self-attention mask: key `k` is visible from query `q` when
 * `k ≤ T_past + q` (with `T_past = Tk − Tq`) and `mask2d[b, k] = 1`; hidden entries hold the float32
 * minimum (transformers 4.47 `T5Stack._update_causal_mask`, eager attention).
 */
export function causalMask(mask2d: tf.Tensor, tq: number): tf.Tensor {
  const [b, tk] = mask2d.shape as [number, number];
  const qPos = tf.reshape(tf.range(tk - tq, tk, 1, 'int32'), [1, 1, tq, 1]);
  const kPos = tf.reshape(tf.range(0, tk, 1, 'int32'), [1, 1, 1, tk]);
  const visible = tf.logicalAnd(tf.lessEqual(kPos, qPos), tf.reshape(tf.cast(mask2d, 'bool'), [b, 1, 1, tk]));
  return tf.mul(tf.sub(1, tf.cast(visible, 'float32')), FLOAT32_MIN);
}
