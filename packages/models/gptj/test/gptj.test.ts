import { AdapterConfigError, Parallel } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { applyRotary, gptj, rotarySinCos, rotateEveryTwo } from '../src';
import { randomGptj } from './helpers';

const cols = (t: tf.Tensor, a: number, n: number): tf.Tensor => tf.slice(t, [0, a, 0], [-1, n, -1]);

describe('GPT-J rotary embeddings (interleaved rotate_every_two, partial rotary_dim)', () => {
  it('rotate_every_two maps pairs (a, b) → (−b, a); applying it twice negates', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([1, 2, 3, 4, 5, 6]);
      expect(Array.from(rotateEveryTwo(x).dataSync())).toEqual([-2, 1, -4, 3, -6, 5]);
      expect(maxAbsDiff(rotateEveryTwo(rotateEveryTwo(x)), tf.neg(x))).toBe(0);
    });
  });

  it('position 0 is the identity; pairs keep their norm; only the first rotary_dim dims change', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([1, 3, 2, 8], 0, 1, 'float32', 4);
      const { sin, cos } = rotarySinCos(tf.tensor2d([[0, 5, 17]], [1, 3], 'int32'), 4);
      const y = applyRotary(x, sin, cos, 4);
      expect(maxAbsDiff(tf.slice(y, [0, 0, 0, 0], [1, 1, 2, 8]), tf.slice(x, [0, 0, 0, 0], [1, 1, 2, 8]))).toBeLessThan(1e-7);
      expect(maxAbsDiff(tf.slice(y, [0, 0, 0, 4], [1, 3, 2, 4]), tf.slice(x, [0, 0, 0, 4], [1, 3, 2, 4]))).toBe(0);
      const pairNorm = (t: tf.Tensor): tf.Tensor => tf.sum(tf.square(tf.reshape(tf.slice(t, [0, 0, 0, 0], [1, 3, 2, 4]), [1, 3, 2, 2, 2])), -1);
      expect(maxAbsDiff(pairNorm(y), pairNorm(x))).toBeLessThan(1e-5);
      // pair j at position p is rotated by p·10000^(−2j/4): check pair 1 at position 5
      const angle = 5 * 10000 ** (-2 / 4);
      const [a, b] = Array.from(tf.slice(x, [0, 1, 0, 2], [1, 1, 1, 2]).dataSync());
      const got = Array.from(tf.slice(y, [0, 1, 0, 2], [1, 1, 1, 2]).dataSync());
      expect(got[0]!).toBeCloseTo(a! * Math.cos(angle) - b! * Math.sin(angle), 5);
      expect(got[1]!).toBeCloseTo(b! * Math.cos(angle) + a! * Math.sin(angle), 5);
    });
  });

  it('relative: q·k after rotation depends only on the position difference', () => {
    tf.tidy(() => {
      const q = tf.randomNormal([1, 1, 1, 8], 0, 1, 'float32', 5);
      const k = tf.randomNormal([1, 1, 1, 8], 0, 1, 'float32', 6);
      const dot = (pq: number, pk: number): number => {
        const a = rotarySinCos(tf.tensor2d([[pq]], [1, 1], 'int32'), 8);
        const b = rotarySinCos(tf.tensor2d([[pk]], [1, 1], 'int32'), 8);
        return tf.sum(tf.mul(applyRotary(q, a.sin, a.cos, 8), applyRotary(k, b.sin, b.cos, 8))).dataSync()[0]!;
      };
      expect(dot(7, 3)).toBeCloseTo(dot(14, 10), 4);
      expect(dot(2, 9)).toBeCloseTo(dot(0, 7), 4);
    });
  });
});

