import { describe, expect, it, vi } from 'vitest';
import { AdapterConfigError } from '../errors';
import { createConfig, defineConfigClass } from './config-class';
import { configGet, configToDict, isConfigInstanceOf } from './config-ops';
import { adapterConfigFromDict, resolveAdapterConfig } from './config-string';
import { getAdapterConfigHash } from './hash';
import { LoRAConfig, SeqBnConfig } from './python-configs';
import {
  findConfigClass,
  getConfigClass,
  getConfigPreset,
  listArchitectures,
  registerArchitecture,
  registerConfigClass,
  registerConfigPreset,
} from './registry';
import { isConfigUnion } from './union';

describe('third-party config classes and presets', () => {
  const MyMethodConfig = defineConfigClass({
    className: 'MyMethodConfig',
    architecture: 'my_method',
    required: ['width'],
    fields: { depth: 2, dropout: 0.1, leave_out: [] },
    classAttributes: { secret: 42 },
  });

  it('registers a class, an architecture and presets', () => {
    registerConfigClass(MyMethodConfig);
    registerConfigClass(MyMethodConfig); // idempotent
    expect(() => registerConfigClass(defineConfigClass({ className: 'MyMethodConfig' }))).toThrow(AdapterConfigError);
    registerArchitecture('my_method', 'MyMethodConfig');
    expect(listArchitectures()).toContain('my_method');
    expect(() => registerArchitecture('union', MyMethodConfig)).toThrow(AdapterConfigError);
    registerConfigPreset('my_method', MyMethodConfig, { width: 16 });
    registerConfigPreset('my_method_wide', 'my_method', { width: 64 });
    expect(() => registerConfigPreset('lora', LoRAConfig)).toThrow(/already registered/);

    const c = resolveAdapterConfig('my_method[depth=3]');
    expect(c.className).toBe('MyMethodConfig');
    expect(configToDict(c)).toEqual({ width: 16, architecture: 'my_method', depth: 3, dropout: 0.1, leave_out: [] });
    expect(configGet(c, 'secret')).toBe(42);
    expect(configGet(resolveAdapterConfig('my_method_wide'), 'width')).toBe(64);
    const back = adapterConfigFromDict(configToDict(c));
    expect(back.className).toBe('MyMethodConfig');
    expect(getAdapterConfigHash(back)).toBe(getAdapterConfigHash(c));
    // In a union with a built-in method.
    const u = resolveAdapterConfig('my_method|lora');
    expect(isConfigUnion(u)).toBe(true);
    expect(() => resolveAdapterConfig('my_method|my_method_wide')).toThrow(/same adapter architecture/);
  });

  it('a custom subclass keeps its class through load with overrides (Python test_custom_class)', () => {
    const Custom = defineConfigClass({ className: 'CustomAdapterConfig', extends: SeqBnConfig, fields: { custom_attr: 'test_value' } });
    const c = createConfig(Custom);
    expect(configToDict(c)['custom_attr']).toBe('test_value');
    const loaded = resolveAdapterConfig(c, { overrides: { custom_attr: 'test_value_2' }, warn: vi.fn() });
    expect(loaded.className).toBe('CustomAdapterConfig');
    expect(isConfigInstanceOf(loaded, SeqBnConfig)).toBe(true);
    expect(configGet(loaded, 'custom_attr')).toBe('test_value_2');
    expect(Custom.fieldNames.at(-1)).toBe('custom_attr');
  });

  it('lookups', () => {
    expect(getConfigClass('LoRAConfig')).toBe(LoRAConfig);
    expect(findConfigClass('Nope')).toBeUndefined();
    expect(() => getConfigClass('Nope')).toThrow(/registered: AdapterConfig, MultiTaskConfig, BnConfig/);
    expect(getConfigPreset('nope')).toBeUndefined();
  });

  it('defineConfigClass enforces dataclass rules', () => {
    expect(() => defineConfigClass({ className: 'Bad', extends: LoRAConfig, required: ['x'] })).toThrow(/follows a field with a default/);
    expect(() => defineConfigClass({ className: 'Bad2', extends: LoRAConfig, classAttributes: { r: 1 } })).toThrow(/collides/);
    expect(() => defineConfigClass({ className: 'Bad3', extends: LoRAConfig, architecture: null })).toThrow(AdapterConfigError);
    const Sub = defineConfigClass({ className: 'Sub', extends: LoRAConfig, fields: { r: 2, extra_field: true } });
    expect(Sub.fieldNames.indexOf('r')).toBe(LoRAConfig.fieldNames.indexOf('r'));
    expect(Sub.fieldNames.at(-1)).toBe('extra_field');
    expect(Sub.architecture).toBe('lora');
  });
});
