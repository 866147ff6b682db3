import * as tf from '@tensorflow/tfjs-core';
import type { RopeScaling } from './rope-config';

const f = Math.fround;

/**
 * Rotary inverse frequencies `1 / theta^(2i/dim)` for `i < dim/2`, adjusted for `rope_scaling`
 * (transformers' `_compute_default/linear/llama3_rope_parameters`). Every step is rounded to
 * float32 as PyTorch computes it.
 */
export function ropeInverseFrequencies(dim: number, theta: number, scaling: RopeScaling = { type: 'default' }): Float32Array {
  const n = dim / 2;
  const inv = new Float32Array(n);
  for (let i = 0; i < n; i++) inv[i] = f(1 / f(Math.pow(theta, f((2 * i) / dim))));
  if (scaling.type === 'linear') {
    for (let i = 0; i < n; i++) inv[i] = f(inv[i]! / scaling.factor);
  } else if (scaling.type === 'llama3') {
    const { factor, lowFreqFactor: lo, highFreqFactor: hi, originalMaxPositionEmbeddings: old } = scaling;
    const lowWavelen = old / lo;
    const highWavelen = old / hi;
    for (let i = 0; i < n; i++) {
      const x = inv[i]!;
      const wavelen = f((2 * Math.PI) / x);
      let y = wavelen > lowWavelen ? f(x / factor) : x;
      const smooth = f(f(f(old / wavelen) - lo) / (hi - lo));
      const smoothed = f(f(f(f(1 - smooth) * y) / factor) + f(smooth * y));
      const medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
      if (medium) y = smoothed;
      inv[i] = y;
    }
  }
  return inv;
}

/**
 * `cos` and `sin` of the rotation angles `position · inv_freq`, duplicated over both halves of
 * the head dimension (`cat(freqs, freqs)`): `[B, 1, T, dim]` for `positions` `[B, T]`.
 */
export function ropeCosSin(positions: tf.Tensor, invFreq: Float32Array): { cos: tf.Tensor; sin: tf.Tensor } {
  return tf.tidy(() => {
    const [b, t] = positions.shape as [number, number];
    const pos = tf.reshape(tf.cast(positions, 'float32'), [b, 1, t, 1]);
    const freqs = tf.mul(pos, tf.tensor1d(invFreq, 'float32'));
    const emb = tf.concat([freqs, freqs], -1);
    return { cos: tf.cos(emb), sin: tf.sin(emb) };
  });
}

/** `cat(−x₂, x₁)` over the last axis (transformers' `rotate_half`). */
export function rotateHalf(x: tf.Tensor): tf.Tensor {
  const [x1, x2] = tf.split(x, 2, -1) as [tf.Tensor, tf.Tensor];
  return tf.concat([tf.neg(x2), x1], -1);
}

/** `x·cos + rotate_half(x)·sin` for `x` `[B, heads, T, dim]` and `cos`/`sin` `[B|1, 1, T, dim]`. */
export function applyRotary(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor {
  return tf.add(tf.mul(x, cos), tf.mul(rotateHalf(x), sin));
}
