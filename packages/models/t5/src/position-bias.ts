import * as tf from '@tensorflow/tfjs-core';

const f32 = Math.fround;

/**
 * transformers' `T5Attention._relative_position_bucket` for one relative position
 * (`memory_position − query_position`). Bidirectional (encoder): half of the buckets for positive
 * offsets; unidirectional (decoder): only offsets to the past count. Small offsets get one bucket
 * each, larger ones log-spaced buckets up to `maxDistance`. The log branch is evaluated with float32
 * rounding at every step, as PyTorch does on `float32` tensors, so bucket edges match.
 */
export function relativePositionBucket(relativePosition: number, bidirectional: boolean, numBuckets: number, maxDistance: number): number {
  let bucket = 0;
  let nb = numBuckets;
  let rp = relativePosition;
  if (bidirectional) {
    nb = Math.floor(nb / 2);
    if (rp > 0) bucket += nb;
    rp = Math.abs(rp);
  } else {
    rp = -Math.min(rp, 0);
  }
  const maxExact = Math.floor(nb / 2);
  if (rp < maxExact) return bucket + rp;
  const ratio = f32(f32(Math.log(f32(rp / maxExact))) / f32(Math.log(maxDistance / maxExact)));
  const large = maxExact + Math.trunc(f32(ratio * (nb - maxExact)));
  return bucket + Math.min(large, nb - 1);
}

/**
 * `T5Attention.compute_bias`: `[1, heads, Tq, Tk]` bias for queries at absolute positions
 * `queryStart … queryStart+Tq−1` (transformers' `cache_position`) and keys `0 … Tk−1`, read from the
 * `[numBuckets, heads]` table `relative_attention_bias.weight`.
 */
export function computePositionBias(
  table: tf.Tensor,
  queryStart: number,
  queryLength: number,
  keyLength: number,
  bidirectional: boolean,
  maxDistance: number,
): tf.Tensor {
  const numBuckets = table.shape[0]!;
  const buckets = new Int32Array(queryLength * keyLength);
  for (let i = 0; i < queryLength; i++) {
    for (let j = 0; j < keyLength; j++) {
      buckets[i * keyLength + j] = relativePositionBucket(j - (queryStart + i), bidirectional, numBuckets, maxDistance);
    }
  }
  const values = tf.gather(table, tf.tensor1d(buckets, 'int32')); // [Tq·Tk, heads]
  const heads = table.shape[1]!;
  return tf.expandDims(tf.transpose(tf.reshape(values, [queryLength, keyLength, heads]), [2, 0, 1]), 0);
}
