/**
 * Crash consistency of saves on a real file system: a child Node process saves an adapter, an
 * AdapterFusion and a training-checkpoint-like pair in a loop with NodeFsStorage; it is SIGKILLed
 * at random moments, several times. After every kill each pair must hold the last completely
 * saved state or the one being saved — never a mix — and load to exactly that state's outputs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AdapterModel, type FuseBlock, loadAdapter, parseSafetensors, rawToFloat32, readFilePair, utf8 } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { loadAdapterFusion } from '@adapters/bottleneck';
import * as tf from '@tensorflow/tfjs-core';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FILES, PAIRS, applyAdapterState, applyFusionState, checkpointFiles, inputs, makeModel } from '../src/save-states';

const here = path.dirname(fileURLToPath(import.meta.url));
const KILLS = 8;
const FUSE: FuseBlock = { type: 'Fuse', children: ['x', 'y'] };

/** Bundles the child script from the TypeScript sources (tfjs stays external). */
async function bundleChild(): Promise<string> {
  const outDir = path.resolve(here, '../node_modules/.cache/adapters-fuzz');
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'save-loop-child.mjs');
  await build({
    entryPoints: [path.resolve(here, '../src/save-loop-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@adapters/source'],
    plugins: [
      {
        name: 'tfjs-roots-external',
        setup(b) {
          b.onResolve({ filter: /^@tensorflow\/[^/]+$/ }, (a) => ({ path: a.path, external: true }));
        },
      },
    ],
    // Root tfjs packages stay external (one engine); `@tensorflow/tfjs-core/dist/*` subpaths are
    // bundled, as tsup does for @adapters/core (they are extension-less ESM that Node cannot load).
    logLevel: 'error',
  });
  return outfile;
}

/** Runs the child from `start`, kills it `delayMs` after its first complete save; returns the last complete state. */
function runAndKill(script: string, dir: string, start: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir, String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last = -1;
    let buf = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        const m = /^saved (\d+)$/.exec(l);
        if (!m) continue;
        last = Number(m[1]);
        timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited (${code}) before being killed: ${err}`));
      else resolve(last);
    });
  });
}

/** Max |a − b| of two tensors. */
const diff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('crash-consistent saves under SIGKILL (NodeFsStorage)', () => {
  let script: string;
  let dir: string;
  let reference: AdapterModel;

  beforeAll(async () => {
    script = await bundleChild();
    dir = mkdtempSync(path.join(tmpdir(), 'adapters-crash-'));
    reference = makeModel();
  });

  afterAll(() => {
    reference?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Expected outputs of state k (adapter `a` active, or the fusion active). */
  function expected(k: number, which: 'adapter' | 'fusion'): tf.Tensor {
    const x = inputs();
    if (which === 'adapter') {
      applyAdapterState(reference, k);
      reference.setActiveAdapters('a');
    } else {
      applyFusionState(reference, k);
      reference.setActiveAdapters(FUSE);
    }
    const y = reference.forward(x).last_hidden_state;
    tf.dispose(Object.values(x));
    return y;
  }

  /** The iteration recorded in a pair (config meta or checkpoint step) — the pair the loader would use. */
  async function iterationOf(pair: string, recovered: string[]): Promise<number> {
    const names = pair === PAIRS.checkpoint ? CHECKPOINT_FILES : pair === PAIRS.adapter
      ? { config: 'adapter_config.json', weights: ['adapter.safetensors'] }
      : { config: 'adapter_fusion_config.json', weights: ['model_adapter_fusion.safetensors'] };
    const p = await readFilePair(nodeStorage, path.join(dir, pair), names, (m) => recovered.push(m));
    const json = JSON.parse(utf8.decode(p.configBytes)) as { iteration?: number; global_step?: number };
    return json.iteration ?? json.global_step!;
  }

  it(`${KILLS} random SIGKILLs: every pair is the previous or the new save and loads to its outputs`, async () => {
    let start = 0;
    let seed = 99;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const recovered: string[] = [];
    const seen: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const last = await runAndKill(script, dir, start, rand(250));
      expect(last).toBeGreaterThanOrEqual(start);
      for (const pair of Object.values(PAIRS)) {
        const k = await iterationOf(pair, recovered);
        // The last completed save, or the one the kill interrupted (if that pair had finished).
        expect([last, last + 1], `${pair} after kill ${kill}`).toContain(k);
        seen.push(k - last);
        if (pair === PAIRS.checkpoint) {
          const p = await readFilePair(nodeStorage, path.join(dir, pair), CHECKPOINT_FILES);
          expect(p.weightsBytes).toEqual(checkpointFiles(k).weights);
          const t = parseSafetensors(p.weightsBytes).tensors.get('exp_avg')!;
          expect(rawToFloat32(t)).toEqual(rawToFloat32(parseSafetensors(checkpointFiles(k).weights).tensors.get('exp_avg')!));
          continue;
        }
        const model = makeModel();
        const x = inputs();
        try {
          if (pair === PAIRS.adapter) {
            await loadAdapter(model, nodeStorage, path.join(dir, pair), { setActive: true, warn: () => {} });
            expect(model.adapterConfig('a')).toBeDefined();
          } else {
            await loadAdapterFusion(model, nodeStorage, path.join(dir, pair), { setActive: true, warn: () => {} });
          }
          const y = model.forward(x).last_hidden_state;
          const want = expected(k, pair);
          expect(diff(y, want), `${pair} state ${k}`).toBe(0);
          tf.dispose([y, want]);
        } finally {
          tf.dispose(Object.values(x));
          model.dispose();
        }
      }
      start = last + 2; // fresh iteration numbers, so a stale file can never pass for a new one
    }
    const leftovers = readdirSync(path.join(dir, PAIRS.adapter)).filter((f) => !['adapter_config.json', 'adapter.safetensors', '.adapter_config.json.commit', '.adapter_config.json.prev'].includes(f));
    expect(leftovers.every((f) => f.endsWith('.tmp'))).toBe(true); // only temp files of writes cut short
    console.log(
      `crash test: ${KILLS} SIGKILLs; pairs found at the interrupted save: ${seen.filter((d) => d === 1).length}/${seen.length}; ` +
        `torn pairs recovered from .prev: ${recovered.filter((m) => /interrupted/.test(m)).length}; leftover temp files: ${leftovers.length}`,
    );
  });
});
