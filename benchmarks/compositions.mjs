// Composition benchmarks on a BERT-base-sized model (random weights, wasm): Parallel(a,b,c,d) in
// one pass vs four sequential passes, and BatchSplit serving four adapters in one batch vs four
// separate batches. Ratios measured in the same run; one JSON report on stdout.
//
//   pnpm build && node benchmarks/compositions.mjs [--method lora|seq_bn] [--threads N] [--reps N] [--quick]
import { performance } from 'node:perf_hooks';
import { BatchSplit, Parallel, createRandomModel } from '@adapters/core';
import { setupNodeBackend } from '@adapters/core/node';
import { bert } from '@adapters/bert';
import * as tf from '@tensorflow/tfjs-core';
import { loadMethods } from './lib/plugins.mjs';

const argv = process.argv.slice(2);
const arg = (n, d) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : d);
const quick = argv.includes('--quick');
const reps = Number(arg('reps', quick ? 2 : 3));
const configId = arg('method', 'lora');
const info = await setupNodeBackend({ backend: arg('backend', 'wasm'), threads: Number(arg('threads', 1)) });
const config = quick
  ? { model_type: 'bert', hidden_size: 128, num_attention_heads: 4, num_hidden_layers: 2, intermediate_size: 512, vocab_size: 1000, max_position_embeddings: 64 }
  : { model_type: 'bert', hidden_size: 768, num_attention_heads: 12, num_hidden_layers: 12, intermediate_size: 3072, vocab_size: 30522, max_position_embeddings: 512 };
const [B, T] = quick ? [2, 32] : [2, 128];
const { methods } = await loadMethods();
const model = createRandomModel(bert, config, { methods, seed: 1 });
const names = ['a', 'b', 'c', 'd'];
for (const n of names) model.addAdapter(n, configId === 'lora' ? 'lora[init_weights="bert"]' : configId);
const ids = (b) => tf.randomUniform([b, T], 0, config.vocab_size, 'int32', 5);

async function time(fn) {
  await fn();
  const ts = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  return ts.sort((x, y) => x - y)[Math.floor(ts.length / 2)];
}
const run = async (inputs, setup) => {
  const out = model.forward(inputs, { setup });
  await out.last_hidden_state.data();
  tf.dispose(Object.values(out).filter((t) => t && !Array.isArray(t)));
};

const one = { input_ids: ids(B) };
const parallelMs = await time(() => run(one, Parallel(...names)));
const sequentialMs = await time(async () => {
  for (const n of names) await run(one, n);
});
const four = { input_ids: ids(4 * B) };
const batchSplitMs = await time(() => run(four, BatchSplit(...names, { batchSizes: [B, B, B, B] })));
const parts = names.map((_, i) => ({ input_ids: tf.slice(four.input_ids, [i * B, 0], [B, T]) }));
const separateMs = await time(async () => {
  for (let i = 0; i < 4; i++) await run(parts[i], names[i]);
});
console.log(
  JSON.stringify(
    {
      benchmark: 'compositions',
      quick,
      backend: info.name,
      threads: info.threads ?? 1,
      adapter_config: configId,
      batch_per_adapter: [B, T],
      parallel_4_one_pass_ms: parallelMs,
      sequential_4_passes_ms: sequentialMs,
      parallel_speedup: sequentialMs / parallelMs,
      batchsplit_4_one_batch_ms: batchSplitMs,
      four_separate_batches_ms: separateMs,
      batchsplit_speedup: separateMs / batchSplitMs,
    },
    null,
    2,
  ),
);
process.exit(0);
