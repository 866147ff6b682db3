/**
 * The demo in headless Chromium (Debian's `chromium`, driven by playwright-core): serves the built
 * dist/ (run `pnpm build` first) on 127.0.0.1, trains a few steps on wasm (and on webgl / webgpu
 * where they run usefully), checks that the training loss decreased, downloads the adapter, loads
 * that file in Node and checks the outputs equal the page's. Saves artifacts/screenshot.png.
 *
 * Skipped when /usr/bin/chromium (or $CHROMIUM_PATH) is missing; .ci/install.sh installs it.
 * Software WebGPU (SwiftShader, ~10 s per step) is skipped unless ADAPTERS_BROWSER_BACKENDS
 * lists webgpu (e.g. `ADAPTERS_BROWSER_BACKENDS=wasm,webgl,webgpu`).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bert } from '@adapters/bert';
import { bottleneck } from '@adapters/bottleneck';
import { MemoryStorage, type ModelDefinition } from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import { AutoAdapterModel, loadAdapterWithHead } from '@adapters/heads';
import { lora } from '@adapters/lora';
import { Tokenizer } from '@adapters/tokenizers';
import * as tf from '@tensorflow/tfjs-core';
import { unzipSync } from 'fflate';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TrainForm, compose, demoState, idle, train } from './demo-page';
import { type StaticServer, serveStatic } from './static-server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.join(HERE, '../dist');
const ARTIFACTS = path.join(HERE, '../artifacts');
const SENTENCE = 'The battery is perfect, but the remote is horrible.';
const MAX_LENGTH = 32;
/** A short run: 12 steps over one 16-example batch (the training-set loss must fall). */
const WASM_RUN: TrainForm = { name: 'lora_wasm', method: 'lora', steps: 12, trainSize: 16, evalSize: 32, batchSize: 16, maxLength: MAX_LENGTH, learningRate: 0.01 };
const forced = (process.env.ADAPTERS_BROWSER_BACKENDS ?? '').split(',').map((s) => s.trim());
/** Software WebGPU, when forced, needs minutes (shader compilation and ~10 s per step). */
const SLOW_TIMEOUT = forced.includes('webgpu') ? 480_000 : 110_000;

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`[browser test skipped] ${CHROMIUM} not found: install Debian's chromium (apt-get install --no-install-recommends chromium; .ci/install.sh does) or set CHROMIUM_PATH.`);
}

let server: StaticServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const ran: string[] = [];
const skipped: { backend: string; reason: string }[] = [];
/** The wasm run's prediction for SENTENCE (logits of head lora_wasm). */
let wasmLogits: number[] = [];

/** Loads an adapter zip (as downloaded) in Node on the page's base model; logits for `sentence`. */
async function nodeLogits(zip: Uint8Array, sentence: string): Promise<{ files: string[]; logits: number[] }> {
  const mem = new MemoryStorage();
  const entries = unzipSync(zip);
  for (const [name, bytes] of Object.entries(entries)) await mem.writeFile(name, bytes);
  const folder = Object.keys(entries)[0]!.split('/')[0]!;
  // The base model the page fetched: the copy inside dist/.
  const modelDir = path.join(DIST, 'models/tiny-review-bert');
  const model = await AutoAdapterModel.fromPretrained(nodeStorage, modelDir, { model: bert as ModelDefinition<unknown>, methods: [lora, bottleneck], loadHeads: false });
  try {
    const { adapter, head } = await loadAdapterWithHead(model, mem, folder, { setActive: true });
    expect(head).toBe(adapter);
    const tok = await Tokenizer.fromFile(modelDir);
    const enc = tok.encodeBatch([sentence], { padding: 'longest', truncation: true, maxLength: MAX_LENGTH, returnTensors: true });
    const out = model.forward({ input_ids: enc.input_ids, attention_mask: enc.attention_mask, token_type_ids: enc.token_type_ids });
    const logits = Array.from(await out.logits!.data());
    tf.dispose([enc.input_ids, enc.attention_mask, enc.token_type_ids, ...Object.values(out).filter((v): v is tf.Tensor => v instanceof tf.Tensor)]);
    return { files: Object.keys(entries).map((k) => k.slice(folder.length + 1)).sort(), logits };
  } finally {
    model.dispose();
  }
}

