import * as tf from '@tensorflow/tfjs-core';

/**
 * GPT-J's inverse frequencies `1 / 10000^(2j/dim)`, `j < dim/2`, rounded like transformers'
 * float32 computation (`create_sinusoidal_positions`).
 */
export function rotaryInverseFrequencies(dim: number): Float32Array {
  const out = new Float32Array(dim / 2);
  for (let j = 0; j < dim / 2; j++) out[j] = Math.fround(1 / Math.fround(10000 ** Math.fround((2 * j) / dim)));
  return out;
}

/** `sin`, `cos` of `position · inv_freq`, each `[B, T, dim/2]`, for integer `positions` `[B, T]`. */
export function rotarySinCos(positions: tf.Tensor, dim: number): { sin: tf.Tensor; cos: tf.Tensor } {
  return tf.tidy(() => {
    const inv = tf.tensor1d(rotaryInverseFrequencies(dim));
    const angles = tf.mul(tf.expandDims(tf.cast(positions, 'float32'), -1), inv);
    return { sin: tf.sin(angles), cos: tf.cos(angles) };
  });
}

/** transformers `rotate_every_two`: pairs `(x₂ᵢ, x₂ᵢ₊₁) → (−x₂ᵢ₊₁, x₂ᵢ)` along the last axis. */
export function rotateEveryTwo(x: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const d = shape[shape.length - 1]!;
  const pairs = tf.reshape(x, [...shape.slice(0, -1), d / 2, 2]);
  const [even, odd] = tf.split(pairs, 2, -1) as [tf.Tensor, tf.Tensor];
  return tf.reshape(tf.concat([tf.neg(odd), even], -1), shape);
}

/** `[B, T, d/2]` → `[B, T, 1, d]` with every entry repeated twice (`repeat_interleave(2)`). */
function interleave(t: tf.Tensor): tf.Tensor {
  const [b, n, half] = t.shape as [number, number, number];
  return tf.reshape(tf.tile(tf.expandDims(t, -1), [1, 1, 1, 2]), [b, n, 1, 2 * half]);
}

/**
 * transformers `apply_rotary_pos_emb` on the first `rotaryDim` dimensions of `x` `[B, T, heads, headDim]`
 * (GPT-J's interleaved layout); the remaining dimensions pass through.
 */
export function applyRotary(x: tf.Tensor, sin: tf.Tensor, cos: tf.Tensor, rotaryDim: number): tf.Tensor {
  const [b, t, h, d] = x.shape as [number, number, number, number];
  const rot = rotaryDim === d ? x : tf.slice(x, [0, 0, 0, 0], [b, t, h, rotaryDim]);
  const rotated = tf.add(tf.mul(rot, interleave(cos)), tf.mul(rotateEveryTwo(rot), interleave(sin)));
  if (rotaryDim === d) return rotated;
  return tf.concat([rotated, tf.slice(x, [0, 0, 0, rotaryDim], [b, t, h, d - rotaryDim])], -1);
}
