import { AdapterConfigError, addTypedAdapter, configValue, requireSingleConfig, typedAdapterConfig } from '@adapters/core';
import { lora } from '@adapters/lora';
import { describe, expect, it } from 'vitest';
import { loha } from '../src';
import { randomBert } from './helpers';

describe('addTypedAdapter / typedAdapterConfig at run time', () => {
  it('resolves the preset and applies the fields (Python dataclasses.replace)', () => {
    const c = requireSingleConfig(typedAdapterConfig({ method: 'loha', r: 4, attn_matrices: ['q', 'k'] }));
    expect(c.className).toBe('LoHaConfig');
    expect(configValue(c, 'r')).toBe(4);
    expect(configValue(c, 'attn_matrices')).toEqual(['q', 'k']);
    expect(configValue(c, 'alpha')).toBe(8);
  });

  it('adds adapters of several packages to a model', () => {
    const model = randomBert([loha, lora]);
    addTypedAdapter(model, 'h', { method: 'loha', r: 2 });
    addTypedAdapter(model, 'l', { method: 'lora', alpha: 16 }, { setActive: true });
    expect(model.adapterMethods('h').map((m) => m.name)).toEqual(['loha']);
    expect(configValue(requireSingleConfig(model.adapterConfig('l')), 'alpha')).toBe(16);
    model.dispose();
  });

  it('plain-JS callers still get errors for unknown methods and fields', () => {
    expect(() => typedAdapterConfig({ method: 'nope' } as never)).toThrow(AdapterConfigError);
    expect(() => typedAdapterConfig({ method: 'loha', rank: 4 } as never)).toThrow(/rank/);
  });
});
