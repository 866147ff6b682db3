import * as path from 'node:path';
import { bert } from '@adapters/bert';
import { bottleneck } from '@adapters/bottleneck';
import { type BackendName, type ModelDefinition } from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import { AutoAdapterModel, type FlexHeadModel } from '@adapters/heads';
import { lora } from '@adapters/lora';
import { Tokenizer } from '@adapters/tokenizers';
import {
  Trainer,
  classificationMetrics,
  headTask,
  saveTrainedArtifacts,
  textClassificationCollate,
  textClassificationExamples,
  type TextClassificationExample,
} from '@adapters/train';
import { ProgressReporter, type TextStream, readDataset } from '@adapters/train/node';
import { DATA_DIR, MODEL_DIR } from './paths';

/** One adapter the demo trains. */
export interface DemoMethod {
  /** Adapter (and head) name. */
  name: string;
  /** Config string (core's config-string syntax). */
  config: string;
  learningRate: number;
}

/** The adapters of the demo: LoRA on the attention query/value projections and a sequential bottleneck. */
export const DEMO_METHODS: readonly DemoMethod[] = [
  { name: 'lora', config: 'lora[r=8,alpha=16]', learningRate: 3e-3 },
  { name: 'bottleneck', config: 'seq_bn[reduction_factor=4]', learningRate: 3e-3 },
];

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Short setting for CI: fewer examples and steps. */
  quick?: boolean;
  /** Default `'wasm'`. */
  backend?: BackendName;
  /** wasm threads (default: cores, at most 4). */
  threads?: number;
  /** Adapters to train (default {@link DEMO_METHODS}). */
  methods?: readonly DemoMethod[];
  /** Training examples used (default: all 4000, also in the quick setting). */
  trainSize?: number;
  /** Dev examples evaluated (default: all 1000; quick: 300). */
  devSize?: number;
  /** Default 6 (quick: 4). */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Where the progress bar goes (default stderr). */
  progress?: TextStream;
  /** Result lines (default stdout). */
  print?: (line: string) => void;
  /** Save the trained adapters + heads here (Python format), one folder per adapter. */
  outputDir?: string;
  /** Seed of data order and dropout. Default 42. */
  seed?: number;
  /** Model folder (default: the shipped `assets/tiny-review-bert`). */
  modelDir?: string;
}

/** Accuracy before and after training one adapter. */
export interface DemoAdapterResult {
  name: string;
  config: string;
  /** Trainable parameters (adapter + head). */
  trainableParameters: number;
  before: { accuracy: number; loss: number };
  after: { accuracy: number; f1: number; loss: number };
  steps: number;
  seconds: number;
}

