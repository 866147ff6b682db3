import { FLOAT32_MIN } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The additive 4-D attention mask `[B, 1, Tq, Tk]` of GPT-J (transformers 4.47
 * `_update_causal_mask`, eager): query `i` sits at absolute position `pastLength + i` and may attend
 * key `j` when `j ≤ pastLength + i` and the key is not padding. Allowed entries are 0, the others
 * `FLOAT32_MIN` (never added twice, so a fully masked row stays finite, as in PyTorch).
 */
export function gptjCausalMask(attentionMask: tf.Tensor, pastLength: number, queryLength: number): tf.Tensor {
  return tf.tidy(() => {
    const [b, tk] = attentionMask.shape as [number, number];
    const qPos = tf.reshape(tf.range(pastLength, pastLength + queryLength, 1, 'int32'), [queryLength, 1]);
    const kPos = tf.reshape(tf.range(0, tk, 1, 'int32'), [1, tk]);
    const causal = tf.reshape(tf.lessEqual(kPos, qPos), [1, 1, queryLength, tk]);
    const notPad = tf.reshape(tf.notEqual(attentionMask, 0), [b, 1, 1, tk]);
    return tf.where(tf.logicalAnd(causal, notPad), tf.zeros([1], 'float32'), tf.fill([1], FLOAT32_MIN, 'float32'));
  });
}
