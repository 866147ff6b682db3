import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readSafetensorsAsTensors } from '@adapters/core';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src';

/**
 * `adapters forward` on the vision / speech / multimodal architecture fixtures (transformers 4.47 +
 * adapters 1.1.0, `architectures/<arch>`): the base model, LoRA and seq_bn saved by Python, every output
 * of the expected file within 1e-5 on cpu. Whisper: by default the CLI reproduces the library's
 * missing query scaling (expected-{lora,seq_bn} and expected-adapters-init); with
 * `"adapters_query_scaling": "hf"` in config.json it computes the fixed variant (expected.safetensors,
 * expected-{lora,seq_bn}-fixed).
 */
async function forward(model: string, adapter: string | null, inputs: string): Promise<Map<string, import('@tensorflow/tfjs-core').Tensor>> {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'adapters-cli-mm-')), 'out.safetensors');
  let stderr = '';
  const args = ['forward', '--model', model, '--inputs', inputs, '--out', out, ...(adapter ? ['--adapter', adapter] : [])];
  const code = await runCli(args, { stdout: () => undefined, stderr: (t) => (stderr += t) });
  expect(code, stderr).toBe(0);
  return readSafetensorsAsTensors(new Uint8Array(readFileSync(out)), out);
}

function compare(got: Map<string, import('@tensorflow/tfjs-core').Tensor>, expected: Map<string, import('@tensorflow/tfjs-core').Tensor>): Record<string, number> {
  const d: Record<string, number> = {};
  for (const [k, e] of expected) {
    const g = got.get(k);
    expect(g, `output ${k}`).toBeDefined();
    d[k] = maxAbsDiff(g!, e);
    expect(d[k], k).toBeLessThanOrEqual(1e-5);
  }
  return d;
}

const CASES: [arch: string, adapter: string | null, expected: string][] = [
  ['vit', null, 'expected.safetensors'],
  ['vit', 'lora', 'expected-lora.safetensors'],
  ['vit', 'seq_bn', 'expected-seq_bn.safetensors'],
  ['beit', null, 'expected.safetensors'],
  ['beit', 'lora', 'expected-lora.safetensors'],
  ['beit', 'seq_bn', 'expected-seq_bn.safetensors'],
  ['clip', null, 'expected.safetensors'],
  ['clip', 'lora', 'expected-lora.safetensors'],
  ['clip', 'seq_bn', 'expected-seq_bn.safetensors'],
  // Whisper default = the Python library's behaviour (query scaling dropped).
  ['whisper', null, 'expected-adapters-init.safetensors'],
  ['whisper', 'lora', 'expected-lora.safetensors'],
  ['whisper', 'seq_bn', 'expected-seq_bn.safetensors'],
];

describe('adapters forward on vit / beit / clip / whisper matches the Python reference (cpu, ≤ 1e-5)', () => {
  for (const [arch, adapter, expectedFile] of CASES) {
    it(`${arch} ${adapter ?? 'base'} = ${expectedFile}`, async () => {
      const got = await forward(
        fixturePath('architectures', arch, 'model'),
        adapter ? fixturePath('architectures', arch, 'adapters', adapter) : null,
        fixturePath('architectures', arch, 'inputs.safetensors'),
      );
      console.log(`cli ${arch} ${adapter ?? 'base'}`, compare(got, readFixtureTensors('architectures', arch, expectedFile)));
    });
  }

  it('whisper with "adapters_query_scaling": "hf" (the fix) = expected.safetensors, expected-lora-fixed, expected-seq_bn-fixed', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'adapters-cli-whisper-')), 'model');
    cpSync(fixturePath('architectures', 'whisper', 'model'), dir, { recursive: true });
    const cfgPath = path.join(dir, 'config.json');
    writeFileSync(cfgPath, JSON.stringify({ ...JSON.parse(readFileSync(cfgPath, 'utf8')), adapters_query_scaling: 'hf' }));
    const inputs = fixturePath('architectures', 'whisper', 'inputs.safetensors');
    for (const [adapter, file] of [[null, 'expected.safetensors'], ['lora', 'expected-lora-fixed.safetensors'], ['seq_bn', 'expected-seq_bn-fixed.safetensors']] as const) {
      const got = await forward(dir, adapter ? fixturePath('architectures', 'whisper', 'adapters', adapter) : null, inputs);
      console.log(`cli whisper fixed ${adapter ?? 'base'}`, compare(got, readFixtureTensors('architectures', 'whisper', file)));
    }
  });
});
