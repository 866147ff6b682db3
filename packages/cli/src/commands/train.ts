import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { saveAdapterFusion } from '@adapters/bottleneck';
import { type BackendChoice, listConfigPresets, resolveAdapterConfig } from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import { AutoAdapterModel } from '@adapters/heads';
import { Tokenizer } from '@adapters/tokenizers';
import {
  SCHEDULE_NAMES,
  Trainer,
  classificationMetrics,
  findLatestCheckpoint,
  headTask,
  saveTrainedArtifacts,
  textClassificationCollate,
  textClassificationExamples,
} from '@adapters/train';
import { JsonlLogWriter, ProgressReporter } from '@adapters/train/node';
import { CliUsageError, choice, parseCommand, requireString } from '../args';
import { DATASET_OPTIONS, TASKS, fieldOptions, readDatasetOption } from '../dataset-options';
import { type CliIO, processIO } from '../io';
import { intOption, numberOption } from '../numbers';

/** Backends `train` / `eval` accept. */
export const TRAIN_BACKENDS = ['auto', 'cpu', 'wasm', 'webgpu', 'tensorflow'] as const;

/**
 * `adapters train`: trains an adapter (any config string: `lora`, `seq_bn`, `lora[r=8,alpha=16]`, …)
 * with a classification head on a JSONL/CSV dataset; writes the adapter + head (Python format) to
 * `--output/<name>/`, checkpoints to `--output/checkpoint-<step>/`, a JSON Lines metrics log, and
 * prints a JSON summary. Progress goes to stderr: a live bar on a TTY, plain lines otherwise.
 */
