/**
 * `@adapters/train`: training for Adapters for TypeScript — a {@link Trainer} over the active
 * adapter setup (AdamW/SGD, `transformers` schedules with warm-up, gradient clipping and
 * accumulation, evaluation with metrics, early stopping, best model, checkpoints that resume
 * exactly), metrics (accuracy, F1, MCC, Pearson/Spearman, SQuAD, seqeval) and datasets (JSONL and
 * CSV, seeded shuffling, dynamic padding, label maps). Node file helpers: `@adapters/train/node`.
 *
 * @packageDocumentation
 */
export { Trainer, type TrainRunOptions } from './trainer';
export type { TrainerOptions, TrainResult } from './options';
export type { LogEntry, StepLog, EvalLog, CheckpointLog, ResumeLog, EarlyStopLog } from './events';
export { headTask, functionTask, type TrainTask, type TaskOutput, type TaskForwardOptions } from './task';
export { type Batch, type Collate, disposeBatch } from './batch';
export { GradientAccumulator } from './update';
export { SCHEDULE_NAMES, lrLambda, warmupStepsFor, type ScheduleName, type ScheduleOptions } from './schedules';
export { SeededRng, mixSeed, shuffle, shuffledIndices } from './rng';
export {
  CHECKPOINT_FILES,
  TRAINER_STATE_FORMAT,
  saveCheckpoint,
  loadCheckpoint,
  findLatestCheckpoint,
  type TrainerState,
  type LoadedCheckpoint,
} from './checkpoint';
export { saveTrainedArtifacts, type SaveTrainedOptions } from './artifacts';
export { formatProgress, formatDuration, formatNumber } from './progress';
export * from './metrics/index';
export { CsvParser, CsvRecords, parseCsv } from './data/csv';
export { parseJsonl, parseJsonlLine, type DataRecord } from './data/jsonl';
export { formatOf, parseDataset, type DatasetFormat } from './data/format';
export { buildLabelMap, labelToId, type LabelMap } from './data/labels';
export {
  textClassificationExamples,
  textClassificationCollate,
  type TextClassificationExample,
  type TextClassificationFields,
  type TextCollateOptions,
} from './data/text-classification';
