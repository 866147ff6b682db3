import type { AdapterModel, ForwardOptions } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/** Result of {@link zeroShotClassify} (plain arrays, nothing to dispose). */
export interface ZeroShotResult {
  /** `[images][labels]` softmax of `logits_per_image` over the candidate labels. */
  readonly probs: number[][];
  /** Per image, the index of the most probable label. */
  readonly best: number[];
}

/**
 * Zero-shot image classification (transformers' `ZeroShotImageClassificationPipeline` math): encodes
 * `pixel_values` `[B, C, H, W]` and one tokenised prompt per label (`input_ids` / `attention_mask`
 * `[L, T]`), takes `softmax(logits_per_image)` over the labels. Tokenisation (e.g. "a photo of a {label}")
 * is the caller's.
 */
export function zeroShotClassify(
  model: AdapterModel,
  pixelValues: tf.Tensor,
  labels: { readonly input_ids: tf.Tensor; readonly attention_mask?: tf.Tensor },
  opts: Omit<ForwardOptions, 'training'> = {},
): ZeroShotResult {
  const probs = tf.tidy(() => {
    const inputs: Record<string, tf.Tensor> = { pixel_values: pixelValues, input_ids: labels.input_ids };
    if (labels.attention_mask) inputs.attention_mask = labels.attention_mask;
    const out = model.forward(inputs, { ...opts, training: false });
    const logits = out.logits_per_image;
    if (!logits || Array.isArray(logits)) throw new Error('the model did not return logits_per_image (is it a CLIP model?)');
    return tf.softmax(logits, -1);
  });
  const rows = probs.arraySync() as number[][];
  probs.dispose();
  return { probs: rows, best: rows.map((r) => r.indexOf(Math.max(...r))) };
}
