import type { Storage } from '@adapters/core';
import type { Collate } from './batch';
import type { LogEntry } from './events';
import type { MetricFn } from './metrics/presets';
import type { ScheduleName } from './schedules';
import type { TrainTask } from './task';

/** Options of {@link Trainer} (names follow `transformers`' `TrainingArguments`; defaults in brackets). */
export interface TrainerOptions<E> {
  /** What to train: variables and `(batch) → { loss, logits }` (see `headTask`). */
  task: TrainTask;
  /** Training examples (shuffled each epoch with a seed derived from `seed` and the epoch). */
  trainData: readonly E[];
  /** Examples → tensors (e.g. `textClassificationCollate(tokenizer)`). */
  collate: Collate<E>;
  /** Evaluation examples (in order). */
  evalData?: readonly E[];
  /** Metrics of an evaluation (e.g. `classificationMetrics()`); `eval_loss` is always reported. */
  computeMetrics?: MetricFn;

  /** `'adamw'` [default] (PyTorch `AdamW`) or `'sgd'`. */
  optimizer?: 'adamw' | 'sgd';
  /** Peak learning rate [1e-4]. */
  learningRate?: number;
  /** AdamW decoupled weight decay [0, as `TrainingArguments`]. */
  weightDecay?: number;
  /** AdamW β1 [0.9]. */
  adamBeta1?: number;
  /** AdamW β2 [0.999]. */
  adamBeta2?: number;
  /** AdamW ε [1e-8]. */
  adamEpsilon?: number;
  /** Learning-rate schedule [`'linear'`]. */
  schedule?: ScheduleName;
  /** Warm-up steps [0]. */
  warmupSteps?: number;
  /** Warm-up as a fraction of the total steps, used when `warmupSteps` is 0 [0]. */
  warmupRatio?: number;
  /** Epochs [3]; fractional values stop mid-epoch. */
  epochs?: number;
  /** Total optimizer steps; overrides `epochs` when > 0. */
  maxSteps?: number;
  /** Examples per micro-batch [8]. */
  batchSize?: number;
  /** Examples per evaluation batch [`batchSize`]. */
  evalBatchSize?: number;
  /** Micro-batches per optimizer step [1]; gradients are averaged over them. */
  gradientAccumulationSteps?: number;
  /** Clip gradients to this global L2 norm [1.0]; `null` disables clipping. */
  maxGradNorm?: number | null;
  /** Drop the last incomplete batch of each epoch [false]. */
  dropLast?: boolean;

  /** Evaluate every N optimizer steps [0 = only at the end]. */
  evalEvery?: number;
  /** Evaluate after the last step (when it was not just evaluated) [true]. */
  evalAtEnd?: boolean;
  /** Report a step entry every N steps [1]. */
  logEvery?: number;
  /** Metric deciding the best model, with or without the `eval_` prefix [`'loss'`]. */
  metricForBestModel?: string;
  /** Whether a larger metric is better [false for `loss`, true otherwise]. */
  greaterIsBetter?: boolean;
  /** Stop after this many evaluations without improvement [none]. */
  earlyStoppingPatience?: number;
  /** Minimum improvement that resets the patience counter [0]. */
  earlyStoppingThreshold?: number;
  /** Restore the best evaluated weights at the end [false]. */
  loadBestModelAtEnd?: boolean;

  /** Where checkpoints go (with `outputDir`). */
  storage?: Storage;
  /** Folder of `checkpoint-<step>/`, `best/` and `latest-checkpoint.json`. */
  outputDir?: string;
  /** Write a checkpoint every N optimizer steps [0 = never]. */
  saveEvery?: number;
  /** Writes extra files into a checkpoint / best folder (e.g. `saveTrainedArtifacts` in Python's format). */
  saveArtifacts?: (dir: string) => Promise<void>;
  /** Seed of the data order and the dropout masks [42]. */
  seed?: number;
  /** Receives every log entry (progress bars, metric logs). */
  onLog?: (entry: LogEntry) => void;
}

/** What {@link Trainer.train} returns. */
export interface TrainResult {
  /** Optimizer steps done in total (resumed runs included). */
  step: number;
  /** Fractional epoch reached. */
  epoch: number;
  /** Mean training loss over all steps. */
  trainLoss: number;
  /** Best value of `metricForBestModel` and its step (null without evaluation). */
  bestMetric: number | null;
  bestStep: number | null;
  stoppedEarly: boolean;
  /** Checkpoint folder the run resumed from, if any. */
  resumedFrom: string | null;
  /** Metrics of the last evaluation. */
  evalMetrics: Record<string, number> | null;
  /** Every log entry (resumed runs: including those before the checkpoint). */
  history: LogEntry[];
}
