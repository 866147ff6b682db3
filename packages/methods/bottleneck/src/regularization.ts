import type { AdapterModel } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { fusionOptions } from './fusion-options';

/** Options of {@link fusionRegularizationLoss}. */
export interface FusionRegularizationOptions {
  /**
   * Only count fusions whose config has `regularization: true`. Default false: Python's
   * `get_fusion_regularization_loss` ignores that flag and counts every trainable value matrix.
   */
  onlyRegularized?: boolean;
}

/**
 * Python `get_fusion_regularization_loss`: `Σ 0.01 · ‖I − V‖²` over the `value` matrices of every
 * fusion layer whose value weight is trainable; `null` when there is none (Python returns None).
 * Call it inside the loss function of a training step so its gradient flows.
 */
export function fusionRegularizationLoss(model: AdapterModel, opts: FusionRegularizationOptions = {}): tf.Scalar | null {
  const terms: tf.Scalar[] = [];
  for (const name of model.fusionNames) {
    if (opts.onlyRegularized && !fusionOptions(model.fusion(name).config).regularization) continue;
    for (const [k, v] of model.fusionParameters(name)) {
      if (!k.endsWith('.value.weight') || !v.trainable) continue;
      terms.push(tf.tidy(() => tf.mul(0.01, tf.sum(tf.square(tf.sub(tf.eye(v.shape[0]!), v)))) as tf.Scalar));
    }
  }
  if (terms.length === 0) return null;
  if (terms.length === 1) return terms[0]!;
  const total = tf.addN(terms) as tf.Scalar;
  tf.dispose(terms);
  return total;
}
