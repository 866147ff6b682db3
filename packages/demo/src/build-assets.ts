/**
 * Builds the demo assets (run once; outputs are committed):
 *   1. the review-sentiment dataset (assets/reviews/{train,dev}.jsonl),
 *   2. a WordPiece tokenizer from the pretraining corpus (+ dataset texts),
 *   3. a tiny BERT pretrained with masked LM on the generated corpus (assets/tiny-review-bert/).
 *
 * Usage (after `pnpm build`): node packages/demo/dist/build-assets.js [--steps 1500] [--threads 2] [--resume]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { bert } from '@adapters/bert';
import { type ModelDefinition, createRandomModel, readSafetensorsAsTensors } from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import { Tokenizer } from '@adapters/tokenizers';
import { Trainer, argmaxRows, accuracy } from '@adapters/train';
import { ProgressReporter } from '@adapters/train/node';
import * as tf from '@tensorflow/tfjs-core';
import { type Review, generateCorpus, generateReviews } from './corpus/generate';
import { createMlmHead, mlmCollate, mlmHeadVariables, mlmTask } from './mlm';
import { ASSETS_DIR, DATA_DIR, MODEL_DIR } from './paths';
import { baseWeightsSafetensors } from './save-model';
import { buildWordPieceVocab, tokenizerConfigJson, wordPieceTokenizerJson } from './vocab';

const { values: a } = parseArgs({
  options: {
    steps: { type: 'string', default: '1500' },
    corpus: { type: 'string', default: '40000' },
    hidden: { type: 'string', default: '64' },
    layers: { type: 'string', default: '4' },
    heads: { type: 'string', default: '4' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '1e-3' },
    threads: { type: 'string', default: '2' },
    backend: { type: 'string', default: 'wasm' },
    'work-dir': { type: 'string', default: path.join(ASSETS_DIR, '..', '.tmp', 'pretrain') },
    resume: { type: 'boolean', default: false },
    /** Continue from earlier weights: a `trainable.safetensors` (model + MLM head) or a folder holding one. */
    'init-from': { type: 'string' },
    warmup: { type: 'string', default: '0.06' },
  },
});
const num = (k: keyof typeof a): number => Number(a[k]);

const SEEDS = { train: 1, dev: 2, corpus: 3, model: 4, mlmHead: 5, masking: 6, trainer: 7 };
const TRAIN_SIZE = 4000;
const DEV_SIZE = 1000;
const MAX_LENGTH = 128;
const PRETRAIN_LENGTH = 64;

const t0 = performance.now();
const backend = await setupNodeBackend({ backend: a.backend as 'wasm' | 'cpu', threads: num('threads') });
process.stderr.write(`backend ${backend.name} (threads ${backend.threads ?? 1})\n`);

// 1. dataset
const train = generateReviews(TRAIN_SIZE, SEEDS.train);
const dev = generateReviews(DEV_SIZE, SEEDS.dev, new Set(train.map((r) => r.text)));
mkdirSync(DATA_DIR, { recursive: true });
const jsonl = (rows: readonly Review[]): string => rows.map((r) => JSON.stringify({ text: r.text, label: r.label === 1 ? 'positive' : 'negative' })).join('\n') + '\n';
writeFileSync(path.join(DATA_DIR, 'train.jsonl'), jsonl(train));
writeFileSync(path.join(DATA_DIR, 'dev.jsonl'), jsonl(dev));

// 2. tokenizer
const corpus = generateCorpus(num('corpus'), SEEDS.corpus);
const vocab = buildWordPieceVocab([...corpus, ...train.map((r) => r.text), ...dev.map((r) => r.text)]);
mkdirSync(MODEL_DIR, { recursive: true });
const tokJson = wordPieceTokenizerJson(vocab);
writeFileSync(path.join(MODEL_DIR, 'tokenizer.json'), `${JSON.stringify(tokJson, null, 2)}\n`);
writeFileSync(path.join(MODEL_DIR, 'tokenizer_config.json'), `${JSON.stringify(tokenizerConfigJson(MAX_LENGTH), null, 2)}\n`);
writeFileSync(path.join(MODEL_DIR, 'vocab.txt'), `${vocab.join('\n')}\n`);
const tok = Tokenizer.fromJSON(tokJson, { config: tokenizerConfigJson(MAX_LENGTH) });
const encoded = (tok.encodeBatch(corpus, { truncation: true, maxLength: PRETRAIN_LENGTH }) as { input_ids: number[][] }).input_ids;
const heldOut = encoded.slice(0, 1000);
const pretrainData = encoded.slice(1000);

