import { FLOAT32_MIN } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * DeBERTa's pairwise attention mask as an additive `[B, 1, P+T, P+T]` tensor (0 = attend).
 *
 * transformers `get_attention_mask`: `M[i, j] = m_i · m_j` (a padded query attends nothing, so its
 * softmax row is uniform — reproduced: every entry is `FLOAT32_MIN`). When prompt tuning put `P`
 * tokens in front, the adapters' `prefix_attention_mask(dim=3)` and `(dim=2)` prepend ones on
 * both axes: prompt rows and prompt columns are always attended, also for padded tokens.
 * `mask2d` is the original `[B, T]` mask.
 */
export function pairwiseMask(mask2d: tf.Tensor, promptLength: number): tf.Tensor {
  let m = tf.cast(mask2d, 'float32');
  const b = m.shape[0]!;
  if (promptLength > 0) m = tf.concat([tf.ones([b, promptLength]), m], 1);
  const t = m.shape[1]!;
  let pair = tf.mul(tf.reshape(m, [b, 1, t, 1]), tf.reshape(m, [b, 1, 1, t]));
  if (promptLength > 0) {
    const prompt = tf.concat([tf.ones([promptLength]), tf.zeros([t - promptLength])], 0);
    const either = tf.maximum(tf.reshape(prompt, [1, 1, t, 1]), tf.reshape(prompt, [1, 1, 1, t]));
    pair = tf.maximum(pair, either);
  }
  return tf.mul(tf.sub(1, pair), FLOAT32_MIN);
}
