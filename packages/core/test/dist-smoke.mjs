// Plain-Node smoke test of the built package (no bundler, no vitest): gradients registered by
// dist/index.js (tfjs-core's ESM gradient files are bundled in), Node backend setup from
// dist/node/index.js, variableGrads of a gather + matMul model on cpu and on 2-thread wasm.
// The process must exit by itself (wasm pool workers are unref'ed).
//
//   cd packages/core && npx tsup && node test/dist-smoke.mjs
//
// ADAPTERS_DIST=<dir> points it at another build output.
import * as tf from '@tensorflow/tfjs-core';

const dist = process.env.ADAPTERS_DIST
  ? new URL(`file://${process.env.ADAPTERS_DIST.replace(/\/?$/, '/')}`)
  : new URL('../dist/', import.meta.url);
const core = await import(new URL('index.js', dist).href);
const node = await import(new URL('node/index.js', dist).href);
if (typeof core.setupBackend !== 'function') throw new Error('dist/index.js does not export setupBackend');

function model() {
  const emb = tf.variable(tf.randomUniform([50, 16], -0.5, 0.5, 'float32', 1), true, 'emb');
  const w = tf.variable(tf.randomUniform([16, 8], -0.5, 0.5, 'float32', 2), true, 'w');
  const ids = tf.tensor2d([[1, 4, 7, 4], [0, 49, 3, 1]], [2, 4], 'int32');
  const f = () => tf.mean(tf.square(tf.matMul(tf.gather(emb, ids), w))); // [2,4,16] @ [16,8]
  const { value, grads } = tf.variableGrads(f, [emb, w]);
  const out = {
    loss: value.dataSync()[0],
    emb: Array.from(grads.emb.dataSync()),
    w: Array.from(grads.w.dataSync()),
  };
  tf.dispose([emb, w, ids, value, grads.emb, grads.w]);
  return out;
}

const results = {};
for (const [backend, threads] of [['cpu', 1], ['wasm', 2]]) {
  const info = await node.setupNodeBackend({ backend, threads });
  results[backend] = { info: { name: info.name, threads: info.threads ?? null, patches: info.kernelPatches }, ...model() };
}
const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const diff = Math.max(
  Math.abs(results.cpu.loss - results.wasm.loss),
  maxDiff(results.cpu.emb, results.wasm.emb),
  maxDiff(results.cpu.w, results.wasm.w),
);
const nonZero = results.cpu.emb.some((v) => v !== 0) && results.cpu.w.some((v) => v !== 0);
const ok = diff < 1e-4 && nonZero && Number.isFinite(results.cpu.loss);
console.log(
  JSON.stringify({
    ok,
    maxAbsDiffCpuWasm: diff,
    cpu: results.cpu.info,
    wasm: results.wasm.info,
    loss: results.cpu.loss,
  }),
);
if (!ok) process.exitCode = 1;
