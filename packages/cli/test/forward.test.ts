import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readSafetensorsAsTensors } from '@adapters/core';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src';

const BIN = path.resolve(__dirname, '../dist/bin.js');

function run(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function readOut(file: string): Map<string, import('@tensorflow/tfjs-core').Tensor> {
  return readSafetensorsAsTensors(new Uint8Array(readFileSync(file)), file);
}

describe('adapters forward (spawned from dist/, as users run it)', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'adapters-cli-'));

  it('dist/bin.js exists (CI builds before testing)', () => {
    expect(existsSync(BIN), `${BIN} missing: run pnpm build first`).toBe(true);
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`tiny-bert + LoRA fixture on ${backend} matches Python`, () => {
      const out = path.join(tmp, `lora-${backend}.safetensors`);
      const r = run([
        'forward',
        '--model', fixturePath('models', 'tiny-bert'),
        '--adapter', fixturePath('adapters', 'bert', 'lora'),
        '--inputs', fixturePath('io', 'inputs.safetensors'),
        '--out', out,
        '--backend', backend,
      ]);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out.trim().split('\n').pop()!)).toMatchObject({ setup: 'lora', backend });
      const got = readOut(out);
      const expected = readFixtureTensors('expected', 'bert', 'lora.safetensors');
      const tol = backend === 'cpu' ? 1e-5 : 1e-4;
      expect(maxAbsDiff(got.get('last_hidden_state')!, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(tol);
      expect(maxAbsDiff(got.get('pooler_output')!, expected.get('pooler_output')!)).toBeLessThanOrEqual(tol);
    });
  }

  it('exit code 2 and the accepted values for a bad --backend', () => {
    const r = run(['forward', '--model', 'x', '--inputs', 'y', '--out', 'z', '--backend', 'gpu']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--backend must be one of cpu, wasm, webgpu, tensorflow');
  });

  it('exit code 2 for a missing required argument, 1 for a missing model folder', () => {
    expect(run(['forward', '--inputs', 'y', '--out', 'z']).err).toContain('--model is required');
    const r = run(['forward', '--model', path.join(tmp, 'nope'), '--inputs', 'y', '--out', 'z']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('nope');
  });

  it('unknown command → exit 2 listing the commands', () => {
    const r = run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Accepted commands: forward');
  });
});

describe('adapters forward (in process)', () => {
  it('runs the base model with --setup omitted and no adapter', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'adapters-cli-')), 'base.safetensors');
    let stdout = '';
    const code = await runCli(
      ['forward', '--model', fixturePath('models', 'tiny-bert'), '--inputs', fixturePath('io', 'inputs.safetensors'), '--out', out],
      { stdout: (t) => (stdout += t), stderr: () => undefined },
    );
    expect(code).toBe(0);
    expect(stdout).toContain('last_hidden_state');
    const expected = readFixtureTensors('expected', 'bert', 'base.safetensors');
    expect(maxAbsDiff(readOut(out).get('last_hidden_state')!, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
  });
});

describe('adapters forward with a fusion folder', () => {
  it('Fuse(a, b) from --adapter a --adapter b --adapter fusion_a_b --setup "Fuse(a,b)" matches Python', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'adapters-cli-')), 'fuse.safetensors');
    const r = run([
      'forward',
      '--model', fixturePath('models', 'tiny-bert'),
      '--adapter', fixturePath('compositions', 'bert', 'a'),
      '--adapter', fixturePath('compositions', 'bert', 'b'),
      '--adapter', fixturePath('compositions', 'bert', 'fusion_a_b'),
      '--setup', 'Fuse(a, b)',
      '--inputs', fixturePath('io', 'inputs.safetensors'),
      '--out', out,
    ]);
    expect(r.code, r.err).toBe(0);
    const expected = readFixtureTensors('expected', 'bert', 'comp-fuse_a_b.safetensors');
    expect(maxAbsDiff(readOut(out).get('last_hidden_state')!, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
  });
});
