import type * as tf from '@tensorflow/tfjs-core';

/** A collated batch: model inputs, label tensor and plain targets for metrics. */
export interface Batch {
  /** Model inputs by name (`input_ids`, `attention_mask`, `token_type_ids`, …). */
  inputs: Record<string, tf.Tensor>;
  /** Targets as the loss expects them (class ids `[B]`, token labels `[B, T]`, …). */
  labels?: tf.Tensor;
  /** The same targets as plain values (one per example), for metrics. */
  targets: readonly (number | readonly number[])[];
  /** Number of examples. */
  size: number;
}

/** Turns examples into a {@link Batch}. */
export type Collate<E> = (examples: readonly E[]) => Batch;

/** Frees the tensors of a batch. */
export function disposeBatch(batch: Batch): void {
  for (const t of Object.values(batch.inputs)) t.dispose();
  batch.labels?.dispose();
}
