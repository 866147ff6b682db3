import { type AdapterModel, createRandomModel } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { causalMask, gemma, llama, mistral, pastKey, presentKey, qwen2 } from '../src';
import { ids, seqSlice, tinyConfig } from './helpers';

type Def = typeof llama;
const families: [string, Def, Record<string, unknown>][] = [
  ['llama', llama, tinyConfig],
  ['mistral (window 3)', mistral, { ...tinyConfig, model_type: 'mistral', sliding_window: 3 }],
  ['qwen2', qwen2 as Def, { ...tinyConfig, model_type: 'qwen2' }],
  ['gemma', gemma as Def, { ...tinyConfig, model_type: 'gemma', head_dim: 6 }],
];

const tokens = [
  [5, 9, 12, 3, 33, 7, 21, 14, 6],
  [8, 4, 17, 30, 11, 25, 19, 0, 0],
];
const mask = [
  [1, 1, 1, 1, 1, 1, 1, 1, 1],
  [1, 1, 1, 1, 1, 1, 1, 0, 0],
];
const cols = (rows: number[][], a: number, b: number): number[][] => rows.map((r) => r.slice(a, b));

/** Runs the prompt in chunks split at `cuts`, threading the cache; returns the concatenated hidden states. */
function chunked(model: AdapterModel, cuts: number[]): tf.Tensor {
  const L = model.info.numLayers;
  let past: Record<string, tf.Tensor> = {};
  const outs: tf.Tensor[] = [];
  const bounds = [0, ...cuts, tokens[0]!.length];
  for (let s = 0; s + 1 < bounds.length; s++) {
    const [a, b] = [bounds[s]!, bounds[s + 1]!];
    const inputs = { input_ids: ids(cols(tokens, a, b)), attention_mask: ids(cols(mask, 0, b)), use_cache: tf.scalar(1, 'int32'), ...past };
    const out = model.forward(inputs);
    outs.push(out.last_hidden_state);
    tf.dispose([inputs.input_ids, inputs.attention_mask, inputs.use_cache, ...Object.values(past)]);
    past = {};
    for (let i = 0; i < L; i++) {
      const k = out[presentKey(i, 'key')] as tf.Tensor;
      const v = out[presentKey(i, 'value')] as tf.Tensor;
      expect(k.shape[2]).toBe(b);
      past[pastKey(i, 'key')] = k;
      past[pastKey(i, 'value')] = v;
    }
  }
  tf.dispose(Object.values(past));
  const all = tf.concat(outs, 1);
  tf.dispose(outs);
  return all;
}

function full(model: AdapterModel, rows = tokens): tf.Tensor {
  const inputs = { input_ids: ids(rows), attention_mask: ids(mask) };
  const out = model.forward(inputs).last_hidden_state;
  tf.dispose(Object.values(inputs));
  return out;
}

