import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readSafetensorsAsTensors } from '@adapters/core';
import { fixturePath, maxAbsDiff } from '@adapters/core/testing';
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENIZER, records, tinyBertWithDropout, writeDataset } from './train-helpers';

const BIN = path.resolve(__dirname, '../dist/bin.js');
const MODEL = fixturePath('models', 'tiny-bert');

function run(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'adapters-cli-train-'));
const TRAIN = writeDataset(path.join(tmp, 'train.jsonl'), records(48, 1));
const DEV_CSV = writeDataset(path.join(tmp, 'dev.csv'), records(24, 2));

const base = (out: string): string[] => [
  'train', '--model', MODEL, '--tokenizer', TOKENIZER, '--method', 'lora[r=4,alpha=8]', '--name', 'sent',
  '--dataset', TRAIN, '--output', out, '--backend', 'cpu', '--batch-size', '8', '--lr', '0.01', '--seed', '3',
];

describe('adapters train / eval (spawned from dist/)', () => {
  const out = path.join(tmp, 'run');
  let trained: { code: number; out: string; err: string };
  beforeAll(() => {
    expect(existsSync(BIN), `${BIN} missing: run pnpm build first`).toBe(true);
    trained = run([...base(out), '--eval-dataset', DEV_CSV, '--epochs', '2', '--eval-every', '3', '--save-every', '4', '--schedule', 'cosine', '--warmup-steps', '2']);
  });

  it('trains: exit 0, JSON summary, Python-format adapter + head, checkpoints, metrics log', () => {
    expect(trained.code, trained.err).toBe(0);
    const summary = JSON.parse(trained.out.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ adapter: 'sent', steps: 12, labels: ['neg', 'pos'], backend: 'cpu', resumed_from: null });
    expect(summary.eval.eval_accuracy).toBeGreaterThanOrEqual(0);
    for (const f of ['adapter_config.json', 'adapter.safetensors', 'head_config.json', 'model_head.safetensors']) expect(existsSync(path.join(out, 'sent', f)), f).toBe(true);
    expect(existsSync(path.join(out, 'checkpoint-12', 'trainer_state.json'))).toBe(true);
    expect(existsSync(path.join(out, 'checkpoint-8', 'sent', 'adapter.safetensors'))).toBe(true);
    const log = readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.filter((e) => e.kind === 'step')).toHaveLength(12);
    expect(log.filter((e) => e.kind === 'eval').map((e) => e.step)).toEqual([3, 6, 9, 12]);
    expect(log.find((e) => e.kind === 'step')).toMatchObject({ step: 1, lr: 0, totalSteps: 12 });
  });

  it('progress on a non-TTY stderr: plain lines with loss, lr and elapsed<ETA, no carriage returns', () => {
    expect(trained.err).toMatch(/12\/12 100% \| loss \d\.\d+ \| lr [\d.e+-]+ \| \d\d:\d\d<\d\d:\d\d/);
    expect(trained.err).toContain('eval @ step 3: eval_loss');
    expect(trained.err).not.toContain('\r');
  });

  it('eval: the saved adapter + head reproduce the final evaluation', () => {
    const r = run(['eval', '--model', MODEL, '--tokenizer', TOKENIZER, '--adapter', path.join(out, 'sent'), '--dataset', DEV_CSV, '--backend', 'cpu']);
    expect(r.code, r.err).toBe(0);
    const m = JSON.parse(r.out.trim().split('\n').pop()!);
    const summary = JSON.parse(trained.out.trim().split('\n').pop()!);
    expect(m).toMatchObject({ examples: 24, head: 'sent', setup: 'sent' });
    expect(m.eval_accuracy).toBeCloseTo(summary.eval.eval_accuracy, 10);
    expect(m.eval_loss).toBeCloseTo(summary.eval.eval_loss, 5);
  });

  it('bad arguments: exit 2 naming the argument and the accepted values', () => {
    const cases: [string[], RegExp][] = [
      [['--optimizer', 'adam'], /--optimizer must be one of adamw, sgd \(got "adam"\)/],
      [['--schedule', 'step'], /--schedule must be one of constant, constant_with_warmup, linear, cosine/],
      [['--task', 'ner'], /--task must be one of classification/],
      [['--backend', 'gpu'], /--backend must be one of auto, cpu, wasm, webgpu, tensorflow/],
      [['--batch-size', '0'], /--batch-size must be an integer ≥ 1 \(got "0"\)/],
      [['--lr', 'fast'], /--lr must be a number ≥ 0 \(got "fast"\)/],
      [['--warmup-ratio', '2'], /--warmup-ratio must be between 0 and 1/],
      [['--early-stopping', '2'], /need --eval-dataset/],
      [['--frobnicate'], /Accepted options: .*--method/],
    ];
    for (const [extra, msg] of cases) {
      const r = run([...base(path.join(tmp, 'bad')), ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.err, extra.join(' ')).toMatch(msg);
    }
    const badMethod = run(['train', '--model', MODEL, '--method', 'lora[r=', '--dataset', TRAIN, '--output', tmp]);
    expect(badMethod.code).toBe(2);
    expect(badMethod.err).toMatch(/--method "lora\[r=" is not a valid adapter config .*Accepted: a preset name \(.*seq_bn.*\)/);
    const noData = run(['train', '--model', MODEL, '--method', 'lora', '--output', tmp]);
    expect(noData.code).toBe(2);
    expect(noData.err).toContain('--dataset is required');
    const txt = run(['train', '--model', MODEL, '--method', 'lora', '--dataset', 'data.txt', '--output', tmp]);
    expect(txt.code).toBe(2);
    expect(txt.err).toContain('--dataset must be a .jsonl, .json, .ndjson, .csv or .tsv file');
    const missing = run(['train', '--model', MODEL, '--method', 'lora', '--dataset', path.join(tmp, 'nope.jsonl'), '--output', tmp]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no such file');
  });
});

