import { AdapterModel, randomBaseWeights } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gemma, llama, parseLlamaConfig, repeatKv } from '../src';
import { familyNorm } from '../src/layer';
import { tinyConfig, tinyInputs } from './helpers';

type Json = Record<string, unknown>;

function modelWith(def: typeof llama, json: Json, weights: Map<string, tf.Variable>): AdapterModel {
  return new AdapterModel({ definition: def, config: def.parseConfig(json), weights });
}

function lastHidden(model: AdapterModel): tf.Tensor {
  const x = tinyInputs();
  const out = model.forward(x).last_hidden_state;
  tf.dispose(Object.values(x));
  return out;
}

describe('closed-form equivalences', () => {
  it('RMSNorm: x / sqrt(mean(x²) + eps) · w, and Gemma · (1 + w)', () => {
    const x = [0.5, -2, 3, 0.25];
    const w = [1.5, 0.5, -1, 2];
    const eps = 1e-6;
    const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length + eps);
    for (const fam of ['llama', 'gemma'] as const) {
      const c = parseLlamaConfig({ ...tinyConfig, model_type: fam, hidden_size: 4, num_attention_heads: 1, num_key_value_heads: 1, head_dim: 4 });
      const got = tf.tidy(() => Array.from(familyNorm(c, tf.tensor2d([x]), tf.tensor1d(w)).dataSync()));
      got.forEach((v, i) => expect(v).toBeCloseTo((x[i]! / rms) * (fam === 'gemma' ? 1 + w[i]! : w[i]!), 5));
    }
  });

  it('repeat_kv: query head h reads kv head ⌊h / groups⌋', () => {
    const kv = tf.tensor4d([1, 2, 3, 4], [1, 2, 1, 2]);
    const r = repeatKv(kv, 3);
    expect(r.shape).toEqual([1, 6, 1, 2]);
    expect(Array.from(r.dataSync())).toEqual([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
    tf.dispose([kv, r]);
  });

  it('grouped-query attention equals multi-head attention with each kv head repeated', () => {
    const gqaJson = { ...tinyConfig, attention_bias: true };
    const gqa = modelWith(llama, gqaJson, randomBaseWeights(llama, llama.parseConfig(gqaJson), 5, 0.3));
    const mhaJson = { ...gqaJson, num_key_value_heads: 4 };
    const groups = 2;
    const d = 4;
    const w = new Map<string, tf.Variable>();
    for (const [k, v] of gqa.weights) {
      let t: tf.Tensor = v;
      if (/self_attn\.[kv]_proj\.(weight|bias)$/.test(k)) {
        // [in, kv·d] → [in, kv, 1, d] → tile groups → [in, kv·groups·d]
        const lead = t.rank === 2 ? [t.shape[0]!] : [];
        t = tf.tidy(() => tf.reshape(tf.tile(tf.reshape(v, [...lead, 2, 1, d]), [...lead.map(() => 1), 1, groups, 1]), [...lead, 2 * groups * d]));
      }
      w.set(k, tf.variable(t === v ? v.clone() : t));
    }
    const mha = modelWith(llama, mhaJson, w);
    const a = lastHidden(gqa);
    const b = lastHidden(mha);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    tf.dispose([a, b]);
    gqa.dispose();
    mha.dispose();
  });

  it('Gemma = Llama with embeddings · sqrt(hidden) and norm weights 1 + w (same activation)', () => {
    const gJson = { ...tinyConfig, model_type: 'gemma', head_dim: 4, hidden_activation: 'silu' };
    const g = modelWith(gemma as typeof llama, gJson, randomBaseWeights(gemma, gemma.parseConfig(gJson), 6, 0.3));
    const w = new Map<string, tf.Variable>();
    for (const [k, v] of g.weights) {
      const t = tf.tidy(() => (k === 'embed_tokens.weight' ? tf.mul(v, Math.sqrt(16)) : k.endsWith('norm.weight') ? tf.add(v, 1) : v.clone()));
      w.set(k, tf.variable(t));
      t.dispose();
    }
    const l = modelWith(llama, { ...tinyConfig, tie_word_embeddings: true }, w);
    const a = lastHidden(g);
    const b = lastHidden(l);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    tf.dispose([a, b]);
    g.dispose();
    l.dispose();
  });

  it('Gemma ignores hidden_act and uses gelu_pytorch_tanh unless hidden_activation is set', () => {
    expect(parseLlamaConfig({ ...tinyConfig, model_type: 'gemma', hidden_act: 'relu' }).hiddenAct).toBe('gelu_pytorch_tanh');
    expect(parseLlamaConfig({ ...tinyConfig, model_type: 'gemma', hidden_activation: 'silu' }).hiddenAct).toBe('silu');
  });
});
