// Method benchmarks on a BERT-base-sized model (hidden 768, 12 layers, 12 heads, FFN 3072) with
// random weights, batch 8 × 128 tokens, on the wasm backend: forward and train-step time of each
// method relative to the same model without adapters (forward) and to full fine-tuning (train),
// all measured in ONE run. Prints one JSON report on stdout.
//
//   pnpm build && node benchmarks/methods.mjs [--only lora,seq_bn] [--threads N] [--reps N] [--quick] [--backend wasm|cpu|webgpu] [--layers N]
//
// --quick: a 2-layer, hidden-128 model, batch 2 × 32 (for CI smoke runs; numbers not meaningful).
// --layers N: the same model with N layers (BERT-base full fine-tuning does not fit the wasm heap).
// --micro-batch M: gradient accumulation over B/M micro-batches (see below).
// Full fine-tuning runs LAST: if the backend runs out of memory (BackendOutOfMemoryError) the
// report keeps every adapter row and records the error in `base.full_finetune_error`.
import { performance } from 'node:perf_hooks';
import { AdamW, createRandomModel, trainStepAsync } from '@adapters/core';
import { setupNodeBackend } from '@adapters/core/node';
import { bert } from '@adapters/bert';
import * as tf from '@tensorflow/tfjs-core';
import { loadMethods } from './lib/plugins.mjs';

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const quick = argv.includes('--quick');
// --forward-only: inference rows only (no train steps), e.g. with many --reps for the overhead figures.
const forwardOnly = argv.includes('--forward-only');
const reps = Number(arg('reps', quick ? 2 : 3));
const only = arg('only', '')?.split(',').filter(Boolean);
const backendInfo = await setupNodeBackend({ backend: arg('backend', 'wasm'), threads: Number(arg('threads', 1)) });

const config = quick
  ? { model_type: 'bert', hidden_size: 128, num_attention_heads: 4, num_hidden_layers: 2, intermediate_size: 512, vocab_size: 1000, max_position_embeddings: 64 }
  : { model_type: 'bert', hidden_size: 768, num_attention_heads: 12, num_hidden_layers: 12, intermediate_size: 3072, vocab_size: 30522, max_position_embeddings: 512 };
const [B, T] = quick ? [2, 32] : [8, 128];
if (arg('layers')) config.num_hidden_layers = Number(arg('layers'));
config.hidden_dropout_prob = 0;
config.attention_probs_dropout_prob = 0;

const { methods, cases } = await loadMethods();
const selected = cases.filter((c) => !only?.length || only.includes(c.id));
const model = createRandomModel(bert, config, { methods, seed: 1 });
const inputs = {
  input_ids: tf.randomUniform([B, T], 0, config.vocab_size, 'int32', 3),
  attention_mask: tf.ones([B, T], 'int32'),
};
const target = tf.sin(tf.mul(tf.range(0, config.hidden_size, 1, 'float32'), 0.7));
const loss = () => tf.mean(tf.square(tf.sub(model.forward(inputs).last_hidden_state, target)));

