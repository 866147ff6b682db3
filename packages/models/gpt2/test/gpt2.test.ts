import { bottleneck } from '@adapters/bottleneck';
import { AdapterConfigError, CompositionError, Parallel, Stack, loadBaseWeights, float32ToRaw } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import { ia3 } from '@adapters/ia3';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gpt2 } from '../src';
import { randomGpt2, randomGpt2Inputs, tinyGpt2 } from './helpers';

const cols = (t: tf.Tensor, a: number, n: number): tf.Tensor => tf.slice(t, [0, a, 0], [-1, n, -1]);

describe('GPT-2 specifics', () => {
  it('KV cache: prompt with use_cache, then one token at a time with the past, equals the full forward', () => {
    const model = randomGpt2([lora]);
    model.addAdapter('a', { architecture: 'lora', r: 2, alpha: 4, attn_matrices: ['q', 'v'], intermediate_lora: true, init_weights: 'bert' }, { setActive: true });
    const ids = [[5, 9, 4, 3, 11, 7], [1, 2, 8, 6, 12, 3]];
    const full = model.forward({ input_ids: tf.tensor2d(ids, [2, 6], 'int32') }).last_hidden_state;
    let out = model.forward({ input_ids: tf.tensor2d(ids.map((r) => r.slice(0, 3)), [2, 3], 'int32'), use_cache: tf.scalar(1, 'int32') });
    expect(maxAbsDiff(out.last_hidden_state, cols(full, 0, 3))).toBeLessThan(1e-5);
    expect(out['present_key_values.1.key']!).toBeDefined();
    expect((out['present_key_values.1.key'] as tf.Tensor).shape).toEqual([2, 2, 3, 8]);
    for (let t = 3; t < 6; t++) {
      const past: Record<string, tf.Tensor> = {};
      for (const [k, v] of Object.entries(out)) if (k.startsWith('present_key_values.')) past[k.replace('present_', 'past_')] = v as tf.Tensor;
      const next = model.forward({ input_ids: tf.tensor2d(ids.map((r) => [r[t]!]), [2, 1], 'int32'), attention_mask: tf.ones([2, t + 1], 'int32'), ...past });
      expect(maxAbsDiff(next.last_hidden_state, cols(full, t, 1))).toBeLessThan(1e-5);
      expect((next['present_key_values.0.value'] as tf.Tensor).shape[2]).toBe(t + 1);
      out = next;
    }
    model.dispose();
  });

  it('causal: changing future tokens never changes the outputs of earlier positions', () => {
    const model = randomGpt2();
    const a = model.forward({ input_ids: tf.tensor2d([[3, 4, 5, 6, 7]], [1, 5], 'int32') }).last_hidden_state;
    const b = model.forward({ input_ids: tf.tensor2d([[3, 4, 5, 20, 1]], [1, 5], 'int32') }).last_hidden_state;
    expect(maxAbsDiff(cols(a, 0, 3), cols(b, 0, 3))).toBe(0);
    expect(maxAbsDiff(cols(a, 3, 1), cols(b, 3, 1))).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('rejects dora, dvora (Python not_supported_adapter_configs) and prompt tuning (support_prompt_tuning = False)', async () => {
    const model = await tinyGpt2([lora]);
    for (const c of ['dora', 'dvora', 'prompt_tuning', 'dora[r=4]']) expect(() => model.addAdapter('x', c), c).toThrow(AdapterConfigError);
    expect(() => model.addAdapter('x', 'dora')).toThrow(/'dora' \(DoRAConfig\) is not supported by models of type gpt2/);
    // A plain LoRAConfig is fine, as are (IA)³ presets.
    model.addAdapter('ok', 'lora');
    expect(model.adapterNames).toEqual(['ok']);
    model.dispose();
  });

  it('LoRA and (IA)³ state-dict keys and shapes follow Python (LoRAMergedLinear on c_attn)', async () => {
    const model = await tinyGpt2([lora, ia3]);
    model.addAdapter('l', { architecture: 'lora', r: 4, alpha: 8, attn_matrices: ['q', 'v'], intermediate_lora: true, output_lora: true });
    const l = model.adapterParameters('l');
    const shapes = Object.fromEntries([...l].map(([k, v]) => [k, v.shape]));
    expect(shapes['h.0.attn.c_attn.loras.l.lora_A']).toEqual([8, 32]);
    expect(shapes['h.0.attn.c_attn.loras.l.lora_B']).toEqual([64, 4]);
    expect(shapes['h.1.mlp.c_fc.loras.l.lora_A']).toEqual([4, 32]);
    expect(shapes['h.1.mlp.c_proj.loras.l.lora_B']).toEqual([32, 4]);
    expect(Object.keys(shapes).filter((k) => k.includes('attn.c_proj'))).toEqual([]);
    expect(l.size).toBe(2 * 6);
    model.addAdapter('i', 'ia3');
    const i = Object.fromEntries([...model.adapterParameters('i')].map(([k, v]) => [k, v.shape]));
    expect(i).toEqual({
      'h.0.attn.c_attn.loras.i.lora_B': [64, 1],
      'h.0.mlp.c_fc.loras.i.lora_B': [128, 1],
      'h.1.attn.c_attn.loras.i.lora_B': [64, 1],
      'h.1.mlp.c_fc.loras.i.lora_B': [128, 1],
    });
    model.dispose();
  });

  it('merged LoRA supports a single adapter only: Stack / Parallel of two LoRAs throw at forward', () => {
    const model = randomGpt2([lora]);
    model.addAdapter('a', 'lora');
    model.addAdapter('b', 'lora');
    const x = randomGpt2Inputs();
    expect(() => model.forward(x, { setup: Stack('a', 'b') })).toThrow(CompositionError);
    expect(() => model.forward(x, { setup: Parallel('a', 'b') })).toThrow(CompositionError);
    tf.dispose(model.forward(x, { setup: 'a' }).last_hidden_state);
    tf.dispose(Object.values(x));
    model.dispose();
  });

  it('Parallel(a, b) of bottleneck adapters equals running a and b alone', () => {
    const model = randomGpt2([bottleneck]);
    model.addAdapter('a', 'double_seq_bn');
    model.addAdapter('b', 'double_seq_bn');
    for (const n of ['a', 'b']) for (const v of model.adapterParameters(n).values()) tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', 11)));
    const x = randomGpt2Inputs();
    const par = model.forward(x, { setup: Parallel('a', 'b') }).last_hidden_state;
    const a = model.forward(x, { setup: 'a' }).last_hidden_state;
    const b = model.forward(x, { setup: 'b' }).last_hidden_state;
    expect(par.shape[0]).toBe(4);
    expect(maxAbsDiff(tf.slice(par, [0, 0, 0], [2, -1, -1]), a)).toBeLessThan(1e-5);
    expect(maxAbsDiff(tf.slice(par, [2, 0, 0], [2, -1, -1]), b)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('loads GPT2LMHeadModel checkpoints (transformer. prefix); Conv1D kernels are not transposed', () => {
    const config = gpt2.parseConfig({ n_embd: 4, n_head: 2, n_layer: 1, n_positions: 8, vocab_size: 5 });
    const specs = gpt2.weightSpecs(config);
    expect(specs.every((s) => !s.transposed)).toBe(true);
    const raw = new Map(specs.map((s) => [`transformer.${s.name}`, float32ToRaw(new Float32Array(s.shape.reduce((a, b) => a * b, 1)).fill(0.5), [...s.shape])]));
    const w = loadBaseWeights(gpt2, config, (n) => raw.get(n));
    expect(w.get('h.0.attn.c_attn.weight')!.shape).toEqual([4, 12]);
    for (const v of w.values()) v.dispose();
  });
});
