/**
 * Seeded CI fuzz run: ~500 mutated inputs per loader. Every input must load or throw a typed
 * `AdaptersError`, within 1 s. Reproduce one input with `FUZZ_SEED` and its index; run more with
 * `FUZZ_ITERATIONS` (the nightly script runs ≥ 10,000 per loader against dist/).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@adapters/core';
import { AdaptersError, type AdapterModel, loadPretrained } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, fixturesDir } from '@adapters/core/testing';
import { bert } from '@adapters/bert';
import { bottleneck } from '@adapters/bottleneck';
import { ia3 } from '@adapters/ia3';
import { lora } from '@adapters/lora';
import { Tokenizer } from '@adapters/tokenizers';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FuzzResult, fuzzTarget } from '../src/harness.mjs';
import { loadSeeds, makeTargets } from '../src/targets.mjs';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 500);
const SEED = Number(process.env.FUZZ_SEED ?? 20250101);
const HANG_MS = 1000;
const here = path.dirname(fileURLToPath(import.meta.url));

describe(`fuzz: ${ITERATIONS} mutated inputs per loader (seed ${SEED})`, () => {
  let model: AdapterModel;
  let targets: ReturnType<typeof makeTargets>;
  const results: FuzzResult[] = [];

  beforeAll(async () => {
    // Mutated configs carry unknown keys; their warnings would flood the output.
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    model = await loadPretrained(nodeStorage, fixturePath('models', 'tiny-bert'), { model: bert as never, methods: [lora, ia3, bottleneck] });
    const seeds = loadSeeds({ fixturesDir: fixturesDir(), tokenizerFixturesDir: path.resolve(here, '../../../packages/tokenizers/fixtures') });
    targets = makeTargets({ core, Tokenizer, model }, seeds);
  });

  afterAll(() => {
    vi.restoreAllMocks();
    model?.dispose();
    const rows = results.map((r) => `${r.target.padEnd(38)} inputs ${r.inputs}  loaded ${r.loaded}  rejected ${r.rejected}  crashes ${r.crashes}  hangs ${r.hangs}  leaks ${r.leaks}  max ${r.maxMs.toFixed(1)} ms  mean ${r.meanMs.toFixed(2)} ms`);
    console.log(`fuzz summary (seed ${SEED}, ${ITERATIONS} inputs per loader, hang > ${HANG_MS} ms):\n${rows.join('\n')}`);
  });

  for (const name of ['parseSafetensors', 'parseTorchBin', 'parsePythonJson+resolveAdapterConfig', 'loadAdapter', 'Tokenizer.fromJSON']) {
    it(`${name}: every input loads or throws a typed error, within ${HANG_MS} ms`, async () => {
      const target = targets.find((t) => t.name === name)!;
      expect(target.seeds.length).toBeGreaterThan(0);
      const r = await fuzzTarget(target, {
        iterations: ITERATIONS,
        seed: SEED,
        isTyped: (e) => e instanceof AdaptersError,
        hangMs: HANG_MS,
        leakCheck: name === 'loadAdapter' ? () => tf.memory().numTensors : undefined,
      });
      results.push(r);
      if (r.crashes || r.hangs || r.leaks) console.log(JSON.stringify(r, null, 2));
      expect(r.inputs).toBe(ITERATIONS);
      expect(r.crashExamples).toEqual([]);
      expect(r.crashes).toBe(0);
      expect(r.hangs).toBe(0);
      expect(r.leaks).toBe(0);
    });
  }
});