/** Median wall time (ms) of `fn` over `reps` runs after one warm-up; `fn` must sync on its result. */
/** CPU time ÷ wall time of the last {@link time} call's timed runs (≈ threads kept busy). */
let lastCpuPerWall = 0;
async function time(fn) {
  await fn();
  const ts = [];
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  lastCpuPerWall = (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}
const forwardMs = () =>
  time(async () => {
    const out = model.forward(inputs);
    await out.last_hidden_state.data();
    tf.dispose(Object.values(out).filter((t) => t && !Array.isArray(t)));
  });
// --micro-batch M: one optimizer step over the same B × T batch as B/M micro-batches of M rows with
// summed gradients (gradient accumulation), for backends whose memory does not hold the whole batch's activations.
const microBatch = Number(arg('micro-batch', B));
if (!(microBatch >= 1 && B % microBatch === 0)) throw new Error(`--micro-batch must divide the batch ${B}`);
const slices = [];
for (let s = 0; s < B; s += microBatch) {
  slices.push({ input_ids: tf.slice(inputs.input_ids, [s, 0], [microBatch, -1]), attention_mask: tf.slice(inputs.attention_mask, [s, 0], [microBatch, -1]) });
}
async function accumulatedStep(opt) {
  const vars = model.trainableVariables();
  const keyOf = new Map([...vars].map(([k, v]) => [v.name, k]));
  const list = [...vars.values()];
  /** Summed gradients by key; variables the loss does not reach (e.g. the pooler) get none, as in trainStep. */
  const sums = new Map();
  for (const inp of slices) {
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(model.forward(inp).last_hidden_state, target))), list);
    value.dispose();
    for (const [name, g] of Object.entries(grads)) {
      if (!g) continue;
      const key = keyOf.get(name);
      const prev = sums.get(key);
      if (prev === undefined) sums.set(key, g);
      else {
        sums.set(key, tf.add(prev, g));
        tf.dispose([prev, g]);
      }
    }
  }
  const mean = new Map([...sums].map(([k, g]) => [k, tf.div(g, slices.length)]));
  tf.dispose([...sums.values()]);
  opt.apply(new Map([...vars].filter(([k]) => mean.has(k))), mean);
  tf.dispose([...mean.values()]);
  await list[0].data(); // wait for the update
}
const trainMs = () => {
  const opt = new AdamW({ lr: 1e-4, weightDecay: 0 });
  const step = slices.length === 1 ? async () => void (await trainStepAsync(model, loss, opt)) : () => accumulatedStep(opt);
  return time(step).finally(() => opt.dispose());
};
/** A train-step measurement, or the backend's out-of-memory message. */
async function tryTrainMs() {
  try {
    return { ms: await trainMs(), cpu_per_wall: lastCpuPerWall };
  } catch (e) {
    if (e?.name !== 'BackendOutOfMemoryError') throw e;
    process.stderr.write(`out of memory: ${e.message}\n`);
    return { error: e.message };
  }
}

const report = { benchmark: 'methods', quick, forward_only: forwardOnly, backend: backendInfo.name, threads: backendInfo.threads ?? 1, batch: [B, T], micro_batch: microBatch, model: config, reps, results: [] };
model.setActiveAdapters(null);
const baseForward = await forwardMs();
report.base = { forward_ms: baseForward, forward_cpu_per_wall: lastCpuPerWall };
for (const c of selected) {
  try {
    model.addAdapter(c.id, c.config);
    model.setActiveAdapters(c.id);
    const fwd = await forwardMs();
    const row = { id: c.id, config: c.config, forward_ms: fwd, forward_vs_base: fwd / baseForward };
    if (c.mergeable) {
      model.mergeAdapter(c.id);
      const merged = await forwardMs();
      row.merged_forward_ms = merged;
      row.merged_forward_vs_base = merged / baseForward;
      model.resetAdapter();
    }
    model.trainAdapter(c.id);
    const t = forwardOnly ? {} : await tryTrainMs();
    if (t.error) row.train_step_error = t.error;
    else {
      row.train_step_ms = t.ms;
      row.train_step_cpu_per_wall = t.cpu_per_wall;
    }
    row.trainable_params = [...model.trainableVariables().values()].reduce((a, v) => a + v.size, 0);
    report.results.push(row);
    model.deleteAdapter(c.id);
    model.eval();
    process.stderr.write(`${c.id}: forward ${fwd.toFixed(0)} ms, train ${row.train_step_ms !== undefined ? `${row.train_step_ms.toFixed(0)} ms` : forwardOnly ? 'not measured' : 'out of memory'}\n`);

  } catch (e) {
    if (e?.name !== 'BackendOutOfMemoryError') throw e;
    report.results.push({ id: c.id, config: c.config, error: e.message });
    process.stderr.write(`${c.id}: out of memory: ${e.message}\n`);
    if (model.adapters?.has?.(c.id) ?? true) try { model.deleteAdapter(c.id); } catch {}
  }
}
model.setActiveAdapters(null);
model.freezeModel(false);
const full = forwardOnly ? { error: 'not measured (--forward-only)' } : await tryTrainMs();
if (full.error) report.base.full_finetune_error = full.error;
else {
  report.base.full_finetune_step_ms = full.ms;
  report.base.full_finetune_cpu_per_wall = full.cpu_per_wall;
  for (const row of report.results) if (row.train_step_ms !== undefined) row.train_step_vs_full_finetune = row.train_step_ms / full.ms;
  process.stderr.write(`full fine-tuning: train ${full.ms.toFixed(0)} ms\n`);
}
model.freezeModel(true);
report.peak_rss_mb = process.memoryUsage().rss / 2 ** 20;
report.tfjs_bytes = tf.memory().numBytes;
console.log(JSON.stringify(report, null, 2));
process.exit(0);