/** What {@link runDemo} measured. */
export interface DemoResult {
  backend: string;
  trainSize: number;
  devSize: number;
  /** Accuracy of always predicting the most frequent training label. */
  majorityBaseline: number;
  adapters: DemoAdapterResult[];
  seconds: number;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

async function loadModel(dir: string): Promise<FlexHeadModel> {
  return AutoAdapterModel.fromPretrained(nodeStorage, dir, { model: bert as ModelDefinition<unknown>, methods: [lora, bottleneck] });
}

/**
 * The main job on the embedded default: loads the tiny pretrained BERT and the review-sentiment
 * set shipped in this package, then for each adapter (LoRA, bottleneck) adds it with a fresh
 * classification head, evaluates (untrained), trains with a progress bar and evaluates again.
 */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const t0 = performance.now();
  const print = opts.print ?? ((l: string) => void process.stdout.write(`${l}\n`));
  const quick = opts.quick ?? false;
  const info = await setupNodeBackend({ backend: opts.backend ?? 'wasm', ...(opts.threads ? { threads: opts.threads } : {}) });
  const backend = `${info.name}${info.name === 'wasm' ? ` (${info.threads ?? 1} thread${info.threads === 1 ? '' : 's'})` : ''}`;
  const modelDir = opts.modelDir ?? MODEL_DIR;
  const tokenizer = await Tokenizer.fromFile(modelDir);
  const label2id = { negative: 0, positive: 1 };
  const trainRecords = await readDataset(path.join(DATA_DIR, 'train.jsonl'), { limit: opts.trainSize ?? 4000 });
  const devRecords = await readDataset(path.join(DATA_DIR, 'dev.jsonl'), { limit: opts.devSize ?? (quick ? 300 : 1000) });
  const train = textClassificationExamples(trainRecords, { label2id }, 'train.jsonl').examples;
  const dev = textClassificationExamples(devRecords, { label2id }, 'dev.jsonl').examples;
  const counts = [0, 0];
  for (const e of train) counts[e.label]!++;
  const majority = counts[0]! >= counts[1]! ? 0 : 1;
  const majorityBaseline = dev.filter((e) => e.label === majority).length / dev.length;
  print(`Demo: review sentiment (${train.length} train / ${dev.length} dev examples) on tiny-review-bert, backend ${backend}`);
  print(`Majority-class baseline: ${pct(majorityBaseline)}`);
  const collate = textClassificationCollate(tokenizer, { maxLength: 128 });
  const results: DemoAdapterResult[] = [];
  for (const m of opts.methods ?? DEMO_METHODS) {
    const model = await loadModel(modelDir);
    try {
      model.addAdapter(m.name, m.config);
      model.addClassificationHead(m.name, { numLabels: 2, id2label: { 0: 'negative', 1: 'positive' } });
      model.trainAdapter(m.name);
      const params = [...model.trainableVariables().values()].reduce((s, v) => s + v.size, 0);
      const reporter = new ProgressReporter({ label: m.name.padEnd(10), ...(opts.progress ? { stream: opts.progress } : {}) });
      const trainer = new Trainer<TextClassificationExample>({
        task: headTask(model),
        trainData: train,
        evalData: dev,
        collate,
        computeMetrics: classificationMetrics(),
        batchSize: opts.batchSize ?? 32,
        evalBatchSize: 100,
        epochs: opts.epochs ?? (quick ? 4 : 6),
        learningRate: m.learningRate,
        schedule: 'linear',
        warmupRatio: 0.1,
        weightDecay: 0.01,
        seed: opts.seed ?? 42,
        onLog: reporter.onLog,
      });
      const before = await trainer.evaluate();
      print(`${m.name}: ${m.config}, ${params.toLocaleString('en-US')} trainable parameters (adapter + head); dev accuracy before training ${pct(before.eval_accuracy!)}`);
      const ts = performance.now();
      const r = await trainer.train();
      reporter.newline();
      const after = r.evalMetrics ?? (await trainer.evaluate());
      const seconds = (performance.now() - ts) / 1000;
      print(`${m.name}: dev accuracy after ${r.step} steps: ${pct(after.eval_accuracy!)} (F1 ${after.eval_f1!.toFixed(3)}, ${seconds.toFixed(0)} s)`);
      if (opts.outputDir) await saveTrainedArtifacts(model, nodeStorage, opts.outputDir);
      results.push({
        name: m.name,
        config: m.config,
        trainableParameters: params,
        before: { accuracy: before.eval_accuracy!, loss: before.eval_loss! },
        after: { accuracy: after.eval_accuracy!, f1: after.eval_f1!, loss: after.eval_loss! },
        steps: r.step,
        seconds,
      });
      trainer.dispose();
    } finally {
      model.dispose();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  print('');
  print(`${'adapter'.padEnd(12)}${'before'.padStart(9)}${'after'.padStart(9)}${'steps'.padStart(7)}${'time'.padStart(8)}`);
  print(`${'majority'.padEnd(12)}${pct(majorityBaseline).padStart(9)}${pct(majorityBaseline).padStart(9)}`);
  for (const r of results) {
    print(`${r.name.padEnd(12)}${pct(r.before.accuracy).padStart(9)}${pct(r.after.accuracy).padStart(9)}${String(r.steps).padStart(7)}${`${r.seconds.toFixed(0)} s`.padStart(8)}`);
  }
  print(`total ${seconds.toFixed(0)} s`);
  return { backend, trainSize: train.length, devSize: dev.length, majorityBaseline, adapters: results, seconds };
}
