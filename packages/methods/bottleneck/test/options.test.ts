import { AdapterConfigError, AdapterPlusConfig, createConfig, requireSingleConfig, resolveAdapterConfig } from '@adapters/core';
import { describe, expect, it } from 'vitest';
import { bottleneck, bottleneckOptions, bottleneckSize, bottleneckTargets, pyFloorDiv, reductionFactorAt, validateBottleneckConfig } from '../src';
import { createBottleneckModule } from '../src/adapter-module';
import { SITE, initCtx } from './module-helpers';

const cfg = (x: Parameters<typeof resolveAdapterConfig>[0]) => requireSingleConfig(resolveAdapterConfig(x));
const base = { mh_adapter: false, output_adapter: true, reduction_factor: 4, non_linearity: 'relu' };

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AdapterConfigError);
    return (e as AdapterConfigError).field;
  }
  throw new Error('expected an AdapterConfigError');
}

describe('bottleneck config handling', () => {
  it('accepts every BnConfig without PHM layers, nothing else', () => {
    for (const id of ['seq_bn', 'double_seq_bn', 'par_bn', 'scaled_par_bn', 'seq_bn_inv', 'double_seq_bn_inv', 'pfeiffer', 'houlsby']) {
      expect(bottleneck.accepts(cfg(id)), id).toBe(true);
    }
    expect(bottleneck.accepts(createConfig(AdapterPlusConfig))).toBe(true);
    expect(bottleneck.accepts(cfg(base))).toBe(true);
    for (const id of ['compacter', 'compacter++', 'lora', 'ia3', 'prefix_tuning', 'loreft']) expect(bottleneck.accepts(cfg(id)), id).toBe(false);
  });

  it('bottleneck size = max(1, int(hidden // rf)) with Python floor division', () => {
    expect(bottleneckSize(32, 16)).toBe(2);
    expect(bottleneckSize(32, 1.5)).toBe(21);
    expect(bottleneckSize(32, 96)).toBe(1);
    expect(bottleneckSize(32, -2)).toBe(1);
    expect(pyFloorDiv(1, 0.1)).toBe(9); // CPython: 1 // 0.1 == 9.0
    expect(pyFloorDiv(-7, 2)).toBe(-4);
    expect(pyFloorDiv(7.5, -2)).toBe(-4);
  });

  it('per-layer reduction_factor mapping: string keys, then "default"', () => {
    const c = cfg({ ...base, reduction_factor: { '1': 2, default: 8 } });
    expect(reductionFactorAt(c, 1)).toBe(2);
    expect(reductionFactorAt(c, 0)).toBe(8);
    expect(bottleneckOptions(c, 1, 32).downSample).toBe(16);
    expect(bottleneckOptions(c, 0, 32).downSample).toBe(4);
    const noDefault = cfg({ ...base, reduction_factor: { '1': 2 } });
    expect(reductionFactorAt(noDefault, 1)).toBe(2);
    expect(fieldOf(() => reductionFactorAt(noDefault, 0))).toBe('reduction_factor');
  });

  it('invalid configs throw AdapterConfigError naming the field', () => {
    expect(fieldOf(() => validateBottleneckConfig(cfg({ ...base, init_weights: 'xavier' })))).toBe('init_weights');
    expect(fieldOf(() => validateBottleneckConfig(cfg({ ...base, scaling: 2 })))).toBe('scaling'); // an int is not a float
    expect(fieldOf(() => validateBottleneckConfig(cfg({ ...base, scaling: 'none' })))).toBe('scaling');
    expect(fieldOf(() => validateBottleneckConfig(cfg({ ...base, non_linearity: 'softsign' })))).toBe('non_linearity');
    expect(fieldOf(() => validateBottleneckConfig(cfg({ ...base, non_linearity: null })))).toBe('non_linearity');
    expect(fieldOf(() => validateBottleneckConfig(cfg({ ...base, residual_before_ln: 'pre_add' })))).toBe('residual_before_ln');
    expect(fieldOf(() => validateBottleneckConfig(cfg({ ...base, reduction_factor: 0 })))).toBe('reduction_factor');
    expect(fieldOf(() => validateBottleneckConfig(cfg({ ...base, reduction_factor: 'big' })))).toBe('reduction_factor');
    expect(fieldOf(() => validateBottleneckConfig(cfg({ ...base, dropout: 1.5 })))).toBe('dropout');
    expect(fieldOf(() => validateBottleneckConfig(cfg({ ...base, dropout: -0.1 })))).toBe('dropout');
    expect(fieldOf(() => validateBottleneckConfig(cfg({ ...base, stochastic_depth: 2.0 })))).toBe('stochastic_depth');
    expect(fieldOf(() => createBottleneckModule(SITE, initCtx({ ...base, reduction_factor: { '3': 2 } })))).toBe('reduction_factor');
  });

  it('accepts float scaling, "learned", "channel", every Python activation name (case-insensitive) and post_add', () => {
    for (const scaling of [0.5, 'learned', 'channel']) expect(() => validateBottleneckConfig(cfg({ ...base, scaling }))).not.toThrow();
    for (const a of ['ReLU', 'gelu_10', 'gelu_accurate', 'laplace', 'leaky_relu', 'leakyrelu', 'relu2', 'mish', 'quick_gelu', 'swish', 'linear', 'Tanh']) {
      expect(() => validateBottleneckConfig(cfg({ ...base, non_linearity: a })), a).not.toThrow();
    }
    expect(bottleneckOptions(cfg({ ...base, residual_before_ln: 'post_add' }), 0, 8).residualBeforeLn).toBe('post_add');
    expect(bottleneckOptions(cfg({ ...base, scaling: 0.5 }), 0, 8).scaling).toBe(0.5);
  });

  it('places modules by location key and leave_out (inv_adapter creates nothing here)', () => {
    const s = (point: 'block.attn' | 'block.ffn' | 'block.cross', layer: number) => ({ ...SITE, point, layer });
    const c = cfg({ ...base, mh_adapter: true, output_adapter: true, cross_adapter: true, leave_out: [1] });
    expect(bottleneckTargets(s('block.attn', 0), c)).toBe(true);
    expect(bottleneckTargets(s('block.ffn', 0), c)).toBe(true);
    expect(bottleneckTargets(s('block.cross', 0), c)).toBe(true);
    expect(bottleneckTargets(s('block.ffn', 1), c)).toBe(false);
    expect(bottleneckTargets(s('block.cross', 0), cfg('seq_bn'))).toBe(false);
    expect(bottleneckTargets(s('block.attn', 0), cfg('seq_bn_inv'))).toBe(false);
    expect(bottleneckTargets(s('block.ffn', 0), cfg('seq_bn_inv'))).toBe(true);
  });
});