describe('adapters summary / info', () => {
  it('summary prints Python adapter_summary for added and loaded adapters', () => {
    const r = run(['summary', '--model', MODEL, '--add', 'l=lora', '--add', 'b=seq_bn', '--train', 'l']);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[1]).toMatch(/^Name\s+Architecture\s+#Param\s+%Param\s+Active\s+Train$/);
    expect(r.out).toMatch(/\nl\s+lora\s+[\d,]+\s+[\d.]+\s+True\s+True/);
    expect(r.out).toMatch(/\nb\s+bottleneck\s+[\d,]+\s+[\d.]+\s+False\s+False/);
    expect(r.out).toMatch(/Full model\s+[\d,]+\s+100\.000/);
    const j = run(['summary', '--model', MODEL, '--adapter', fixturePath('adapters', 'bert', 'lora'), '--json']);
    expect(j.code, j.err).toBe(0);
    expect(JSON.parse(j.out).map((row: { name: string }) => row.name)).toEqual(['lora', 'Full model']);
    const bad = run(['summary', '--model', MODEL, '--add', 'oops']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--add must be NAME=CONFIG');
  });

  it('info lists the backends and the one auto picks', () => {
    const r = run(['info']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/backends:\n/);
    expect(r.out).toMatch(/ {2}cpu\s+available/);
    expect(r.out).toMatch(/chosen \(auto\): (tensorflow|wasm|cpu)/);
    const j = JSON.parse(run(['info', '--json']).out);
    expect(j.backends.find((b: { name: string }) => b.name === 'wasm')).toBeDefined();
    expect(j.methods).toContain('lora');
    expect(j.models).toContain('bert');
  });
});

/** Reads every tensor of the adapter and head files of a trained folder. */
function trainedTensors(dir: string): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const f of ['adapter.safetensors', 'model_head.safetensors']) {
    const p = path.join(dir, f);
    for (const [k, t] of readSafetensorsAsTensors(new Uint8Array(readFileSync(p)), p)) out.set(`${f}:${k}`, t);
  }
  return out;
}

describe('SIGKILL mid-training, then --resume', () => {
  it('gives the same final adapter and head as an uninterrupted run (≤ 1e-6) and the same loss curve', async () => {
    const model = tinyBertWithDropout(path.join(tmp, 'tiny-dropout'));
    const args = (out: string): string[] => [
      'train', '--model', model, '--tokenizer', TOKENIZER, '--method', 'seq_bn', '--name', 'k', '--dataset', TRAIN,
      '--output', out, '--backend', 'cpu', '--batch-size', '4', '--grad-accum', '2', '--max-steps', '120', '--save-every', '10',
      '--lr', '0.003', '--schedule', 'linear', '--warmup-ratio', '0.1', '--weight-decay', '0.01', '--seed', '5',
    ];
    const full = path.join(tmp, 'full');
    const ref = run(args(full));
    expect(ref.code, ref.err).toBe(0);

    const killedDir = path.join(tmp, 'killed');
    const child = spawn(process.execPath, [BIN, ...args(killedDir)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (/checkpoint @ step 30:/.test(err) && !child.killed) child.kill('SIGKILL');
    });
    const killed = await exit;
    expect(killed.signal, err).toBe('SIGKILL');
    expect(existsSync(path.join(killedDir, 'k', 'adapter.safetensors'))).toBe(false); // it never finished
    const latest = JSON.parse(readFileSync(path.join(killedDir, 'latest-checkpoint.json'), 'utf8'));
    expect(latest.step).toBeGreaterThanOrEqual(30);
    expect(latest.step).toBeLessThan(120);

    const resumed = run([...args(killedDir), '--resume']);
    expect(resumed.code, resumed.err).toBe(0);
    expect(JSON.parse(resumed.out.trim().split('\n').pop()!).resumed_from).toBe(path.join(killedDir, `checkpoint-${latest.step}`));
    expect(resumed.err).toContain(`resumed from ${path.join(killedDir, `checkpoint-${latest.step}`)} at step ${latest.step}`);

    const a = trainedTensors(path.join(full, 'k'));
    const b = trainedTensors(path.join(killedDir, 'k'));
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, t] of a) expect(maxAbsDiff(t, b.get(k)!), k).toBeLessThanOrEqual(1e-6);

    const losses = (dir: string): number[] =>
      readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.kind === 'step').map((e) => e.loss);
    expect(losses(killedDir)).toEqual(losses(full));
    expect(losses(full)).toHaveLength(120);
  }, 600_000);
});