function expectClose(actual: readonly number[], expected: readonly number[], tol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((x, i) => expect(Math.abs(x - expected[i]!), `index ${i}: ${x} vs ${expected[i]}`).toBeLessThanOrEqual(tol));
}

describe.skipIf(!hasChromium)('browser demo (headless Chromium)', () => {
  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'index.html'))) {
      throw new Error(`${DIST}/index.html is missing: build the demo first (pnpm build, or pnpm --filter @adapters/example-browser build)`);
    }
    server = await serveStatic(DIST);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu'] });
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(`${server.origin}/?backend=wasm`);
    await idle(page);
  });

  afterAll(async () => {
    try {
      if (page) {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, 'screenshot.png'), fullPage: true });
        writeFileSync(path.join(ARTIFACTS, 'backends.json'), `${JSON.stringify({ ran, skipped, state: await demoState(page) }, null, 2)}\n`);
      }
    } finally {
      console.log(`[browser] backends run: ${ran.join(', ') || 'none'}; skipped: ${skipped.map((s) => `${s.backend} (${s.reason})`).join('; ') || 'none'}`);
      await browser?.close();
      await server?.close();
      await tf.setBackend('cpu');
    }
  });

  it('wasm: trains in the worker, the loss decreases, the download loads in Node with the same outputs', async () => {
    const start = await demoState(page);
    expect(start.backend.active).toBe('wasm');
    expect(start.model).toMatch(/tiny-review-bert/);

    const s = await train(page, WASM_RUN);
    const run = s.runs.at(-1)!;
    console.log(`[browser] wasm losses: ${run.losses.map((l) => l.toFixed(4)).join(' ')}; training-set loss ${run.report!.fit.before.toFixed(4)} → ${run.report!.fit.after.toFixed(4)}; dev accuracy ${run.report!.before.accuracy} → ${run.report!.after.accuracy}`);
    expect(run.backend).toBe('wasm');
    expect(run.losses).toHaveLength(WASM_RUN.steps);
    expect(run.losses.every(Number.isFinite)).toBe(true);
    expect(run.report!.fit.after).toBeLessThan(run.report!.fit.before);
    expect(run.report!.after.accuracy).toBeGreaterThanOrEqual(0);
    expect(await page.textContent(`#train-results tr[data-adapter="${WASM_RUN.name}"] .accuracy`)).toMatch(/%.*→.*%/);
    ran.push('wasm');

    const p = await compose(page, 'single', [WASM_RUN.name], SENTENCE);
    wasmLogits = p.prediction!.heads[0]!.logits;
    expect(p.prediction!.heads.map((h) => h.head)).toEqual([WASM_RUN.name]);
    expect(JSON.parse((await page.getAttribute('#compose-output', 'data-logits'))!)).toEqual([wasmLogits]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-download="${WASM_RUN.name}"]`)]);
    expect(download.suggestedFilename()).toBe(`${WASM_RUN.name}.zip`);
    const zipPath = path.join(mkdtempSync(path.join(tmpdir(), 'adapters-browser-')), download.suggestedFilename());
    await download.saveAs(zipPath);
    await idle(page);

    // Same backend class in Node: wasm.
    await setupNodeBackend({ backend: 'wasm', threads: 1 });
    const node = await nodeLogits(readFileSync(zipPath), SENTENCE);
    expect(node.files).toEqual(['adapter.safetensors', 'adapter_config.json', 'head_config.json', 'model_head.safetensors']);
    console.log(`[browser] logits page ${wasmLogits.join(', ')} / node ${node.logits.join(', ')}`);
    expectClose(node.logits, wasmLogits, 1e-4);

    // Load the file back into the page under another name: the same outputs.
    await page.fill('#upload-name', 'lora_reloaded');
    await page.setInputFiles('#upload', zipPath);
    const up = await idle(page);
    expect(up.lastImport).toBe('lora_reloaded');
    const again = await compose(page, 'single', ['lora_reloaded'], SENTENCE);
    expectClose(again.prediction!.heads[0]!.logits, wasmLogits, 1e-6);

    // Parallel of two identical adapters: each replica's head gives the single adapter's logits.
    const par = await compose(page, 'Parallel', [WASM_RUN.name, 'lora_reloaded'], SENTENCE);
    expect(par.prediction!.heads.map((h) => h.head)).toEqual([WASM_RUN.name, 'lora_reloaded']);
    for (const h of par.prediction!.heads) expectClose(h.logits, wasmLogits, 1e-5);
    // Average (Python's mean of w_i·delta_i, see test/engine.test.ts): both identical heads run on
    // the same averaged representation.
    const avg = await compose(page, 'Average', [WASM_RUN.name, 'lora_reloaded'], SENTENCE);
    expect(avg.prediction!.heads.map((h) => h.head)).toEqual([WASM_RUN.name, 'lora_reloaded']);
    expectClose(avg.prediction!.heads[1]!.logits, avg.prediction!.heads[0]!.logits, 1e-6);
    const stack = await compose(page, 'Stack', [WASM_RUN.name, 'lora_reloaded'], SENTENCE);
    expect(stack.prediction!.heads.map((h) => h.head)).toEqual(['lora_reloaded']);
    expect(pageErrors).toEqual([]);
  });

  it('shows the fall-back when the chosen backend is unavailable', async (ctx) => {
    // A second browser with the 3D APIs off: WebGPU finds no adapter (workers keep WebGL).
    const other = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox', '--disable-3d-apis'] });
    try {
      const p = await other.newPage();
      await p.goto(`${server.origin}/?backend=webgpu`);
      const s = await idle(p);
      if (s.backend.active === 'webgpu') ctx.skip('--disable-3d-apis left WebGPU on in this Chromium');
      expect(s.backend.requested).toBe('webgpu');
      expect(s.backend.fallback).toMatch(/^webgpu: /);
      expect(await p.textContent('#backend-note')).toContain(`webgpu unavailable, fell back to ${s.backend.active}`);
      expect(await p.textContent('#backend-active')).toContain(`active: ${s.backend.active}`);
      expect(await p.textContent('#backend option[value="webgpu"]')).toBe('webgpu (unavailable)');
    } finally {
      await other.close();
    }
  });

  for (const backend of ['webgl', 'webgpu'] as const) {
    it(`${backend}: trains a few steps when this browser runs it usefully`, async (ctx) => {
      const skip = (reason: string): never => {
        skipped.push({ backend, reason });
        console.warn(`[browser] ${backend} skipped: ${reason}`);
        return ctx.skip(reason);
      };
      if (wasmLogits.length === 0) skip('the wasm run failed');
      await page.selectOption('#backend', backend);
      const s = await idle(page);
      if (s.backend.active !== backend) skip(`not available here: ${s.backend.fallback ?? 'fell back'}`);
      const device = s.backend.devices[backend];
      if (backend === 'webgpu' && device?.software && !forced.includes('webgpu')) {
        skip(`software adapter (${device.description}) is too slow for CI (~10 s per step); set ADAPTERS_BROWSER_BACKENDS=wasm,webgl,webgpu to run it`);
      }
      // The wasm adapters were carried over to the new worker: same outputs within GPU float error.
      expect(s.adapters.map((a) => a.name)).toEqual(expect.arrayContaining([WASM_RUN.name, 'lora_reloaded']));
      const carried = await compose(page, 'single', [WASM_RUN.name], SENTENCE);
      expectClose(carried.prediction!.heads[0]!.logits, wasmLogits, 5e-3);

      const t = await train(page, { ...WASM_RUN, name: `lora_${backend}`, steps: 6, trainSize: 8, evalSize: 8, batchSize: 8 }, SLOW_TIMEOUT);
      const run = t.runs.at(-1)!;
      console.log(`[browser] ${backend} (${device?.description ?? '?'}) losses: ${run.losses.map((l) => l.toFixed(4)).join(' ')}; training-set loss ${run.report!.fit.before.toFixed(4)} → ${run.report!.fit.after.toFixed(4)}`);
      expect(run.backend).toBe(backend);
      expect(run.losses).toHaveLength(6);
      expect(run.report!.fit.after).toBeLessThan(run.report!.fit.before);
      ran.push(backend);
      expect(pageErrors).toEqual([]);
    }, SLOW_TIMEOUT + 30_000);
  }
});
