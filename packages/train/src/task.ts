import type { FlexHeadModel } from '@adapters/heads';
import type * as tf from '@tensorflow/tfjs-core';
import { AdaptersError } from '@adapters/core';
import type { Batch } from './batch';

/** Options of one forward pass of a {@link TrainTask}. */
export interface TaskForwardOptions {
  /** Dropout on. */
  training: boolean;
  /** Seed of this pass's dropout masks (the trainer draws it from its saved generator). */
  seed: number;
}

/** The loss (and logits for metrics) of one batch. */
export interface TaskOutput {
  loss: tf.Scalar;
  /** `[B, C]` class logits, `[B, T, C]` token logits, `[B, 1]` regression values, … */
  logits: tf.Tensor;
}

/**
 * What the trainer drives: the variables to optimise and a forward pass `(batch) → { loss, logits }`.
 * `forward` is called inside `tf.tidy` / `tf.variableGrads`: it must be synchronous tfjs code.
 */
export interface TrainTask {
  /** Variables to optimise, by state-dict key. */
  trainableVariables(): Map<string, tf.Variable>;
  forward(batch: Batch, opts: TaskForwardOptions): TaskOutput;
}

/**
 * A task over a {@link FlexHeadModel}: the model's trainable variables (set by `trainAdapter` /
 * `trainAdapterFusion`: the adapters, fusion layers and heads) and its forward pass with `labels`,
 * which gives the head's loss (cross-entropy, MSE, tagging CE, …).
 */
export function headTask(model: FlexHeadModel, opts: { head?: string } = {}): TrainTask {
  return {
    trainableVariables: () => model.trainableVariables(),
    forward(batch, o) {
      const out = model.forward(batch.inputs, {
        training: o.training,
        seed: o.seed,
        ...(batch.labels ? { labels: batch.labels } : {}),
        ...(opts.head ? { head: opts.head } : {}),
      });
      if (!out.loss || !out.logits) {
        throw new AdaptersError('The model returned no loss/logits: add and activate a prediction head (e.g. addClassificationHead) whose name matches the trained adapter, or pass { head }.');
      }
      return { loss: out.loss, logits: out.logits };
    },
  };
}

/** A task from a variables getter and a forward function (custom models or heads). */
export function functionTask(variables: () => Map<string, tf.Variable>, forward: (batch: Batch, opts: TaskForwardOptions) => TaskOutput): TrainTask {
  return { trainableVariables: variables, forward };
}