describe('GPT-J model', () => {
  it('KV cache: prompt with use_cache, then one token at a time with the past, equals the full forward', () => {
    const model = randomGptj([lora]);
    model.addAdapter('a', { architecture: 'lora', r: 2, alpha: 4, attn_matrices: ['q', 'k', 'v'], init_weights: 'bert' }, { setActive: true });
    const ids = [[5, 9, 4, 3, 11, 7], [1, 2, 8, 6, 12, 3]];
    const full = model.forward({ input_ids: tf.tensor2d(ids, [2, 6], 'int32') }).last_hidden_state;
    let out = model.forward({ input_ids: tf.tensor2d(ids.map((r) => r.slice(0, 2)), [2, 2], 'int32'), use_cache: tf.scalar(1, 'int32') });
    expect(maxAbsDiff(out.last_hidden_state, cols(full, 0, 2))).toBeLessThan(1e-5);
    for (let t = 2; t < 6; t++) {
      const past: Record<string, tf.Tensor> = {};
      for (const [k, v] of Object.entries(out)) if (k.startsWith('present_key_values.')) past[k.replace('present_', 'past_')] = v as tf.Tensor;
      const next = model.forward({ input_ids: tf.tensor2d(ids.map((r) => [r[t]!]), [2, 1], 'int32'), ...past });
      expect(maxAbsDiff(next.last_hidden_state, cols(full, t, 1))).toBeLessThan(1e-5);
      out = next;
    }
    model.dispose();
  });

  it('causal: changing future tokens never changes earlier outputs', () => {
    const model = randomGptj();
    const a = model.forward({ input_ids: tf.tensor2d([[3, 4, 5, 6, 7]], [1, 5], 'int32') }).last_hidden_state;
    const b = model.forward({ input_ids: tf.tensor2d([[3, 4, 5, 20, 1]], [1, 5], 'int32') }).last_hidden_state;
    expect(maxAbsDiff(cols(a, 0, 3), cols(b, 0, 3))).toBe(0);
    expect(maxAbsDiff(cols(a, 3, 1), cols(b, 3, 1))).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('left padding with mask-derived position_ids reproduces the unpadded row', () => {
    const model = randomGptj();
    const plain = model.forward({ input_ids: tf.tensor2d([[3, 4, 5]], [1, 3], 'int32') }).last_hidden_state;
    const padded = model.forward({
      input_ids: tf.tensor2d([[0, 0, 3, 4, 5]], [1, 5], 'int32'),
      attention_mask: tf.tensor2d([[0, 0, 1, 1, 1]], [1, 5], 'int32'),
      position_ids: tf.tensor2d([[1, 1, 0, 1, 2]], [1, 5], 'int32'),
    }).last_hidden_state;
    expect(maxAbsDiff(cols(padded, 2, 3), plain)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('Parallel(a, b) of LoRA adapters equals running each alone (q/k/v batch matching)', () => {
    const model = randomGptj([lora]);
    // Same placement for both (as in Python, Parallel children without a module where the other has one fail in pad_and_concat);
    // k has no LoRA, so q/v are replicated by the Parallel block and k by match_attn_matrices_for_parallel.
    model.addAdapter('a', { architecture: 'lora', r: 2, alpha: 4, attn_matrices: ['q', 'v'], init_weights: 'bert' });
    model.addAdapter('b', { architecture: 'lora', r: 3, alpha: 4, attn_matrices: ['q', 'v'], init_weights: 'bert' });
    const x = { input_ids: tf.tensor2d([[3, 4, 5, 6], [7, 8, 9, 1]], [2, 4], 'int32') };
    const par = model.forward(x, { setup: Parallel('a', 'b') }).last_hidden_state;
    const a = model.forward(x, { setup: 'a' }).last_hidden_state;
    const b = model.forward(x, { setup: 'b' }).last_hidden_state;
    expect(par.shape[0]).toBe(4);
    expect(maxAbsDiff(tf.slice(par, [0, 0, 0], [2, -1, -1]), a)).toBeLessThan(1e-5);
    expect(maxAbsDiff(tf.slice(par, [2, 0, 0], [2, -1, -1]), b)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('rejects prompt tuning (Python support_prompt_tuning = False); q/k/v/out_proj have no bias', () => {
    const model = randomGptj([lora]);
    expect(() => model.addAdapter('p', 'prompt_tuning')).toThrow(AdapterConfigError);
    const specs = gptj.weightSpecs(gptj.parseConfig({ n_embd: 8, n_head: 2, n_layer: 1, rotary_dim: 2 }));
    expect(specs.filter((s) => s.name.includes('attn.') && s.name.endsWith('.bias'))).toEqual([]);
    model.dispose();
  });
});
