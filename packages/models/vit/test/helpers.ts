import * as tf from '@tensorflow/tfjs-core';

/** A tiny ViT config (8×8 images, 4×4 patches → 4 patches + CLS). */
export const tinyVitConfig = {
  model_type: 'vit',
  hidden_size: 16,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 24,
  image_size: 8,
  patch_size: 4,
  num_channels: 3,
};

/** `pixel_values` [2, 3, 8, 8] ~ N(0, 1). */
export const tinyPixels = (seed = 1): Record<string, tf.Tensor> => ({ pixel_values: tf.randomNormal([2, 3, 8, 8], 0, 1, 'float32', seed) });

/**
 * A tiny two-class image task: class 0 = bright top half, class 1 = bright bottom half (plus
 * noise). Returns `pixel_values` [n, 3, 8, 8] and one-hot labels [n, 2].
 */
export function tinyImageTask(n = 8): { pixels: tf.Tensor4D; labels: tf.Tensor2D } {
  return tf.tidy(() => {
    const rows = tf.reshape(tf.range(0, 8), [1, 1, 8, 1]);
    const top = tf.cast(tf.less(rows, 4), 'float32');
    const imgs: tf.Tensor[] = [];
    const labels: number[][] = [];
    for (let i = 0; i < n; i++) {
      const cls = i % 2;
      const base = cls === 0 ? top : tf.sub(1, top);
      imgs.push(tf.add(tf.broadcastTo(base, [1, 3, 8, 8]), tf.randomNormal([1, 3, 8, 8], 0, 0.1, 'float32', 100 + i)));
      labels.push(cls === 0 ? [1, 0] : [0, 1]);
    }
    return { pixels: tf.concat(imgs, 0) as tf.Tensor4D, labels: tf.tensor2d(labels) };
  });
}

/** Cross-entropy of a fixed linear probe on `pooled` (the head is not trained: only the adapter learns). */
export function probeLoss(pooled: tf.Tensor, probe: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(labels, tf.matMul(pooled, probe)) as tf.Scalar;
}
