import * as tf from '@tensorflow/tfjs-core';

/**
 * The first `n` rows of DistilBERT's fixed sinusoidal position table (`transformers`'
 * `create_sinusoidal_embeddings`): `pos / 10000^(2⌊j/2⌋/dim)`, sine on even and cosine on odd
 * columns. Computed in float64 like NumPy, then stored as float32.
 */
export function sinusoidalPositions(n: number, dim: number): tf.Tensor2D {
  const out = new Float32Array(n * dim);
  for (let pos = 0; pos < n; pos++) {
    for (let j = 0; j < dim; j++) {
      const angle = pos / Math.pow(10000, (2 * Math.floor(j / 2)) / dim);
      out[pos * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return tf.tensor2d(out, [n, dim], 'float32');
}
