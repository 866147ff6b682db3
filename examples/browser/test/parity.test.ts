/**
 * Backend parity in headless Chromium (Debian's `chromium`, driven by playwright-core): the built
 * `parity.html` (run `pnpm --filter @adapters/example-browser build` first) runs the same tiny
 * random BERT + adapter case (`src/parity/case.ts`: forward, one SGD step, forward; LoRA and
 * seq_bn) on each backend; every backend's outputs, loss and updated adapter weights are compared
 * with the browser's cpu backend, and the browser's cpu with the same case in Node on cpu.
 *
 * Backends this Chromium cannot run are skipped with the page's exact reason. Software WebGPU
 * (SwiftShader) is skipped unless ADAPTERS_BROWSER_BACKENDS lists webgpu, as in browser.test.ts.
 * Skipped when /usr/bin/chromium (or $CHROMIUM_PATH) is missing.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupNodeBackend } from '@adapters/core/node';
import * as tf from '@tensorflow/tfjs-core';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARITY_METHODS, type ParityCaseResult, runParityCase } from '../src/parity/case';
import type { ParityBackend, ParityState } from '../src/parity/state';
import { type StaticServer, serveStatic } from './static-server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.join(HERE, '../dist');
const ARTIFACTS = path.join(HERE, '../artifacts');
const forced = (process.env.ADAPTERS_BROWSER_BACKENDS ?? '').split(',').map((s) => s.trim());
/** Software WebGPU, when forced, compiles many shaders on the CPU. */
const PAGE_TIMEOUT = forced.includes('webgpu') ? 300_000 : 45_000;

/**
 * Largest allowed |backend − cpu| (absolute), per backend: for the forward outputs and the loss
 * (before and after the step), and for the adapter weights after the step. The outputs start from
 * the Node suite's tolerances (tests/parity: wasm ≤ 1e-4; packages/core node-webgpu: ≤ 1e-4).
 */
const TOLERANCE: Readonly<Record<Exclude<ParityBackend, 'cpu'>, { outputs: number; weights: number }>> = {
  wasm: { outputs: 1e-4, weights: 1e-5 },
  webgl: { outputs: 1e-4, weights: 1e-5 },
  webgpu: { outputs: 1e-4, weights: 1e-5 },
};
/** The browser's cpu backend against Node's cpu backend (the same JavaScript kernels). */
const NODE_CPU_TOLERANCE = 1e-6;

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`[parity test skipped] ${CHROMIUM} not found: install Debian's chromium (apt-get install --no-install-recommends chromium; .ci/install.sh does) or set CHROMIUM_PATH.`);
}

/** Max |a − b| per part of a case: forward before, loss, forward after, adapter weights. */
interface CaseDiff {
  before: number;
  loss: number;
  after: number;
  weights: number;
}

function maxAbsDiff(a: readonly number[], b: readonly number[], what: string): number {
  expect(a.length, `${what}: length`).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  expect(Number.isFinite(m), `${what}: finite`).toBe(true);
  return m;
}

function caseDiff(got: ParityCaseResult, ref: ParityCaseResult): CaseDiff {
  const w = got.method;
  expect(Object.keys(got.weights), `${w}: adapter weight keys`).toEqual(Object.keys(ref.weights));
  return {
    before: Math.max(maxAbsDiff(got.before.last_hidden_state, ref.before.last_hidden_state, `${w} before last_hidden_state`), maxAbsDiff(got.before.pooler_output, ref.before.pooler_output, `${w} before pooler_output`)),
    loss: Math.abs(got.loss - ref.loss),
    after: Math.max(maxAbsDiff(got.after.last_hidden_state, ref.after.last_hidden_state, `${w} after last_hidden_state`), maxAbsDiff(got.after.pooler_output, ref.after.pooler_output, `${w} after pooler_output`)),
    weights: Math.max(0, ...Object.keys(ref.weights).map((k) => maxAbsDiff(got.weights[k]!, ref.weights[k]!, `${w} ${k}`))),
  };
}

function expectWithin(diffs: readonly { method: string; diff: CaseDiff }[], tol: { outputs: number; weights: number }, label: string): void {
  for (const { method, diff } of diffs) {
    expect(diff.before, `${label} ${method}: forward before the step`).toBeLessThanOrEqual(tol.outputs);
    expect(diff.loss, `${label} ${method}: loss`).toBeLessThanOrEqual(tol.outputs);
    expect(diff.after, `${label} ${method}: forward after the step`).toBeLessThanOrEqual(tol.outputs);
    expect(diff.weights, `${label} ${method}: adapter weights after the step`).toBeLessThanOrEqual(tol.weights);
  }
}

const fmt = (d: CaseDiff): string => `before ${d.before.toExponential(2)}, loss ${d.loss.toExponential(2)}, after ${d.after.toExponential(2)}, weights ${d.weights.toExponential(2)}`;

let server: StaticServer;
let browser: Browser;
/** The Node cpu results, the browser cpu results (the reference of the other backends). */
let nodeCpu: ParityCaseResult[] = [];
let browserCpu: ParityCaseResult[] = [];
const report: Record<string, unknown> = {};
const summary: string[] = [];

