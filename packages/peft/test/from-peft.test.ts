import { AdapterConfigError, MemoryStorage, type RawTensor, float32ToRaw, loadAdapter, pythonJsonDumps, serializeSafetensors, utf8 } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff } from '@adapters/core/testing';
import { AutoAdapterModel, loadAdapterWithHead } from '@adapters/heads';
import { ia3 } from '@adapters/ia3';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { peftToAdapters } from '../src';
import { BERT, fixtureInputs, hidden, tinyBert, tinyConfig } from './helpers';

let seed = 1;
function rand(shape: number[], scale = 0.3): { raw: RawTensor; t: tf.Tensor } {
  const t = tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed++), scale);
  return { raw: float32ToRaw(t.dataSync() as Float32Array, shape), t };
}

async function writePeftDir(mem: MemoryStorage, dir: string, config: Record<string, unknown>, tensors: Map<string, RawTensor>): Promise<void> {
  await mem.writeFile(`${dir}/adapter_config.json`, utf8.encode(pythonJsonDumps(config, { indent: 2, sortKeys: true })));
  await mem.writeFile(`${dir}/adapter_model.safetensors`, serializeSafetensors(tensors, { format: 'pt' }));
}

/** Folds `delta` (PyTorch layout [out, in]) into a base kernel stored [in, out]: W ← W + deltaᵀ. */
function addDelta(model: { weights: Map<string, tf.Variable> }, key: string, delta: tf.Tensor): void {
  const w = model.weights.get(key)!;
  const next = tf.add(w, tf.transpose(delta));
  w.assign(next);
  next.dispose();
}

describe('PEFT checkpoints → adapters: PEFT semantics reproduced in closed form', () => {
  it('LoRA with use_rslora: output equals the base model with W + (lora_alpha/√r)·B·A merged', async () => {
    const r = 4;
    const mem = new MemoryStorage();
    const tensors = new Map<string, RawTensor>();
    const deltas: [string, tf.Tensor][] = [];
    for (const l of [0, 1]) {
      for (const m of ['query', 'value']) {
        const a = rand([r, 32]);
        const b = rand([32, r]);
        const p = `encoder.layer.${l}.attention.self.${m}`;
        tensors.set(`base_model.model.${p}.lora_A.weight`, a.raw);
        tensors.set(`base_model.model.${p}.lora_B.weight`, b.raw);
        deltas.push([`${p}.weight`, tf.mul(tf.matMul(b.t, a.t), 16 / Math.sqrt(r))]);
        tf.dispose([a.t, b.t]);
      }
    }
    await writePeftDir(mem, 'p', { peft_type: 'LORA', r, lora_alpha: 16, use_rslora: true, target_modules: ['query', 'value'], task_type: 'FEATURE_EXTRACTION' }, tensors);
    await peftToAdapters(mem, 'p', 'a', { modelConfig: tinyConfig(), model: BERT, name: 'x' });
    const cfg = JSON.parse(utf8.decode(mem.files.get('a/adapter_config.json')!)) as { config: Record<string, unknown>; name: string };
    expect(cfg.name).toBe('x');
    expect(cfg.config).toMatchObject({ r: 4, alpha: 32, attn_matrices: ['q', 'v'], selfattn_lora: true, intermediate_lora: false, output_lora: false });
    const model = await tinyBert();
    await loadAdapter(model, mem, 'a', { setActive: true });
    const inputs = fixtureInputs();
    const y = hidden(model, inputs);
    const merged = await tinyBert();
    for (const [k, d] of deltas) addDelta(merged, k, d);
    const ref = hidden(merged, inputs);
    expect(maxAbsDiff(y, ref)).toBeLessThanOrEqual(1e-5);
    tf.dispose([y, ref, ...deltas.map(([, d]) => d), ...Object.values(inputs)]);
    model.dispose();
    merged.dispose();
  });

  it('IA3 on key/value only of layer 1: output equals the base with kernel columns and bias scaled; leave_out = [0]', async () => {
    const mem = new MemoryStorage();
    const tensors = new Map<string, RawTensor>();
    const scales: [string, tf.Tensor][] = [];
    for (const m of ['key', 'value']) {
      const l = tf.tidy(() => tf.add(1, tf.mul(tf.randomNormal([32, 1], 0, 1, 'float32', seed++), 0.3)));
      tensors.set(`base_model.model.encoder.layer.1.attention.self.${m}.ia3_l`, float32ToRaw(l.dataSync() as Float32Array, [32, 1]));
      scales.push([`encoder.layer.1.attention.self.${m}`, l]);
    }
    await writePeftDir(mem, 'p', { peft_type: 'IA3', target_modules: '.*layer\\.1\\.attention\\.self\\.(key|value)', feedforward_modules: [] }, tensors);
    await peftToAdapters(mem, 'p', 'a', { modelConfig: tinyConfig(), model: BERT });
    const cfg = JSON.parse(utf8.decode(mem.files.get('a/adapter_config.json')!)) as { config: Record<string, unknown> };
    expect(cfg.config).toMatchObject({ composition_mode: 'scale', r: 1, alpha: 1, attn_matrices: ['k', 'v'], intermediate_lora: false, leave_out: [0] });
    const model = await tinyBert();
    await loadAdapter(model, mem, 'a', { setActive: true });
    const inputs = fixtureInputs();
    const y = hidden(model, inputs);
    const scaled = await tinyBert();
    for (const [p, l] of scales) {
      for (const [key, s] of [[`${p}.weight`, tf.reshape(l, [1, 32])], [`${p}.bias`, tf.reshape(l, [32])]] as const) {
        const w = scaled.weights.get(key)!;
        const next = tf.mul(w, s);
        w.assign(next);
        tf.dispose([next, s]);
      }
    }
    const ref = hidden(scaled, inputs);
    expect(maxAbsDiff(y, ref)).toBeLessThanOrEqual(1e-5);
    tf.dispose([y, ref, ...scales.map(([, l]) => l), ...Object.values(inputs)]);
    model.dispose();
    scaled.dispose();
  });

  it('SEQ_CLS with the classifier in modules_to_save becomes adapter + flex classification head (pooler → classifier)', async () => {
    const mem = new MemoryStorage();
    const a = rand([2, 32]);
    const b = rand([32, 2]);
    const w = rand([3, 32]);
    const bias = rand([3]);
    const p = 'bert.encoder.layer.0.attention.self.query';
    const tensors = new Map<string, RawTensor>([
      [`base_model.model.${p}.lora_A.weight`, a.raw],
      [`base_model.model.${p}.lora_B.weight`, b.raw],
      ['base_model.model.classifier.weight', w.raw],
      ['base_model.model.classifier.bias', bias.raw],
    ]);
    await writePeftDir(mem, 'p', { peft_type: 'LORA', r: 2, lora_alpha: 4, target_modules: ['query'], layers_to_transform: [0], task_type: 'SEQ_CLS', modules_to_save: ['classifier'] }, tensors);
    await peftToAdapters(mem, 'p', 'a', { modelConfig: { ...tinyConfig(), id2label: { 0: 'neg', 1: 'neu', 2: 'pos' } }, model: BERT, name: 'sst' });
    const headCfg = JSON.parse(utf8.decode(mem.files.get('a/head_config.json')!)) as { config: Record<string, unknown>; model_class: string };
    expect(headCfg.model_class).toBe('BertAdapterModel');
    expect(headCfg.config).toEqual({ head_type: 'classification', layers: 1, activation_function: null, use_pooler: true, num_labels: 3, label2id: { neg: 0, neu: 1, pos: 2 } });
    const model = await AutoAdapterModel.fromPretrained(nodeStorage, fixturePath('models', 'tiny-bert'), { model: BERT, methods: [lora, ia3] });
    const r = await loadAdapterWithHead(model, mem, 'a', { setActive: true });
    expect(r).toEqual({ adapter: 'sst', head: 'sst' });
    expect(model.headConfig('sst').label2id).toEqual({ neg: 0, neu: 1, pos: 2 });
    const inputs = fixtureInputs();
    const out = model.forward(inputs);
    const manual = tf.tidy(() => tf.add(tf.matMul(out.pooler_output!, w.t, false, true), bias.t));
    expect(maxAbsDiff(out.logits!, manual)).toBeLessThanOrEqual(1e-5);
    // The LoRA is active: without it the logits differ.
    const plain = model.forward(inputs, { setup: null });
    expect(maxAbsDiff(plain.pooler_output!, out.pooler_output!)).toBeGreaterThan(1e-4);
    for (const o of [out, plain]) for (const v of Object.values(o)) if (v) tf.dispose(v);
    tf.dispose([a.t, b.t, w.t, bias.t, manual, ...Object.values(inputs)]);
    model.dispose();
  });
});

