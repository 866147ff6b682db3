import { describe, expect, it } from 'vitest';
import { type JsonValue, pyFloat, resolveAdapterConfig } from './config';
import type { ModelInfo } from './define-model';
import { AdapterConfigError } from './errors';
import { validateAdapterConfig } from './validate-config';

const MODEL: ModelInfo = { modelType: 'bert', hiddenSize: 32, numLayers: 2, numAttentionHeads: 4, config: { intermediate_size: 37 } };

/** The field named by the AdapterConfigError thrown for `config` (undefined if valid). */
function rejected(config: string | Record<string, JsonValue>, model: ModelInfo | null = MODEL): string | undefined {
  try {
    validateAdapterConfig(resolveAdapterConfig(config as never, { warn: () => {} }), model ?? undefined, { warn: () => {} });
    return undefined;
  } catch (e) {
    if (!(e instanceof AdapterConfigError)) throw e;
    expect(e.message).toContain(e.field!);
    return e.field;
  }
}

const lora = (kw: Record<string, JsonValue>) => ({ architecture: 'lora', ...kw });
const bn = (kw: Record<string, JsonValue>) => ({ mh_adapter: false, output_adapter: true, reduction_factor: 16, non_linearity: 'relu', ...kw });

describe('validateAdapterConfig', () => {
  it('accepts every preset on a small model', () => {
    for (const id of ['lora', 'ia3', 'vera', 'dora', 'seq_bn', 'double_seq_bn', 'par_bn', 'scaled_par_bn', 'seq_bn_inv', 'compacter', 'prefix_tuning', 'prompt_tuning', 'loreft', 'mam', 'unipelt']) {
      expect(rejected(id), id).toBeUndefined();
    }
  });

  it('LoRA: r must be a positive integer within the model sizes; alpha > 0; dropout in [0, 1)', () => {
    expect(rejected(lora({ r: 0 }))).toBe('r');
    expect(rejected(lora({ r: -4 }))).toBe('r');
    expect(rejected(lora({ r: 1.5 }))).toBe('r');
    expect(rejected(lora({ r: pyFloat(8) }))).toBe('r'); // Python: torch.zeros((8.0, n)) is a TypeError
    expect(rejected(lora({ r: '8' }))).toBe('r');
    expect(rejected(lora({ r: true }))).toBe('r');
    expect(rejected(lora({ r: 38 }))).toBe('r'); // > max(hidden, intermediate) only with a model…
    expect(rejected(lora({ r: 38 }), null)).toBeUndefined();
    expect(rejected(lora({ r: 37 }))).toBeUndefined();
    expect(rejected(lora({ alpha: 0 }))).toBe('alpha');
    expect(rejected(lora({ alpha: -8 }))).toBe('alpha');
    expect(rejected(lora({ alpha: pyFloat(16) }))).toBeUndefined();
    expect(rejected(lora({ dropout: 1 }))).toBe('dropout');
    expect(rejected(lora({ dropout: -0.1 }))).toBe('dropout');
    expect(rejected(lora({ dropout: 0.1 }))).toBeUndefined();
  });

  it('LoRA: attn_matrices only q/k/v; composition_mode and init_weights known; (IA)³ needs r = 1 and no dropout', () => {
    expect(rejected(lora({ attn_matrices: ['q', 'o'] }))).toBe('attn_matrices');
    expect(rejected(lora({ attn_matrices: 'qv' }))).toBe('attn_matrices');
    expect(rejected(lora({ composition_mode: 'mul' }))).toBe('composition_mode');
    expect(rejected(lora({ init_weights: 'xavier' }))).toBe('init_weights');
    expect(rejected({ architecture: 'lora', composition_mode: 'scale', r: 2 })).toBe('r');
    expect(rejected('ia3[dropout=0.1]')).toBe('dropout');
  });

  it('leave_out: integer layer indices in [0, layers)', () => {
    expect(rejected(lora({ leave_out: [1] }))).toBeUndefined();
    expect(rejected(lora({ leave_out: [2] }))).toBe('leave_out');
    expect(rejected(lora({ leave_out: [-1] }))).toBe('leave_out');
    expect(rejected(lora({ leave_out: ['0'] }))).toBe('leave_out');
    expect(rejected(bn({ leave_out: [5] }))).toBe('leave_out');
    expect(rejected({ architecture: 'prefix_tuning', leave_out: [0.5] })).toBe('leave_out');
  });

  it('bottleneck: reduction_factor > 0 (numbers or a mapping), sane bottleneck sizes; known inv_adapter', () => {
    expect(rejected(bn({ reduction_factor: 0 }))).toBe('reduction_factor');
    expect(rejected(bn({ reduction_factor: -16 }))).toBe('reduction_factor');
    expect(rejected(bn({ reduction_factor: 'x' }))).toBe('reduction_factor');
    expect(rejected(bn({ reduction_factor: { default: 0 } }))).toBe('reduction_factor');
    expect(rejected(bn({ reduction_factor: { 1: -2, default: 16 } }))).toBe('reduction_factor');
    expect(rejected(bn({ reduction_factor: 1e-9 }))).toBe('reduction_factor'); // a 3.2e10-unit bottleneck
    expect(rejected(bn({ reduction_factor: 0.5 }))).toBeUndefined(); // 64 units: wider than hidden is allowed
    expect(rejected(bn({ dropout: 1 }))).toBe('dropout');
    expect(rejected(bn({ inv_adapter: 'realnvp' }))).toBe('inv_adapter');
    expect(rejected(bn({ non_linearity: 5 }))).toBe('non_linearity');
  });

  it('bottleneck smaller than one unit: warned (Python clamps it to 1), not rejected', () => {
    const warnings: string[] = [];
    validateAdapterConfig(resolveAdapterConfig(bn({ reduction_factor: 64 }), { warn: () => {} }), MODEL, { warn: (m) => warnings.push(m) });
    expect(warnings.join()).toMatch(/reduction_factor 64 exceeds the hidden size 32: the bottleneck is clamped to 1 unit/);
  });

  it('prefix / prompt tuning / ReFT lengths and choices', () => {
    expect(rejected({ architecture: 'prefix_tuning', prefix_length: 0 })).toBe('prefix_length');
    expect(rejected({ architecture: 'prefix_tuning', bottleneck_size: -1 })).toBe('bottleneck_size');
    expect(rejected({ architecture: 'prompt_tuning', prompt_length: 0 })).toBe('prompt_length');
    expect(rejected({ architecture: 'prompt_tuning', combine: 'suffix' })).toBe('combine');
    expect(rejected('loreft[r=0]')).toBe('r');
    expect(rejected('loreft[prefix_positions=-1]')).toBe('prefix_positions');
  });

  it('checks every member of a union and names the class and value', () => {
    expect(rejected('lora[r=4]|seq_bn[reduction_factor=0]')).toBe('reduction_factor');
    expect(() => validateAdapterConfig(resolveAdapterConfig('lora[r=0]'), MODEL)).toThrow('LoRAConfig.r = 0: must be an integer >= 1');
  });
});