// 3. model + masked-LM pretraining
const hidden = num('hidden');
const configJson = {
  architectures: ['BertModel'],
  attention_probs_dropout_prob: 0.1,
  classifier_dropout: null,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  hidden_size: hidden,
  initializer_range: 0.02,
  intermediate_size: 4 * hidden,
  layer_norm_eps: 1e-12,
  max_position_embeddings: MAX_LENGTH,
  model_type: 'bert',
  num_attention_heads: num('heads'),
  num_hidden_layers: num('layers'),
  pad_token_id: 0,
  position_embedding_type: 'absolute',
  torch_dtype: 'float32',
  type_vocab_size: 2,
  use_cache: true,
  vocab_size: vocab.length,
};
const model = createRandomModel(bert as ModelDefinition<unknown>, configJson, { seed: SEEDS.model, std: 0.02, modelName: 'tiny-review-bert' });
const head = createMlmHead(hidden, vocab.length, SEEDS.mlmHead);
if (a['init-from'] !== undefined) {
  const file = a['init-from'].endsWith('.safetensors') ? a['init-from'] : path.join(a['init-from'], 'trainable.safetensors');
  const init = readSafetensorsAsTensors(await nodeStorage.readFile(file), file);
  const targets = new Map([...model.weights, ...mlmHeadVariables(head)]);
  for (const [key, variable] of targets) {
    const value = init.get(key);
    // The pooler is not trained by masked LM, so checkpoints do not hold it (it keeps its initialisation).
    if (!value && key.startsWith('pooler.')) continue;
    if (!value) throw new Error(`${file}: no tensor ${key}`);
    (variable as tf.Variable).assign(value);
  }
  tf.dispose([...init.values()]);
  process.stderr.write(`initialised ${targets.size} tensors from ${file}\n`);
}
const special = new Set([0, 1, 2, 3, 4]);
const collate = mlmCollate({ maskId: 4, padId: 0, specialIds: special, vocabSize: vocab.length, seed: SEEDS.masking });
const reporter = new ProgressReporter({ label: 'mlm' });
const trainer = new Trainer<readonly number[]>({
  task: mlmTask(model, head),
  trainData: pretrainData,
  evalData: heldOut,
  collate,
  computeMetrics: (p) => ({ accuracy: accuracy(argmaxRows(p.logits as number[][]), p.labels as number[]) }),
  batchSize: num('batch'),
  evalBatchSize: 250,
  maxSteps: num('steps'),
  learningRate: Number(a.lr),
  weightDecay: 0.01,
  schedule: 'linear',
  warmupRatio: Number(a.warmup),
  maxGradNorm: 1,
  evalEvery: Math.max(1, Math.floor(num('steps') / 5)),
  saveEvery: 250,
  storage: nodeStorage,
  outputDir: a['work-dir']!,
  seed: SEEDS.trainer,
  onLog: reporter.onLog,
});
const result = await trainer.train({ resume: a.resume === true });
reporter.newline();

writeFileSync(path.join(MODEL_DIR, 'config.json'), `${JSON.stringify({ ...configJson, _name_or_path: 'tiny-review-bert' }, null, 2)}\n`);
await nodeStorage.writeFile(path.join(MODEL_DIR, 'model.safetensors'), baseWeightsSafetensors(model));
const summary = {
  steps: result.step,
  batch_size: num('batch'),
  learning_rate: Number(a.lr),
  warmup_ratio: Number(a.warmup),
  corpus_lines: corpus.length,
  vocab_size: vocab.length,
  parameters: [...model.weights.values()].reduce((s, v) => s + v.size, 0),
  final_train_loss: result.history.filter((e) => e.kind === 'step').at(-1),
  final_eval: result.evalMetrics,
  backend: `${backend.name} (${backend.threads ?? 1} threads)`,
  minutes: (performance.now() - t0) / 60000,
  resumed_from: result.resumedFrom,
  initialised_from: a['init-from'] ?? null,
};
// A continued run keeps the record of the stage it started from (when that stage wrote the same model folder).
const summaryPath = path.join(MODEL_DIR, 'pretraining.json');
const previous = a['init-from'] !== undefined && existsSync(summaryPath) ? (JSON.parse(readFileSync(summaryPath, 'utf8')) as unknown) : undefined;
writeFileSync(summaryPath, `${JSON.stringify(previous === undefined ? summary : { ...summary, previous_stage: previous }, null, 2)}\n`);
process.stderr.write(`${JSON.stringify(summary)}\n`);
model.dispose();
tf.disposeVariables();
