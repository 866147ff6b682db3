import * as tf from '@tensorflow/tfjs-core';

/**
 * Grouped-query attention: `[B, kvHeads, T, d]` → `[B, kvHeads·groups, T, d]`, each key/value
 * head repeated `groups` times in a row (transformers' `repeat_kv`: query head `h` uses kv head
 * `⌊h / groups⌋`). Written as a gather along the head axis, which has a gradient in tfjs (a
 * rank-5 `tile` has none).
 */
export function repeatKv(x: tf.Tensor, groups: number): tf.Tensor {
  if (groups === 1) return x;
  const kv = x.shape[1]!;
  const index = Int32Array.from({ length: kv * groups }, (_, h) => Math.floor(h / groups));
  return tf.gather(x, tf.tensor1d(index, 'int32'), 1);
}
