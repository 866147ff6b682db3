// Where the time and memory go: one training step (LoRA or full fine-tuning) or one forward pass of a
// BERT-base-sized model (random weights, batch 8 × 128), profiled with `tf.profile`: time per kernel
// (summed over calls, top 15), peak tfjs bytes during the step, and the process's peak RSS. Run each
// mode in its own process (peak RSS is per process). One JSON report on stdout.
//
//   pnpm build && node benchmarks/profile.mjs --mode lora|seq_bn|full|forward [--backend wasm] [--threads N] [--quick] [--layers N]
//
// A backend out-of-memory error (BackendOutOfMemoryError) is reported as `{ error, out_of_memory: true }`.
import { performance } from 'node:perf_hooks';
import { AdamW, createRandomModel, trainStepAsync } from '@adapters/core';
import { setupNodeBackend } from '@adapters/core/node';
import { bert } from '@adapters/bert';
import * as tf from '@tensorflow/tfjs-core';
import { loadMethods } from './lib/plugins.mjs';

const argv = process.argv.slice(2);
const arg = (n, d) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : d);
const quick = argv.includes('--quick');
const mode = arg('mode', 'lora');
const CONFIGS = { lora: 'lora[r=8,alpha=8]', seq_bn: 'seq_bn' };
if (!['forward', 'full', ...Object.keys(CONFIGS)].includes(mode)) throw new Error(`--mode must be forward, full, lora or seq_bn (got ${mode})`);
const info = await setupNodeBackend({ backend: arg('backend', 'wasm'), threads: Number(arg('threads', 1)) });
const config = quick
  ? { model_type: 'bert', hidden_size: 128, num_attention_heads: 4, num_hidden_layers: 2, intermediate_size: 512, vocab_size: 1000, max_position_embeddings: 64 }
  : { model_type: 'bert', hidden_size: 768, num_attention_heads: 12, num_hidden_layers: 12, intermediate_size: 3072, vocab_size: 30522, max_position_embeddings: 512 };
config.hidden_dropout_prob = 0;
config.attention_probs_dropout_prob = 0;
const [B, T] = quick ? [2, 32] : [8, 128];
if (arg('layers')) config.num_hidden_layers = Number(arg('layers'));
// --batch N: rows per step (the methods benchmark's --micro-batch, when the whole batch does not fit).
const rows = Number(arg('batch', B));
const { methods } = await loadMethods();
const model = createRandomModel(bert, config, { methods, seed: 1 });
const inputs = { input_ids: tf.randomUniform([rows, T], 0, config.vocab_size, 'int32', 3), attention_mask: tf.ones([rows, T], 'int32') };
const target = tf.sin(tf.mul(tf.range(0, config.hidden_size, 1, 'float32'), 0.7));
const loss = () => tf.mean(tf.square(tf.sub(model.forward(inputs).last_hidden_state, target)));
if (CONFIGS[mode]) {
  model.addAdapter(mode, CONFIGS[mode]);
  model.trainAdapter(mode);
} else if (mode === 'full') {
  model.freezeModel(false);
}
const opt = new AdamW({ lr: 1e-4, weightDecay: 0 });
const step = async () => {
  if (mode === 'forward') {
    const out = model.forward(inputs);
    await out.last_hidden_state.data();
    tf.dispose(Object.values(out).filter((t) => t && !Array.isArray(t)));
  } else {
    await trainStepAsync(model, loss, opt);
  }
};
try {
  await step(); // warm-up: kernels compiled, optimizer state created
} catch (e) {
  if (e?.name !== 'BackendOutOfMemoryError') throw e;
  console.log(JSON.stringify({ benchmark: 'profile', mode, quick, backend: info.name, threads: info.threads ?? 1, batch: [rows, T], layers: config.num_hidden_layers, out_of_memory: true, error: e.message, peak_rss_mb: process.resourceUsage().maxRSS / 1024 }, null, 2));
  process.exit(0);
}
const bytesBefore = tf.memory().numBytes;
const t0 = performance.now();
const prof = await tf.profile(step);
const wallMs = performance.now() - t0;
const byKernel = new Map();
for (const k of prof.kernels) {
  const e = byKernel.get(k.name) ?? { kernel: k.name, ms: 0, calls: 0 };
  e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  e.calls += 1;
  byKernel.set(k.name, e);
}
const kernels = [...byKernel.values()].sort((a, b) => b.ms - a.ms);
const kernelMs = kernels.reduce((s, k) => s + k.ms, 0);
const report = {
  benchmark: 'profile',
  mode,
  quick,
  backend: info.name,
  threads: info.threads ?? 1,
  batch: [rows, T],
  layers: config.num_hidden_layers,
  // Wall time of the profiled step (profiling syncs after every kernel, so it is slower than an unprofiled step).
  profiled_step_ms: wallMs,
  kernel_ms_total: kernelMs,
  top_kernels: kernels.slice(0, 15).map((k) => ({ ...k, share: k.ms / kernelMs })),
  trainable_params: mode === 'forward' ? 0 : [...model.trainableVariables().values()].reduce((s, v) => s + v.size, 0),
  tfjs_bytes_held: bytesBefore,
  tfjs_peak_bytes_during_step: prof.peakBytes, // tf.profile: max of the engine's byte count after each kernel
  peak_rss_mb: process.resourceUsage().maxRSS / 1024,
};
opt.dispose();
console.log(JSON.stringify(report, null, 2));
process.exit(0);
