import { AdapterConfigError } from '@adapters/core';
import { describe, expect, it } from 'vitest';
import { gemma, llama, llamaWeightSpecs, mistral, parseLlamaConfig, qwen2 } from '../src';
import { tinyConfig } from './helpers';

const rejects = (json: Record<string, unknown>, field: string): void => {
  let err: unknown;
  try {
    parseLlamaConfig(json);
  } catch (e) {
    err = e;
  }
  expect(err, field).toBeInstanceOf(AdapterConfigError);
  expect((err as AdapterConfigError).field).toBe(field);
};

describe('config parsing', () => {
  it('reads GQA, head_dim, rope and family defaults as transformers does', () => {
    const c = parseLlamaConfig(tinyConfig);
    expect([c.numKeyValueHeads, c.headDim, c.slidingWindow, c.qkvBias, c.embedScale]).toEqual([2, 4, null, false, null]);
    expect(parseLlamaConfig({ ...tinyConfig, num_key_value_heads: undefined }).numKeyValueHeads).toBe(4);
    expect(parseLlamaConfig({ ...tinyConfig, model_type: 'mistral' }).slidingWindow).toBe(4096);
    expect(parseLlamaConfig({ ...tinyConfig, model_type: 'mistral', sliding_window: null }).slidingWindow).toBe(null);
    const q = parseLlamaConfig({ ...tinyConfig, model_type: 'qwen2', attention_bias: false });
    expect([q.qkvBias, q.oBias, q.mlpBias, q.slidingWindow]).toEqual([true, false, false, null]);
    const g = parseLlamaConfig({ model_type: 'gemma', hidden_size: 16, num_attention_heads: 2, num_key_value_heads: 1 });
    expect([g.headDim, g.hiddenAct, g.tieWordEmbeddings, g.embedScale, g.normPlusOne]).toEqual([256, 'gelu_pytorch_tanh', true, 4, true]);
    expect(parseLlamaConfig({ ...tinyConfig, rope_scaling: { type: 'linear', factor: 2 } }).ropeScaling).toEqual({ type: 'linear', factor: 2 });
  });

  it('rejects unimplemented features with an AdapterConfigError naming the field', () => {
    rejects({ ...tinyConfig, model_type: 'gemma2' }, 'model_type');
    rejects({ ...tinyConfig, rope_scaling: { rope_type: 'dynamic', factor: 2 } }, 'rope_scaling');
    rejects({ ...tinyConfig, rope_scaling: { rope_type: 'yarn', factor: 2 } }, 'rope_scaling');
    rejects({ ...tinyConfig, rope_scaling: { rope_type: 'llama3', factor: 8 } }, 'rope_scaling');
    rejects({ ...tinyConfig, partial_rotary_factor: 0.5 }, 'partial_rotary_factor');
    rejects({ ...tinyConfig, model_type: 'qwen2', use_sliding_window: true }, 'use_sliding_window');
    rejects({ ...tinyConfig, num_key_value_heads: 3 }, 'num_key_value_heads');
    rejects({ ...tinyConfig, hidden_act: 'nope' }, 'hidden_act');
    rejects({ ...tinyConfig, model_type: 'gemma', hidden_activation: 'nope' }, 'hidden_activation');
    rejects({ ...tinyConfig, model_type: 'gemma', final_logit_softcapping: 30 }, 'final_logit_softcapping');
    rejects({ ...tinyConfig, head_dim: 5 }, 'head_dim');
  });

  it('each plugin serves its own model_type only', () => {
    expect(() => llama.parseConfig({ ...tinyConfig, model_type: 'mistral' })).toThrow(/mistral/);
    for (const def of [llama, mistral, qwen2, gemma]) expect(def.modelTypes).toEqual([def.name]);
    expect(llama.compositions).toContain('Parallel');
    expect(mistral.compositions).toContain('Parallel');
    expect(qwen2.compositions).not.toContain('Parallel');
    expect(gemma.compositions).not.toContain('Parallel');
  });

  it('weight specs: biases per family, lm_head only for untied models, Gemma norms start at 0', () => {
    const names = (json: Record<string, unknown>): string[] => llamaWeightSpecs(parseLlamaConfig(json)).map((s) => s.name);
    expect(names(tinyConfig).filter((n) => n.endsWith('.bias'))).toEqual([]);
    expect(names({ ...tinyConfig, model_type: 'qwen2' }).filter((n) => n.startsWith('layers.0') && n.endsWith('.bias'))).toEqual([
      'layers.0.self_attn.q_proj.bias',
      'layers.0.self_attn.k_proj.bias',
      'layers.0.self_attn.v_proj.bias',
    ]);
    expect(names({ ...tinyConfig, attention_bias: true, mlp_bias: true }).filter((n) => n.startsWith('layers.0') && n.endsWith('.bias'))).toHaveLength(7);
    expect(names(tinyConfig)).toContain('lm_head.weight');
    expect(names({ ...tinyConfig, tie_word_embeddings: true })).not.toContain('lm_head.weight');
    const g = llamaWeightSpecs(parseLlamaConfig({ ...tinyConfig, model_type: 'gemma' }));
    expect(g.find((s) => s.name === 'norm.weight')!.init).toBe('zeros');
  });
});
