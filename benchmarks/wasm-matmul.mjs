// wasm BatchMatMul before/after the @adapters/core kernel patch, in GFLOP/s (JSON on stdout).
//
//   cd packages/core && npx tsup && cd ../.. && node benchmarks/wasm-matmul.mjs [--threads N] [--out file.json]
//
// "before" = tfjs-backend-wasm 4.22's own kernel (patches unregistered), "after" = patched.
// ADAPTERS_DIST=<dir> uses another build output of @adapters/core instead of packages/core/dist.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const threads = Number(arg('threads', '1'));
const outFile = arg('out', undefined);

const coreDir = new URL('../packages/core/', import.meta.url);
const require = createRequire(new URL('package.json', coreDir));
const tf = require('@tensorflow/tfjs-core'); // the same (CJS) instance the built package imports
const dist = process.env.ADAPTERS_DIST
  ? pathToFileURL(process.env.ADAPTERS_DIST.replace(/\/?$/, '/'))
  : new URL('dist/', coreDir);
const core = await import(new URL('index.js', dist).href);
const node = await import(new URL('node/index.js', dist).href);

const info = await node.setupNodeBackend({ backend: 'wasm', threads });

const cases = [
  { name: 'ffn [8,128,768] @ [768,3072]', a: [8, 128, 768], b: [768, 3072], tA: false, tB: false },
  { name: 'attention [96,128,64] @ [96,128,64]^T', a: [96, 128, 64], b: [96, 128, 64], tA: false, tB: true },
  { name: 'backward dX [1024,3072] @ [768,3072]^T', a: [1024, 3072], b: [768, 3072], tA: false, tB: true },
  { name: 'backward dW [1024,768]^T @ [1024,3072]', a: [1024, 768], b: [1024, 3072], tA: true, tB: false },
  { name: 'reference 2-D [1024,768] @ [768,3072] (already fast)', a: [1024, 768], b: [768, 3072], tA: false, tB: false },
];

function flops({ a, b, tA, tB }) {
  const m = tA ? a.at(-1) : a.at(-2);
  const k = tA ? a.at(-2) : a.at(-1);
  const n = tB ? b.at(-2) : b.at(-1);
  const batch = Math.max(a.slice(0, -2).reduce((x, y) => x * y, 1), b.slice(0, -2).reduce((x, y) => x * y, 1));
  return 2 * batch * m * k * n;
}

/** Median seconds per product: warm-up unless slow, then up to `maxReps` runs or ~3 s. */
function time(c, A, B) {
  const run = () => {
    const t0 = performance.now();
    const y = tf.matMul(A, B, c.tA, c.tB);
    y.dataSync();
    const dt = (performance.now() - t0) / 1000;
    return { y, dt };
  };
  const first = run();
  const result = first.y;
  const times = first.dt > 2 ? [first.dt] : [];
  let spent = first.dt;
  while (times.length < 5 && spent < 3) {
    const { y, dt } = run();
    y.dispose();
    times.push(dt);
    spent += dt;
  }
  times.sort((x, y) => x - y);
  return { seconds: times[Math.floor(times.length / 2)], runs: times.length, result };
}

const rows = [];
for (const c of cases) {
  const A = tf.randomUniform(c.a, -1, 1, 'float32', 1);
  const B = tf.randomUniform(c.b, -1, 1, 'float32', 2);
  core.unregisterKernelPatches();
  const before = time(c, A, B);
  core.registerKernelPatches();
  const after = time(c, A, B);
  const diff = tf.max(tf.abs(tf.sub(before.result, after.result))).dataSync()[0];
  const f = flops(c);
  rows.push({
    case: c.name,
    gflop: +(f / 1e9).toFixed(3),
    before: { seconds: +before.seconds.toFixed(4), gflops: +(f / before.seconds / 1e9).toFixed(2), runs: before.runs },
    after: { seconds: +after.seconds.toFixed(4), gflops: +(f / after.seconds / 1e9).toFixed(2), runs: after.runs },
    speedup: +(before.seconds / after.seconds).toFixed(1),
    maxAbsDiff: diff,
  });
  tf.dispose([A, B, before.result, after.result]);
}

const report = {
  benchmark: 'wasm-matmul',
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  backend: info.name,
  threads: info.threads,
  threadsFallbackReason: info.threadsFallbackReason,
  simd: info.simd,
  results: rows,
};
const json = JSON.stringify(report, null, 2);
console.log(json);
if (outFile) writeFileSync(outFile, json + '\n');
