import { loadAdapter, parseSafetensors, utf8 } from '@adapters/core';
import { maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { adaptersToPeft, matchesTarget, peftToAdapters } from '../src';
import { BERT, fixtureInputs, hidden, memoryCopy, tinyBert, tinyConfig } from './helpers';

const ALL_LINEAR = (layers: number): string[] =>
  Array.from({ length: layers }, (_, i) =>
    ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense', 'intermediate.dense', 'output.dense'].map((m) => `encoder.layer.${i}.${m}`),
  ).flat();

function peftJson(mem: { files: Map<string, Uint8Array> }, dir: string): Record<string, unknown> {
  return JSON.parse(utf8.decode(mem.files.get(`${dir}/adapter_config.json`)!)) as Record<string, unknown>;
}

describe('adapters → PEFT → adapters (LoRA, (IA)³) keeps outputs identical and writes PEFT names and shapes', () => {
  it('LoRA (q, v): PEFT keys base_model.model.<module>.lora_A.weight [r, in] / lora_B.weight [out, r]', async () => {
    const mem = memoryCopy('in', 'adapters', 'bert', 'lora');
    await adaptersToPeft(mem, 'in', 'peft', { modelConfig: tinyConfig(), model: BERT });
    const st = parseSafetensors(mem.files.get('peft/adapter_model.safetensors')!);
    expect(st.metadata).toEqual({ format: 'pt' });
    const shapes = Object.fromEntries([...st.tensors].map(([k, t]) => [k, t.shape]));
    const expected: Record<string, number[]> = {};
    for (const l of [0, 1]) {
      for (const m of ['query', 'value']) {
        expected[`base_model.model.encoder.layer.${l}.attention.self.${m}.lora_A.weight`] = [8, 32];
        expected[`base_model.model.encoder.layer.${l}.attention.self.${m}.lora_B.weight`] = [32, 8];
      }
    }
    expect(shapes).toEqual(expected);
    const cfg = peftJson(mem, 'peft');
    expect(cfg).toMatchObject({
      peft_type: 'LORA',
      r: 8,
      lora_alpha: 8,
      lora_dropout: 0,
      bias: 'none',
      target_modules: ['query', 'value'],
      layers_to_transform: null,
      fan_in_fan_out: false,
      task_type: null,
      base_model_name_or_path: 'tiny-bert',
      use_rslora: false,
      use_dora: false,
    });
    expect(utf8.decode(mem.files.get('peft/adapter_config.json')!)).toContain('"lora_dropout": 0.0');

    const name = await peftToAdapters(mem, 'peft', 'back', { modelConfig: tinyConfig(), model: BERT, name: 'lora' });
    const model = await tinyBert();
    await loadAdapter(model, mem, 'in', { loadAs: 'orig' });
    await loadAdapter(model, mem, 'back');
    const inputs = fixtureInputs();
    model.setActiveAdapters('orig');
    const a = hidden(model, inputs);
    model.setActiveAdapters(name);
    const b = hidden(model, inputs);
    expect(maxAbsDiff(a, b)).toBe(0);
    const expectedOut = readFixtureTensors('expected', 'bert', 'lora.safetensors');
    expect(maxAbsDiff(b, expectedOut.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
    tf.dispose([a, b, ...expectedOut.values(), ...Object.values(inputs)]);
    model.dispose();
  });

  it('LoRA on q, k, v and both FFN projections: target_modules is an exact regex (output.dense is ambiguous)', async () => {
    const mem = memoryCopy('in', 'adapters', 'bert', 'lora_qkv_ffn');
    await adaptersToPeft(mem, 'in', 'peft', { modelConfig: tinyConfig(), model: BERT });
    const target = peftJson(mem, 'peft').target_modules as string;
    expect(typeof target).toBe('string');
    // PEFT's own matching selects exactly the modules that have weights (not attention.output.dense).
    const selected = ALL_LINEAR(2).filter((p) => matchesTarget(p, target));
    expect(selected).toEqual(ALL_LINEAR(2).filter((p) => !p.endsWith('attention.output.dense')));
    expect(ALL_LINEAR(2).filter((p) => matchesTarget(`bert.${p}`, target))).toEqual(selected);
    await peftToAdapters(mem, 'peft', 'back', { modelConfig: tinyConfig(), model: BERT });
    const back = JSON.parse(utf8.decode(mem.files.get('back/adapter_config.json')!)) as { config: Record<string, unknown> };
    expect(back.config).toMatchObject({ attn_matrices: ['q', 'k', 'v'], intermediate_lora: true, output_lora: true, selfattn_lora: true, leave_out: [] });
    const model = await tinyBert();
    await loadAdapter(model, mem, 'back', { setActive: true });
    const inputs = fixtureInputs();
    const b = hidden(model, inputs);
    const expectedOut = readFixtureTensors('expected', 'bert', 'lora_qkv_ffn.safetensors');
    expect(maxAbsDiff(b, expectedOut.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
    tf.dispose([b, ...expectedOut.values(), ...Object.values(inputs)]);
    model.dispose();
  });

  it('(IA)³: ia3_l [out, 1] on key, value, intermediate.dense; no feed-forward modules; outputs identical', async () => {
    const mem = memoryCopy('in', 'adapters', 'bert', 'ia3');
    await adaptersToPeft(mem, 'in', 'peft', { modelConfig: tinyConfig(), model: BERT });
    const st = parseSafetensors(mem.files.get('peft/adapter_model.safetensors')!).tensors;
    expect([...st.keys()].sort()).toEqual(
      [0, 1].flatMap((l) => ['attention.self.key', 'attention.self.value', 'intermediate.dense'].map((m) => `base_model.model.encoder.layer.${l}.${m}.ia3_l`)).sort(),
    );
    expect(st.get('base_model.model.encoder.layer.0.intermediate.dense.ia3_l')!.shape).toEqual([37, 1]);
    expect(peftJson(mem, 'peft')).toMatchObject({ peft_type: 'IA3', target_modules: ['intermediate.dense', 'key', 'value'], feedforward_modules: [] });
    await peftToAdapters(mem, 'peft', 'back', { modelConfig: tinyConfig(), model: BERT });
    const model = await tinyBert();
    await loadAdapter(model, mem, 'back', { setActive: true });
    const inputs = fixtureInputs();
    const b = hidden(model, inputs);
    const expectedOut = readFixtureTensors('expected', 'bert', 'ia3.safetensors');
    expect(maxAbsDiff(b, expectedOut.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
    tf.dispose([b, ...expectedOut.values(), ...Object.values(inputs)]);
    model.dispose();
  });

  it('without the model config, target_modules is an exact regex; task types that wrap <Model>For… get the base prefix', async () => {
    const mem = memoryCopy('in', 'adapters', 'bert', 'lora');
    await adaptersToPeft(mem, 'in', 'peft', { model: BERT, taskType: 'SEQ_CLS' });
    const cfg = peftJson(mem, 'peft');
    expect(cfg.task_type).toBe('SEQ_CLS');
    expect(matchesTarget('bert.encoder.layer.1.attention.self.value', cfg.target_modules as string)).toBe(true);
    expect(matchesTarget('bert.encoder.layer.1.attention.self.key', cfg.target_modules as string)).toBe(false);
    const keys = [...parseSafetensors(mem.files.get('peft/adapter_model.safetensors')!).tensors.keys()];
    expect(keys.every((k) => k.startsWith('base_model.model.bert.encoder.layer.'))).toBe(true);
  });
});