/** Opens parity.html for `backend` in a fresh page of `on`; resolves with the page's final state. */
async function runPage(backend: ParityBackend, cases?: string, on: Browser = browser): Promise<ParityState> {
  const page = await on.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  try {
    await page.goto(`${server.origin}/parity.html?backend=${backend}${cases ? `&cases=${cases}` : ''}`);
    await page.waitForFunction(() => window.adaptersParity !== undefined && window.adaptersParity.status !== 'running', null, { timeout: PAGE_TIMEOUT, polling: 100 });
    const s = await page.evaluate(() => JSON.parse(JSON.stringify(window.adaptersParity)) as ParityState);
    if (s.status === 'error') throw new Error(`the parity page on ${backend} reports: ${s.error}`);
    if (s.status === 'done') expect(errors, `${backend}: page errors`).toEqual([]);
    return s;
  } finally {
    await page.close();
  }
}

describe.skipIf(!hasChromium)('backend parity in headless Chromium (parity.html)', () => {
  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'parity.html'))) {
      throw new Error(`${DIST}/parity.html is missing: build first (pnpm --filter @adapters/example-browser build)`);
    }
    server = await serveStatic(DIST);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu'] });
    await setupNodeBackend({ backend: 'cpu' });
    nodeCpu = [];
    for (const m of PARITY_METHODS) nodeCpu.push(await runParityCase(m));
  });

  afterAll(async () => {
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(path.join(ARTIFACTS, 'parity.json'), `${JSON.stringify(report, null, 2)}\n`);
      console.log(`[parity]\n${summary.join('\n')}`);
    } finally {
      await browser?.close();
      await server?.close();
      await tf.setBackend('cpu');
    }
  });

  it(`cpu: the browser's cpu backend equals Node's cpu (≤ ${NODE_CPU_TOLERANCE}), and the step moves outputs and weights`, async () => {
    const s = await runPage('cpu');
    expect(s.status, s.reason).toBe('done');
    expect(s.active).toBe('cpu');
    browserCpu = s.cases;
    expect(browserCpu.map((c) => c.method)).toEqual([...PARITY_METHODS]);
    const diffs = browserCpu.map((c, i) => ({ method: c.method, diff: caseDiff(c, nodeCpu[i]!) }));
    expectWithin(diffs, { outputs: NODE_CPU_TOLERANCE, weights: NODE_CPU_TOLERANCE }, 'browser cpu vs Node cpu');
    for (const { method, diff } of diffs) summary.push(`cpu (browser) vs cpu (Node) ${method}: ${fmt(diff)}`);
    report.cpu = { status: s.status, timings: s.timings, vsNodeCpu: diffs };
    // The comparisons below are only meaningful if the step changed things by far more than any tolerance.
    for (const c of browserCpu) {
      expect(Number.isFinite(c.loss) && c.loss > 0).toBe(true);
      expect(maxAbsDiff(c.after.last_hidden_state, c.before.last_hidden_state, `${c.method} step`), `${c.method}: the step moves the outputs`).toBeGreaterThan(1e-2);
      expect(c.weightUpdate, `${c.method}: the step moves the adapter weights`).toBeGreaterThan(1e-3);
    }
  });

  it('a backend this Chromium cannot set up is reported unavailable with the reason, not run', async (ctx) => {
    // A second browser with the 3D APIs off: WebGPU finds no adapter (WebGL stays on in this Chromium).
    const other = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox', '--disable-3d-apis'] });
    try {
      const s = await runPage('webgpu', undefined, other);
      if (s.status === 'done') ctx.skip('--disable-3d-apis left WebGPU on in this Chromium');
      expect(s.status).toBe('unavailable');
      expect(s.reason).toMatch(/webgpu/i);
      expect(s.active).toBeNull();
      expect(s.cases).toEqual([]);
    } finally {
      await other.close();
    }
  });

  for (const backend of ['wasm', 'webgl', 'webgpu'] as const) {
    const tol = TOLERANCE[backend];
    it(`${backend}: outputs, loss and updated weights match the browser's cpu (outputs ≤ ${tol.outputs}, weights ≤ ${tol.weights})`, async (ctx) => {
      const skip = (reason: string): never => {
        summary.push(`${backend}: skipped (${reason})`);
        report[backend] = { status: 'skipped', reason };
        console.warn(`[parity] ${backend} skipped: ${reason}`);
        return ctx.skip(reason);
      };
      if (browserCpu.length === 0) skip('the browser cpu reference did not run');
      if (backend === 'webgpu' && !forced.includes('webgpu')) {
        const probe = await runPage(backend, 'none');
        if (probe.status === 'unavailable') skip(`not available in this Chromium: ${probe.reason}`);
        if (probe.device?.software !== false) {
          skip(`software adapter (${probe.device?.description ?? 'unknown'}): shader compilation on the CPU is too slow for CI; set ADAPTERS_BROWSER_BACKENDS=wasm,webgl,webgpu to run it`);
        }
      }
      const s = await runPage(backend);
      if (s.status === 'unavailable') skip(`not available in this Chromium: ${s.reason}`);
      expect(s.status).toBe('done');
      expect(s.active).toBe(backend);
      expect(s.cases.map((c) => c.method)).toEqual([...PARITY_METHODS]);
      const diffs = s.cases.map((c, i) => ({ method: c.method, diff: caseDiff(c, browserCpu[i]!) }));
      const device = s.device ? ` on ${s.device.description}` : '';
      for (const { method, diff } of diffs) summary.push(`${backend}${device} vs cpu ${method}: ${fmt(diff)}`);
      report[backend] = { status: s.status, device: s.device, flags: s.flags, timings: s.timings, vsBrowserCpu: diffs };
      expectWithin(diffs, tol, `${backend} vs cpu`);
    }, PAGE_TIMEOUT * 2 + 10_000);
  }
});
