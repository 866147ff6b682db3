import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DemoResult } from '../src';

const BIN = path.resolve(__dirname, '../bin/demo.mjs');

describe('pnpm demo --quick (spawned, wasm backend)', () => {
  // What this asserts: the demo command runs end to end (exit 0, baseline, per-adapter before/after
  // lines, progress bar, JSON result with finite accuracies and losses). What it does NOT assert yet,
  // and why issue 7 stays open: a clear accuracy gain. Measured (packages/demo/README.md, "Status"):
  // on the shipped tiny-review-bert the [CLS] output carries no review polarity, and LoRA / bottleneck
  // adapters on the frozen model stay at chance (lr 5e-3…2e-2, up to 500 steps), while full fine-tuning
  // reaches 84 % dev accuracy after ~130 steps.
  it('trains a LoRA and a bottleneck adapter and reports accuracy before and after', () => {
    const json = path.join(mkdtempSync(path.join(tmpdir(), 'adapters-demo-')), 'result.json');
    const r = spawnSync(process.execPath, [BIN, '--quick', '--json', json], { encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Majority-class baseline: \d+\.\d%/);
    expect(r.stdout).toMatch(/lora: dev accuracy after \d+ steps/);
    expect(r.stdout).toMatch(/bottleneck: dev accuracy after \d+ steps/);
    expect(r.stderr).toMatch(/lora\s+\d+\/\d+ 100% \| loss/); // progress (plain lines: stderr is a pipe here)
    const result = JSON.parse(readFileSync(json, 'utf8')) as DemoResult;
    expect(result.adapters.map((a) => a.name)).toEqual(['lora', 'bottleneck']);
    expect(result.majorityBaseline).toBeGreaterThan(0.4);
    for (const a of result.adapters) {
      expect(a.steps, a.name).toBeGreaterThan(0);
      expect(a.trainableParameters, a.name).toBeGreaterThan(0);
      for (const v of [a.before.accuracy, a.after.accuracy, a.before.loss, a.after.loss]) expect(Number.isFinite(v), a.name).toBe(true);
      expect(a.after.accuracy, a.name).toBeGreaterThanOrEqual(0);
      expect(a.after.accuracy, a.name).toBeLessThanOrEqual(1);
    }
  }, 320_000);
});