describe('KV cache and causality', () => {
  for (const [name, def, json] of families) {
    it(`${name}: prompt in two chunks (and token by token) with past_key_values equals one full pass`, () => {
      const model = createRandomModel(def, json, { seed: 7, std: 0.3 });
      const ref = full(model);
      for (const cuts of [[4], [1, 2, 3, 4, 5, 6, 7, 8]]) {
        const got = chunked(model, cuts);
        expect(maxAbsDiff(got, ref)).toBeLessThan(2e-5);
        got.dispose();
      }
      ref.dispose();
      model.dispose();
    });

    it(`${name}: changing future tokens never changes past outputs`, () => {
      const model = createRandomModel(def, json, { seed: 8, std: 0.3 });
      const a = full(model);
      const changed = tokens.map((r) => r.map((t, j) => (j >= 5 ? (t * 7 + 3) % 40 : t)));
      const b = full(model, changed);
      expect(maxAbsDiff(seqSlice(a, 0, 5), seqSlice(b, 0, 5))).toBe(0);
      expect(maxAbsDiff(seqSlice(a, 5, 7), seqSlice(b, 5, 7))).toBeGreaterThan(1e-3);
      tf.dispose([a, b]);
      model.dispose();
    });
  }

  it('present_key_values appear only with use_cache or a past; shape [B, kv_heads, T, head_dim] (keys after RoPE)', () => {
    const model = createRandomModel(llama, tinyConfig, { seed: 9 });
    const x = { input_ids: ids(cols(tokens, 0, 3)) };
    const plain = model.forward(x);
    expect(Object.keys(plain).some((k) => k.startsWith('present'))).toBe(false);
    const cached = model.forward({ ...x, use_cache: tf.scalar(1, 'int32') });
    expect((cached[presentKey(1, 'value')] as tf.Tensor).shape).toEqual([2, 2, 3, 4]);
    const off = model.forward({ ...x, use_cache: tf.scalar(0, 'int32') });
    expect(off[presentKey(0, 'key')]).toBeUndefined();
    model.dispose();
  });

  it('explicit position_ids equal the default continuation from T_past', () => {
    const model = createRandomModel(llama, tinyConfig, { seed: 10, std: 0.3 });
    const first = model.forward({ input_ids: ids(cols(tokens, 0, 4)), use_cache: tf.scalar(1, 'int32') });
    const past: Record<string, tf.Tensor> = {};
    for (let i = 0; i < 2; i++) {
      past[pastKey(i, 'key')] = first[presentKey(i, 'key')] as tf.Tensor;
      past[pastKey(i, 'value')] = first[presentKey(i, 'value')] as tf.Tensor;
    }
    const a = model.forward({ input_ids: ids(cols(tokens, 4, 6)), ...past }).last_hidden_state;
    const b = model.forward({ input_ids: ids(cols(tokens, 4, 6)), position_ids: ids([[4, 5], [4, 5]]), ...past }).last_hidden_state;
    const c = model.forward({ input_ids: ids(cols(tokens, 4, 6)), position_ids: ids([[0, 1], [0, 1]]), ...past }).last_hidden_state;
    expect(maxAbsDiff(a, b)).toBe(0);
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('rejects a mask that does not cover past + new positions, and a partial past', () => {
    const model = createRandomModel(llama, tinyConfig, { seed: 11 });
    const first = model.forward({ input_ids: ids(cols(tokens, 0, 2)), use_cache: tf.scalar(1, 'int32') });
    const k0 = first[presentKey(0, 'key')] as tf.Tensor;
    const v0 = first[presentKey(0, 'value')] as tf.Tensor;
    expect(() => model.forward({ input_ids: ids(cols(tokens, 2, 3)), [pastKey(0, 'key')]: k0, [pastKey(0, 'value')]: v0 })).toThrow(/give all or none/);
    const past = { [pastKey(0, 'key')]: k0, [pastKey(0, 'value')]: v0, [pastKey(1, 'key')]: first[presentKey(1, 'key')] as tf.Tensor, [pastKey(1, 'value')]: first[presentKey(1, 'value')] as tf.Tensor };
    expect(() => model.forward({ input_ids: ids(cols(tokens, 2, 3)), attention_mask: ids(cols(mask, 0, 1)), ...past })).toThrow(/attention_mask covers/);
    model.dispose();
  });
});

describe('sliding window (Mistral)', () => {
  it('mask: query i sees keys i−w+1 … i that are not padding', () => {
    const m = causalMask(ids([[1, 1, 1, 1, 1, 0]]), 0, 6, 3);
    const rows = m.arraySync() as number[][][][];
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        const allowed = j <= i && j > i - 3 && j !== 5;
        expect(rows[0]![0]![i]![j], `${i},${j}`).toBe(allowed ? 0 : -3.4028234663852886e38);
      }
    }
    const cached = causalMask(ids([[1, 1, 1, 1, 1, 1]]), 4, 2, 3).arraySync() as number[][][][];
    expect(cached[0]![0]!.map((r) => r.map((v) => (v === 0 ? 1 : 0)))).toEqual([
      [0, 0, 1, 1, 1, 0],
      [0, 0, 0, 1, 1, 1],
    ]);
  });

  it('one layer, window 3: output i ignores token i−3 and earlier, but not token i−2', () => {
    const json = { ...tinyConfig, model_type: 'mistral', sliding_window: 3, num_hidden_layers: 1 };
    const model = createRandomModel(mistral, json, { seed: 12, std: 0.3 });
    const run = (row: number[]): tf.Tensor => model.forward({ input_ids: ids([row]) }).last_hidden_state;
    const base = run([5, 9, 12, 3, 33, 7]);
    const farChange = run([6, 10, 13, 3, 33, 7]); // tokens 0..2 changed
    const nearChange = run([5, 9, 12, 4, 33, 7]); // token 3 changed
    expect(maxAbsDiff(seqSlice(base, 5, 6), seqSlice(farChange, 5, 6))).toBe(0);
    expect(maxAbsDiff(seqSlice(base, 5, 6), seqSlice(nearChange, 5, 6))).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('a window at least as long as the input changes nothing (Mistral = Llama on the same weights)', () => {
    const m = createRandomModel(mistral, { ...tinyConfig, model_type: 'mistral', sliding_window: 9 }, { seed: 13, std: 0.3 });
    const l = createRandomModel(llama, tinyConfig, { seed: 13, std: 0.3 });
    const a = full(m);
    const b = full(l);
    expect(maxAbsDiff(a, b)).toBe(0);
    m.dispose();
    l.dispose();
  });
});
