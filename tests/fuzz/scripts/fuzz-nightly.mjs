#!/usr/bin/env node
/**
 * Nightly fuzz run against the built packages (dist/): ≥ 10,000 mutated inputs per loader
 * (safetensors, torch .bin, adapter_config.json, adapter folders, tokenizer.json). Prints one JSON
 * report on stdout; exits 1 when any input crashed (threw something other than an AdaptersError)
 * or hung (took longer than --hang-ms).
 *
 *   pnpm build && node tests/fuzz/scripts/fuzz-nightly.mjs [--iterations 10000] [--seed <n>] [--target <name>] [--hang-ms 1000]
 *
 * The default seed is the date (YYYYMMDD), so each night explores new inputs and any failure is
 * reproducible with `--seed`; the report lists the index of each crashing input.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fuzzTarget } from '../src/harness.mjs';
import { loadSeeds, makeTargets } from '../src/targets.mjs';

// Mutated configs carry unknown keys, and tfjs greets on stdout: keep stdout for the JSON report.
console.warn = () => {};
const log = console.log;
console.log = () => {};

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const today = new Date();
const iterations = Number(arg('iterations', 10_000));
const seed = Number(arg('seed', today.getUTCFullYear() * 10_000 + (today.getUTCMonth() + 1) * 100 + today.getUTCDate()));
const hangMs = Number(arg('hang-ms', 1000));
const only = arg('target', undefined);

const required = ['core', 'tokenizers', 'models/bert', 'methods/lora', 'methods/ia3', 'methods/bottleneck'];
const missing = required.filter((p) => !existsSync(path.join(root, 'packages', p, 'dist', 'index.js')));
if (missing.length) {
  log(JSON.stringify({ ok: false, error: `dist/ missing for packages/${missing.join(', packages/')}: run \`pnpm build\` first` }));
  process.exit(2);
}

const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-cpu');
await tf.setBackend('cpu');
const core = await import('@adapters/core');
const { nodeStorage } = await import('@adapters/core/node');
const { bert } = await import('@adapters/bert');
const { lora } = await import('@adapters/lora');
const { ia3 } = await import('@adapters/ia3');
const { bottleneck } = await import('@adapters/bottleneck');
const { Tokenizer } = await import('@adapters/tokenizers');

const fixturesDir = process.env.ADAPTERS_FIXTURES ?? path.resolve(root, '../shared/fixtures');
const model = await core.loadPretrained(nodeStorage, path.join(fixturesDir, 'models', 'tiny-bert'), { model: bert, methods: [lora, ia3, bottleneck] });
const seeds = loadSeeds({ fixturesDir, tokenizerFixturesDir: path.join(root, 'packages', 'tokenizers', 'fixtures') });
const targets = makeTargets({ core, Tokenizer, model }, seeds).filter((t) => !only || t.name === only);

const started = performance.now();
const results = [];
for (const target of targets) {
  const t0 = performance.now();
  const r = await fuzzTarget(target, {
    iterations,
    seed,
    hangMs,
    maxExamples: 20,
    isTyped: (e) => e instanceof core.AdaptersError,
    leakCheck: target.name === 'loadAdapter' ? () => tf.memory().numTensors : undefined,
  });
  results.push({ ...r, maxMs: Math.round(r.maxMs * 10) / 10, meanMs: Math.round(r.meanMs * 1000) / 1000, seconds: Math.round((performance.now() - t0) / 100) / 10 });
}
model.dispose();
const ok = results.every((r) => r.crashes === 0 && r.hangs === 0 && r.leaks === 0);
const report = {
  ok,
  seed,
  iterationsPerLoader: iterations,
  hangMs,
  node: process.version,
  seconds: Math.round((performance.now() - started) / 100) / 10,
  totals: {
    inputs: results.reduce((a, r) => a + r.inputs, 0),
    crashes: results.reduce((a, r) => a + r.crashes, 0),
    hangs: results.reduce((a, r) => a + r.hangs, 0),
    leaks: results.reduce((a, r) => a + r.leaks, 0),
    maxMs: Math.max(...results.map((r) => r.maxMs)),
  },
  targets: results,
};
log(JSON.stringify(report, null, 2));
process.exit(ok ? 0 : 1);
