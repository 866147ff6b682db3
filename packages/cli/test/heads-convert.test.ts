import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bert } from '@adapters/bert';
import { type ModelDefinition, parseSafetensors, readSafetensorsAsTensors } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, perturbAdapter, readFixtureTensors } from '@adapters/core/testing';
import { AutoAdapterModel, type FlexHeadModel, loadHead, saveAdapterWithHead } from '@adapters/heads';
import { lora } from '@adapters/lora';
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src';

const MODEL = fixturePath('models', 'tiny-bert');
const INPUTS = fixturePath('io', 'inputs.safetensors');
const QA = fixturePath('heads', 'bert', 'qa');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

function readOut(file: string): Map<string, tf.Tensor> {
  return readSafetensorsAsTensors(new Uint8Array(readFileSync(file)), file);
}

async function flexBert(): Promise<FlexHeadModel> {
  return AutoAdapterModel.fromPretrained(nodeStorage, MODEL, { model: bert as ModelDefinition<unknown>, methods: [lora] });
}

describe('adapters forward with prediction heads (in process)', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'adapters-cli-heads-'));
  const clsDir = path.join(tmp, 'cls');
  let reference: { cls: tf.Tensor; qaStart: tf.Tensor; qaEnd: tf.Tensor; qaWithClsStart: tf.Tensor };

  beforeAll(async () => {
    // An adapter saved with its head (Python save_adapter(with_head=True)), and in-process references.
    const model = await flexBert();
    model.addAdapter('cls', 'lora');
    perturbAdapter(model, 'cls');
    model.addClassificationHead('cls', { numLabels: 3 });
    await saveAdapterWithHead(model, nodeStorage, clsDir, 'cls');
    await loadHead(model, nodeStorage, QA);
    const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
    const cls = model.forward(inputs, { setup: 'cls' }).logits!;
    const qa = model.forward(inputs, { setup: null, head: 'qa' });
    const qaWithCls = model.forward(inputs, { setup: 'cls', head: 'qa' });
    reference = { cls, qaStart: qa.start_logits!, qaEnd: qa.end_logits!, qaWithClsStart: qaWithCls.start_logits! };
    model.dispose();
  });

  it('--adapter DIR of an adapter saved with its head: the head follows the adapter, output "logits"', async () => {
    const out = path.join(tmp, 'cls.safetensors');
    const r = await cli(['forward', '--model', MODEL, '--adapter', clsDir, '--inputs', INPUTS, '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out.trim())).toMatchObject({ setup: 'cls', heads: ['cls'] });
    const got = readOut(out);
    expect(maxAbsDiff(got.get('logits')!, reference.cls)).toBeLessThanOrEqual(1e-6);
    expect(got.has('last_hidden_state')).toBe(true);
  });

  it('--adapter DIR of a saveHead folder (QA): start_logits / end_logits', async () => {
    const out = path.join(tmp, 'qa.safetensors');
    const r = await cli(['forward', '--model', MODEL, '--adapter', QA, '--inputs', INPUTS, '--out', out]);
    expect(r.code, r.err).toBe(0);
    const got = readOut(out);
    expect(got.has('logits')).toBe(false);
    expect(maxAbsDiff(got.get('start_logits')!, reference.qaStart)).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(got.get('end_logits')!, reference.qaEnd)).toBeLessThanOrEqual(1e-6);
  });

  it('--head NAME overrides the head the adapter setup implies', async () => {
    const out = path.join(tmp, 'override.safetensors');
    const r = await cli(['forward', '--model', MODEL, '--adapter', clsDir, '--adapter', QA, '--setup', 'cls', '--head', 'qa', '--inputs', INPUTS, '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out.trim())).toMatchObject({ heads: ['qa'] });
    expect(maxAbsDiff(readOut(out).get('start_logits')!, reference.qaWithClsStart)).toBeLessThanOrEqual(1e-6);
  });

  it('an unknown --head is a runtime error naming the heads', async () => {
    const r = await cli(['forward', '--model', MODEL, '--adapter', QA, '--head', 'nope', '--inputs', INPUTS, '--out', path.join(tmp, 'x.safetensors')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("Unknown head_name 'nope'");
  });
});

describe('adapters convert', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'adapters-cli-convert-'));

  it('adapters → peft → adapters (LoRA fixture) keeps Python parity; PEFT names and shapes', async () => {
    const peft = path.join(tmp, 'peft');
    const back = path.join(tmp, 'back');
    let r = await cli(['convert', '--from', 'adapters', '--to', 'peft', '--in', fixturePath('adapters', 'bert', 'lora'), '--out', peft, '--model', MODEL]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out.trim())).toMatchObject({ peft_type: 'LORA', target_modules: ['query', 'value'] });
    const st = parseSafetensors(new Uint8Array(readFileSync(path.join(peft, 'adapter_model.safetensors')))).tensors;
    expect(st.get('base_model.model.encoder.layer.1.attention.self.value.lora_B.weight')!.shape).toEqual([32, 8]);
    r = await cli(['convert', '--from', 'peft', '--to', 'adapters', '--in', peft, '--out', back, '--model', MODEL, '--name', 'lora']);
    expect(r.code, r.err).toBe(0);
    const out = path.join(tmp, 'out.safetensors');
    r = await cli(['forward', '--model', MODEL, '--adapter', back, '--inputs', INPUTS, '--out', out]);
    expect(r.code, r.err).toBe(0);
    const expected = readFixtureTensors('expected', 'bert', 'lora.safetensors');
    expect(maxAbsDiff(readOut(out).get('last_hidden_state')!, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
  });

  it('usage errors (exit 2): same format twice, peft without --model, bad --task-type', async () => {
    expect((await cli(['convert', '--from', 'peft', '--to', 'peft', '--in', 'a', '--out', 'b'])).code).toBe(2);
    const noModel = await cli(['convert', '--from', 'peft', '--to', 'adapters', '--in', 'a', '--out', 'b']);
    expect(noModel.code).toBe(2);
    expect(noModel.err).toContain('--model');
    const bad = await cli(['convert', '--from', 'adapters', '--to', 'peft', '--in', 'a', '--out', 'b', '--task-type', 'NOPE']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('SEQ_CLS');
  });

  it('forward on a PEFT folder points to convert (exit 1)', async () => {
    const peft = path.join(tmp, 'peft2');
    await cli(['convert', '--from', 'adapters', '--to', 'peft', '--in', fixturePath('adapters', 'bert', 'lora'), '--out', peft]);
    const r = await cli(['forward', '--model', MODEL, '--adapter', peft, '--inputs', INPUTS, '--out', path.join(tmp, 'y.safetensors')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('adapters convert --from peft');
  });
});
