import { FLOAT32_MIN } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * GPT-2's eager attention (transformers 4.47 `GPT2Attention._attn`): `q·kᵀ`, divided by
 * `√head_dim` (and by `layer + 1` when `scale_attn_by_inverse_layer_idx`), causal positions
 * replaced by `FLOAT32_MIN` — the causal band is aligned to the end of the key axis
 * (`bias[kl − ql : kl, :kl]`), so prefix keys and cached keys are visible — then the additive
 * padding mask `[B, 1, 1, Tk]` is added, softmax, dropout, `·v`.
 */
export function gpt2Attention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  mask: tf.Tensor | null,
  opts: { scale: number | null; layerScale: number | null; dropout: (t: tf.Tensor) => tf.Tensor },
): tf.Tensor {
  const tq = q.shape[2]!;
  const tk = k.shape[2]!;
  let w = tf.matMul(q, k, false, true);
  if (opts.scale !== null) w = tf.div(w, opts.scale);
  if (opts.layerScale !== null) w = tf.div(w, opts.layerScale);
  const qPos = tf.reshape(tf.range(tk - tq, tk, 1, 'int32'), [tq, 1]);
  const kPos = tf.reshape(tf.range(0, tk, 1, 'int32'), [1, tk]);
  const causal = tf.reshape(tf.lessEqual(kPos, qPos), [1, 1, tq, tk]);
  w = tf.where(tf.broadcastTo(causal, w.shape), w, tf.fill(w.shape, FLOAT32_MIN));
  if (mask) w = tf.add(w, mask);
  const probs = opts.dropout(tf.softmax(w, -1));
  return tf.matMul(probs, v);
}