export async function trainCommand(argv: string[], io: CliIO): Promise<number> {
  const v = parseCommand('train', argv, {
    model: { type: 'string' },
    method: { type: 'string' },
    name: { type: 'string' },
    output: { type: 'string' },
    'eval-dataset': { type: 'string' },
    ...DATASET_OPTIONS,
    epochs: { type: 'string' },
    'max-steps': { type: 'string' },
    'batch-size': { type: 'string' },
    'eval-batch-size': { type: 'string' },
    lr: { type: 'string' },
    optimizer: { type: 'string' },
    schedule: { type: 'string' },
    'warmup-steps': { type: 'string' },
    'warmup-ratio': { type: 'string' },
    'weight-decay': { type: 'string' },
    'max-grad-norm': { type: 'string' },
    'grad-accum': { type: 'string' },
    'eval-every': { type: 'string' },
    'save-every': { type: 'string' },
    'log-every': { type: 'string' },
    'early-stopping': { type: 'string' },
    metric: { type: 'string' },
    'load-best': { type: 'boolean' },
    seed: { type: 'string' },
    resume: { type: 'boolean' },
    'metrics-log': { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  const C = 'train';
  const modelDir = requireString(C, v, 'model');
  const method = requireString(C, v, 'method');
  const datasetFile = requireString(C, v, 'dataset');
  const outputDir = requireString(C, v, 'output');
  choice(C, 'task', v.task, TASKS, 'classification');
  const optimizer = choice(C, 'optimizer', v.optimizer, ['adamw', 'sgd'] as const, 'adamw');
  const schedule = choice(C, 'schedule', v.schedule, SCHEDULE_NAMES, 'linear');
  const backend = choice(C, 'backend', v.backend, TRAIN_BACKENDS, 'auto');
  const name = typeof v.name === 'string' ? v.name : 'adapter';
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new CliUsageError(`${C}: --name must be letters, digits, _ or - (got "${name}")`);
  try {
    resolveAdapterConfig(method);
  } catch (e) {
    throw new CliUsageError(`${C}: --method "${method}" is not a valid adapter config (${(e as Error).message}). Accepted: a preset name (${listConfigPresets().join(', ')}) or a config string such as "lora[r=8,alpha=16]"`);
  }
  const n = {
    epochs: numberOption(C, 'epochs', v.epochs, { min: 0, exclusiveMin: true }),
    maxSteps: intOption(C, 'max-steps', v['max-steps']),
    batchSize: intOption(C, 'batch-size', v['batch-size']) ?? 16,
    evalBatchSize: intOption(C, 'eval-batch-size', v['eval-batch-size']),
    lr: numberOption(C, 'lr', v.lr, { min: 0 }) ?? 1e-4,
    warmupSteps: intOption(C, 'warmup-steps', v['warmup-steps'], 0),
    warmupRatio: numberOption(C, 'warmup-ratio', v['warmup-ratio'], { min: 0 }),
    weightDecay: numberOption(C, 'weight-decay', v['weight-decay'], { min: 0 }),
    maxGradNorm: numberOption(C, 'max-grad-norm', v['max-grad-norm'], { min: 0 }),
    gradAccum: intOption(C, 'grad-accum', v['grad-accum']),
    evalEvery: intOption(C, 'eval-every', v['eval-every'], 0),
    saveEvery: intOption(C, 'save-every', v['save-every'], 0),
    logEvery: intOption(C, 'log-every', v['log-every']),
    patience: intOption(C, 'early-stopping', v['early-stopping']),
    seed: intOption(C, 'seed', v.seed, 0) ?? 42,
    maxLength: intOption(C, 'max-length', v['max-length']) ?? 128,
    threads: intOption(C, 'threads', v.threads),
  };
  if (n.warmupRatio !== undefined && n.warmupRatio > 1) throw new CliUsageError(`${C}: --warmup-ratio must be between 0 and 1 (got "${String(v['warmup-ratio'])}")`);
  const evalFile = typeof v['eval-dataset'] === 'string' ? v['eval-dataset'] : undefined;
  if ((n.patience !== undefined || v['load-best'] || typeof v.metric === 'string') && !evalFile) {
    throw new CliUsageError(`${C}: --early-stopping, --metric and --load-best need --eval-dataset`);
  }
  if (!existsSync(path.join(modelDir, 'config.json'))) throw new CliUsageError(`${C}: --model: no config.json in "${modelDir}"`);
  const tokenizerPath = typeof v.tokenizer === 'string' ? v.tokenizer : modelDir;

  const records = await readDatasetOption(C, 'dataset', datasetFile);
  const evalRecords = evalFile ? await readDatasetOption(C, 'eval-dataset', evalFile) : undefined;
  const fields = fieldOptions(v);
  const { examples: train, labels } = textClassificationExamples(records, fields, path.basename(datasetFile));
  const evalData = evalRecords ? textClassificationExamples(evalRecords, { ...fields, label2id: labels.label2id }, path.basename(evalFile!)).examples : undefined;

  const info = await setupNodeBackend({ backend: backend as BackendChoice, ...(n.threads ? { threads: n.threads } : {}) });
  const tokenizer = await Tokenizer.fromFile(tokenizerPath);
  const model = await AutoAdapterModel.fromPretrained(nodeStorage, modelDir, { loadHeads: false });
  try {
    model.addAdapter(name, method);
    model.addClassificationHead(name, { numLabels: labels.id2label.length, id2label: Object.fromEntries(labels.id2label.map((l, i) => [i, l])) });
    model.trainAdapter(name);
    const metricsLog = typeof v['metrics-log'] === 'string' ? v['metrics-log'] : path.join(outputDir, 'metrics.jsonl');
    const resumeFrom = v.resume ? await findLatestCheckpoint(nodeStorage, outputDir) : null;
    const resumeStep = resumeFrom ? Number(/checkpoint-(\d+)$/.exec(resumeFrom)?.[1] ?? 0) : undefined;
    const log = new JsonlLogWriter(metricsLog, resumeStep !== undefined ? { resumeStep } : { truncate: true });
    // Live bar only on a real terminal (the process's stderr being a TTY), plain lines otherwise.
    const tty = io === processIO && process.stderr.isTTY === true;
    const reporter = v.quiet ? null : new ProgressReporter({ stream: { write: (t: string) => io.stderr(t), isTTY: tty, columns: process.stderr.columns } });
    const artifacts = (dir: string): Promise<void> => saveTrainedArtifacts(model, nodeStorage, dir, { saveFusion: saveAdapterFusion }).then(() => undefined);
    const trainer = new Trainer({
      task: headTask(model),
      trainData: train,
      collate: textClassificationCollate(tokenizer, { maxLength: n.maxLength }),
      ...(evalData ? { evalData, computeMetrics: classificationMetrics() } : {}),
      optimizer,
      learningRate: n.lr,
      schedule,
      batchSize: n.batchSize,
      seed: n.seed,
      storage: nodeStorage,
      outputDir,
      saveArtifacts: artifacts,
      ...(n.epochs !== undefined ? { epochs: n.epochs } : {}),
      ...(n.maxSteps !== undefined ? { maxSteps: n.maxSteps } : {}),
      ...(n.evalBatchSize !== undefined ? { evalBatchSize: n.evalBatchSize } : {}),
      ...(n.warmupSteps !== undefined ? { warmupSteps: n.warmupSteps } : {}),
      ...(n.warmupRatio !== undefined ? { warmupRatio: n.warmupRatio } : {}),
      ...(n.weightDecay !== undefined ? { weightDecay: n.weightDecay } : {}),
      ...(n.maxGradNorm !== undefined ? { maxGradNorm: n.maxGradNorm === 0 ? null : n.maxGradNorm } : {}),
      ...(n.gradAccum !== undefined ? { gradientAccumulationSteps: n.gradAccum } : {}),
      ...(n.evalEvery !== undefined ? { evalEvery: n.evalEvery } : {}),
      ...(n.saveEvery !== undefined ? { saveEvery: n.saveEvery } : {}),
      ...(n.logEvery !== undefined ? { logEvery: n.logEvery } : {}),
      ...(n.patience !== undefined ? { earlyStoppingPatience: n.patience } : {}),
      ...(typeof v.metric === 'string' ? { metricForBestModel: v.metric } : {}),
      ...(v['load-best'] ? { loadBestModelAtEnd: true } : {}),
      onLog: (e) => {
        log.onLog(e);
        reporter?.onLog(e);
      },
    });
    const r = await trainer.train({ resume: v.resume === true });
    reporter?.newline();
    trainer.dispose();
    const written = await saveTrainedArtifacts(model, nodeStorage, outputDir, { saveFusion: saveAdapterFusion });
    io.stdout(
      `${JSON.stringify({
        output: path.join(outputDir, written[0] ?? name),
        adapter: name,
        method,
        backend: info.name,
        labels: labels.id2label,
        steps: r.step,
        epoch: r.epoch,
        train_loss: r.trainLoss,
        eval: r.evalMetrics,
        best_step: r.bestStep,
        stopped_early: r.stoppedEarly,
        resumed_from: r.resumedFrom,
        metrics_log: metricsLog,
      })}\n`,
    );
    return 0;
  } finally {
    model.dispose();
  }
}
