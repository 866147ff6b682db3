/**
 * Relative positions of DeBERTa (transformers `build_relative_position` /
 * `make_log_bucket_position`), computed on the host: they depend only on sequence lengths.
 */

const f32 = Math.fround;

/**
 * transformers `make_log_bucket_position` for one relative position: distances within
 * `bucketSize / 2` are kept, longer ones are mapped logarithmically onto the remaining buckets up
 * to `maxPosition`. The arithmetic is float32 as in PyTorch (`abs_pos / mid` of an int tensor).
 */
export function logBucketPosition(rel: number, bucketSize: number, maxPosition: number): number {
  const mid = Math.floor(bucketSize / 2);
  const abs = rel < mid && rel > -mid ? mid - 1 : Math.abs(rel);
  if (abs <= mid) return rel;
  const ratio = f32(f32(Math.log(f32(abs / mid))) / f32(Math.log(f32((maxPosition - 1) / mid))));
  const logPos = Math.ceil(f32(ratio * (mid - 1))) + mid;
  return logPos * Math.sign(rel);
}

/**
 * `rel[i·k + j] = i − j` for `q` queries and `k` keys, log-bucketed when `bucketSize > 0` and
 * `maxPosition > 0` (DeBERTa-v2 `position_buckets`).
 */
export function relativePositions(q: number, k: number, bucketSize = -1, maxPosition = -1): Int32Array {
  const out = new Int32Array(q * k);
  const bucket = bucketSize > 0 && maxPosition > 0;
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < k; j++) out[i * k + j] = bucket ? logBucketPosition(i - j, bucketSize, maxPosition) : i - j;
  }
  return out;
}

/**
 * Flat gather indices into a `[T, 2·span]` score table for the disentangled terms of a square
 * `T×T` attention (`rel` from {@link relativePositions}):
 * - `c2p[i·T + j] = i·2span + clamp(rel[i, j] + span)` — content of query i → position δ(i, j);
 * - `p2c[i·T + j] = j·2span + clamp(−rel[j, i] + span)` — content of key j → position of query i
 *   (transformers gathers on `key·pos_queryᵀ` and transposes the result).
 */
export function disentangledIndices(rel: Int32Array, t: number, span: number): { c2p: Int32Array; p2c: Int32Array } {
  const w = 2 * span;
  const clamp = (x: number): number => Math.min(Math.max(x, 0), w - 1);
  const c2p = new Int32Array(t * t);
  const p2c = new Int32Array(t * t);
  for (let i = 0; i < t; i++) {
    for (let j = 0; j < t; j++) {
      c2p[i * t + j] = i * w + clamp(rel[i * t + j]! + span);
      p2c[i * t + j] = j * w + clamp(-rel[j * t + i]! + span);
    }
  }
  return { c2p, p2c };
}
