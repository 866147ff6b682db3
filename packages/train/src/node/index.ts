/**
 * `@adapters/train/node`: Node helpers — streaming JSONL/CSV dataset readers, a progress bar for
 * stderr (live on a TTY, plain lines otherwise) and a JSON Lines metrics log.
 */
export { streamDataset, readDataset } from './read-dataset';
export { ProgressReporter, type ProgressReporterOptions, type TextStream } from './progress-reporter';
export { JsonlLogWriter } from './jsonl-log';
