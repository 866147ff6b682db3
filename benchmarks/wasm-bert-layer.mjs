// One BERT-base encoder layer (batch 8 × seq 128, hidden 768, 12 heads, FFN 3072), forward +
// backward (gradients of the input and of all four weight matrices) on wasm, with and without the
// @adapters/core kernel patches. JSON on stdout (seconds per step).
//
//   cd packages/core && npx tsup && cd ../.. && node benchmarks/wasm-bert-layer.mjs [--threads N] [--skip-unpatched]
//
// ADAPTERS_DIST=<dir> uses another build output of @adapters/core instead of packages/core/dist.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const i = args.indexOf('--threads');
const threads = i >= 0 ? Number(args[i + 1]) : 1;
const coreDir = new URL('../packages/core/', import.meta.url);
const tf = createRequire(new URL('package.json', coreDir))('@tensorflow/tfjs-core');
const dist = process.env.ADAPTERS_DIST
  ? pathToFileURL(process.env.ADAPTERS_DIST.replace(/\/?$/, '/'))
  : new URL('dist/', coreDir);
const core = await import(new URL('index.js', dist).href);
const node = await import(new URL('node/index.js', dist).href);
const info = await node.setupNodeBackend({ backend: 'wasm', threads });

const [B, T, D, H, F] = [8, 128, 768, 12, 3072];
const dh = D / H;
const r = (s, seed) => tf.randomUniform(s, -0.05, 0.05, 'float32', seed);
const params = [r([B * T, D], 1), r([D, 3 * D], 2), r([D, D], 3), r([D, F], 4), r([F, D], 5)];
const ln = (h) => {
  const { mean, variance } = tf.moments(h, -1, true);
  return tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-12)));
};
const gelu = (h) => tf.mul(tf.mul(h, 0.5), tf.add(tf.erf(tf.div(h, Math.SQRT2)), 1));
const heads = (h) => tf.transpose(tf.reshape(h, [B, T, H, dh]), [0, 2, 1, 3]);
const layer = (x, wqkv, wo, w1, w2) => {
  const [q, k, v] = tf.split(tf.matMul(x, wqkv), 3, -1);
  const p = tf.softmax(tf.div(tf.matMul(heads(q), heads(k), false, true), Math.sqrt(dh)));
  const ctx = tf.reshape(tf.transpose(tf.matMul(p, heads(v)), [0, 2, 1, 3]), [B * T, D]);
  const h1 = ln(tf.add(x, tf.matMul(ctx, wo)));
  const h2 = ln(tf.add(h1, tf.matMul(gelu(tf.matMul(h1, w1)), w2)));
  return tf.mean(tf.square(h2));
};
const step = () => {
  const t0 = performance.now();
  const { value, grads } = tf.valueAndGrads(layer)(params);
  value.dataSync();
  grads.forEach((g) => g.dataSync());
  tf.dispose([value, ...grads]);
  return +((performance.now() - t0) / 1000).toFixed(3);
};

const report = { benchmark: 'wasm-bert-layer', node: process.version, threads: info.threads, simd: info.simd };
core.registerKernelPatches();
step(); // warm-up
report.patchedSeconds = [step(), step()];
if (!args.includes('--skip-unpatched')) {
  core.unregisterKernelPatches();
  report.unpatchedSeconds = [step()];
  core.registerKernelPatches();
}
console.log(JSON.stringify(report, null, 2));
