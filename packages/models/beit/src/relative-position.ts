import * as tf from '@tensorflow/tfjs-core';

const cache = new Map<string, Int32Array>();

/**
 * transformers' `BeitRelativePositionBias.generate_relative_position_index` for a `wh × ww` patch
 * grid, flattened `[(N+1)²]` (N = wh·ww; index 0 is the CLS token): patch pairs get
 * `(Δrow + wh − 1)·(2·ww − 1) + (Δcol + ww − 1)`, CLS→patch `num − 3`, patch→CLS `num − 2`,
 * CLS→CLS `num − 1`, where `num = (2·wh − 1)(2·ww − 1) + 3`.
 */
export function relativePositionIndex(wh: number, ww: number): Int32Array {
  const key = `${wh}x${ww}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const n = wh * ww;
  const t = n + 1;
  const num = (2 * wh - 1) * (2 * ww - 1) + 3;
  const idx = new Int32Array(t * t);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dr = Math.floor(i / ww) - Math.floor(j / ww) + wh - 1;
      const dc = (i % ww) - (j % ww) + ww - 1;
      idx[(i + 1) * t + (j + 1)] = dr * (2 * ww - 1) + dc;
    }
  }
  for (let j = 0; j < t; j++) idx[j] = num - 3;
  for (let i = 0; i < t; i++) idx[i * t] = num - 2;
  idx[0] = num - 1;
  cache.set(key, idx);
  return idx;
}

/**
 * PyTorch's `interpolate(mode="bilinear", align_corners=False)` along one axis as an `[out, in]`
 * matrix: source `max((o + ½)·in/out − ½, 0)`, taps at `floor` and the next index (clamped).
 */
export function bilinearMatrix(inSize: number, outSize: number): Float32Array {
  const m = new Float32Array(outSize * inSize);
  const scale = Math.fround(inSize / outSize);
  for (let o = 0; o < outSize; o++) {
    const src = Math.max(Math.fround(scale * (o + 0.5) - 0.5), 0);
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
    const l1 = Math.min(Math.max(src - i0, 0), 1);
    m[o * inSize + i0] = m[o * inSize + i0]! + (1 - l1);
    m[o * inSize + i1] = m[o * inSize + i1]! + l1;
  }
  return m;
}

/**
 * The table as transformers' `BeitRelativePositionBias.forward` uses it at the training window:
 * its `(2·Wh − 1)(2·Ww − 1)` pair rows are viewed as a `(2·Ww − 1) × (2·Wh − 1)` grid and bilinearly
 * resized to `(2·Wh − 1) × (2·Ww − 1)`. For square windows that is the identity (skipped); for
 * non-square ones it scrambles the table — a transformers quirk, reproduced so that outputs match.
 */
export function effectiveTable(table: tf.Tensor, wh: number, ww: number): tf.Tensor {
  if (wh === ww) return table;
  const a = 2 * ww - 1;
  const b = 2 * wh - 1;
  const heads = table.shape[1]!;
  const sub = tf.reshape(tf.slice(table, [0, 0], [a * b, heads]), [a, b * heads]);
  // Rows: [a] → [b] (the grid's "height" a = 2Ww−1 resized to 2Wh−1).
  const rows = tf.matMul(tf.tensor2d(bilinearMatrix(a, b), [b, a]), sub); // [b, b·heads]
  // Columns: [b] → [a] on the [b, b, heads] grid.
  const cols = tf.reshape(tf.transpose(tf.reshape(rows, [b, b, heads]), [1, 0, 2]), [b, b * heads]);
  const resized = tf.matMul(tf.tensor2d(bilinearMatrix(b, a), [a, b]), cols); // [a (new col), b (row) · heads]
  const grid = tf.transpose(tf.reshape(resized, [a, b, heads]), [1, 0, 2]); // [b rows, a cols, heads]
  return tf.concat([tf.reshape(grid, [a * b, heads]), tf.slice(table, [a * b, 0], [3, heads])], 0);
}

/**
 * `BeitRelativePositionBias.forward(window_size)` at the configured resolution: the table
 * `[num, heads]` (see {@link effectiveTable}) gathered by {@link relativePositionIndex} →
 * `[1, heads, N+1, N+1]`, added to the attention scores. Other resolutions
 * (`interpolate_pos_encoding`) are not supported.
 */
export function relativePositionBias(table: tf.Tensor, wh: number, ww: number): tf.Tensor {
  const t = wh * ww + 1;
  const heads = table.shape[1]!;
  const g = tf.gather(effectiveTable(table, wh, ww), tf.tensor1d(relativePositionIndex(wh, ww), 'int32'));
  return tf.expandDims(tf.transpose(tf.reshape(g, [t, t, heads]), [2, 0, 1]), 0);
}
