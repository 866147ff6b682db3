import type { AdapterModel, ForwardOptions } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * transformers' `clip_loss`: the mean of the cross-entropies of `logits_per_text` (rows = texts) and
 * of its transpose (rows = images), with the i-th text matching the i-th image.
 * `logitsPerText` is `[N, N]`.
 */
export function clipContrastiveLoss(logitsPerText: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const n = logitsPerText.shape[0]!;
    if (logitsPerText.rank !== 2 || logitsPerText.shape[1] !== n) throw new Error(`logits must be [N, N], got [${logitsPerText.shape.join(', ')}]`);
    const labels = tf.oneHot(tf.range(0, n, 1, 'int32'), n);
    const ce = (logits: tf.Tensor): tf.Tensor => tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits, -1)), -1)));
    return tf.div(tf.add(ce(logitsPerText), ce(tf.transpose(logitsPerText))), 2) as tf.Scalar;
  });
}

/** One batch of matching image-text pairs (row i of the text inputs describes image i). */
export interface ImageTextBatch {
  readonly input_ids: tf.Tensor;
  readonly attention_mask?: tf.Tensor;
  readonly pixel_values: tf.Tensor;
}

/**
 * The contrastive loss of `model` (a CLIP {@link AdapterModel}) on a batch of image-text pairs, with
 * the active (or `opts.setup`) adapters; pass it to `trainStep` to train adapters on image-text pairs
 * (`forward` runs in training mode unless `opts.training` is false).
 */
export function clipPairLoss(model: AdapterModel, batch: ImageTextBatch, opts: ForwardOptions = {}): tf.Scalar {
  const inputs: Record<string, tf.Tensor> = { input_ids: batch.input_ids, pixel_values: batch.pixel_values };
  if (batch.attention_mask) inputs.attention_mask = batch.attention_mask;
  const out = model.forward(inputs, { training: true, ...opts });
  const logits = out.logits_per_text;
  if (!logits || Array.isArray(logits)) throw new Error('the model did not return logits_per_text (is it a CLIP model?)');
  return clipContrastiveLoss(logits);
}