describe('what does not map is rejected with the field named', () => {
  const lora2 = (): Map<string, RawTensor> =>
    new Map([
      ['base_model.model.encoder.layer.0.attention.self.query.lora_A.weight', rand([2, 32]).raw],
      ['base_model.model.encoder.layer.0.attention.self.query.lora_B.weight', rand([32, 2]).raw],
    ]);
  const cases: [string, Record<string, unknown>, Map<string, RawTensor>, string][] = [
    ['bias = "all"', { peft_type: 'LORA', r: 2, lora_alpha: 2, bias: 'all' }, lora2(), 'bias'],
    ['DoRA', { peft_type: 'LORA', r: 2, lora_alpha: 2, use_dora: true }, lora2(), 'use_dora'],
    ['rank_pattern', { peft_type: 'LORA', r: 2, lora_alpha: 2, rank_pattern: { query: 4 } }, lora2(), 'rank_pattern'],
    [
      'attention output projection',
      { peft_type: 'LORA', r: 2, lora_alpha: 2 },
      new Map([
        ['base_model.model.encoder.layer.0.attention.output.dense.lora_A.weight', rand([2, 32]).raw],
        ['base_model.model.encoder.layer.0.attention.output.dense.lora_B.weight', rand([32, 2]).raw],
      ]),
      'target_modules',
    ],
    [
      'different modules per layer',
      { peft_type: 'LORA', r: 2, lora_alpha: 2 },
      new Map([
        ...lora2(),
        ['base_model.model.encoder.layer.1.attention.self.value.lora_A.weight', rand([2, 32]).raw],
        ['base_model.model.encoder.layer.1.attention.self.value.lora_B.weight', rand([32, 2]).raw],
      ]),
      'target_modules',
    ],
    [
      'feed-forward IA3 (input scaling)',
      { peft_type: 'IA3', feedforward_modules: ['output.dense'] },
      new Map([['base_model.model.encoder.layer.0.output.dense.ia3_l', rand([1, 37]).raw]]),
      'feedforward_modules',
    ],
    ['prompt tuning', { peft_type: 'PROMPT_TUNING' }, new Map([['prompt_embeddings', rand([4, 32]).raw]]), 'peft_type'],
  ];
  for (const [what, config, tensors, field] of cases) {
    it(what, async () => {
      const mem = new MemoryStorage();
      await writePeftDir(mem, 'p', config, tensors);
      const err = await peftToAdapters(mem, 'p', 'a', { modelConfig: tinyConfig(), model: BERT }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AdapterConfigError);
      expect((err as AdapterConfigError).field).toBe(field);
    });
  }
});
