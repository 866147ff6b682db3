import { describe, expect, it, vi } from 'vitest';
import { AdapterConfigError } from '../errors';
import { configGet, configToDict } from './config-ops';
import { getFusionConfigPreset, listFusionConfigPresets, registerFusionConfigPreset, resolveFusionConfig } from './fusion-config';
import { getAdapterConfigHash } from './hash';
import { DEFAULT_ADAPTERFUSION_CONFIG, DynamicAdapterFusionConfig, LoRAConfig } from './python-configs';
import { createConfig } from './config-class';
import { loadPythonVectors } from './testdata/vectors';

const py = loadPythonVectors();

describe('AdapterFusion configs', () => {
  it('presets static / dynamic (default)', () => {
    expect(DEFAULT_ADAPTERFUSION_CONFIG).toBe('dynamic');
    expect(listFusionConfigPresets()).toEqual(['static', 'dynamic']);
    expect(configToDict(getFusionConfigPreset('dynamic') ?? createConfig(LoRAConfig))).toEqual({
      key: true, query: true, value: true, query_before_ln: false, regularization: true, residual_before: false,
      temperature: false, value_before_softmax: true, value_initialized: true, dropout_prob: null,
    });
    expect(configGet(getFusionConfigPreset('static') ?? createConfig(LoRAConfig), 'value')).toBe(false);
  });
  it('load always yields class AdapterFusionConfig; hashes match Python', () => {
    const c = resolveFusionConfig('dynamic');
    expect(c.className).toBe('AdapterFusionConfig');
    expect(getAdapterConfigHash(c)).toBe('39f0b9fc022449eb');
    expect(getAdapterConfigHash(resolveFusionConfig('static'))).toBe('368b8b00d16e5e95');
  });
  it('loads dicts, saved files, strings, overrides (None applied)', () => {
    const saved = '{"adapter_names": ["a", "b"], "config": {"dropout_prob": null, "key": true, "query": true, "query_before_ln": false, "regularization": true, "residual_before": false, "temperature": false, "value": true, "value_before_softmax": true, "value_initialized": true}, "name": "a,b"}';
    const f = resolveFusionConfig('/x/adapter_fusion_config.json', { readJsonFile: (p) => (p.endsWith('.json') ? saved : undefined) });
    expect(getAdapterConfigHash(f)).toBe('39f0b9fc022449eb');
    const o = resolveFusionConfig('static', { overrides: { temperature: true, dropout_prob: null } });
    expect(configGet(o, 'temperature')).toBe(true);
    const d = resolveFusionConfig(configToDict(o));
    expect(configGet(d, 'temperature')).toBe(true);
    const warn = vi.fn();
    const e = resolveFusionConfig({ ...configToDict(o), extra_key: 1 }, { warn });
    expect(configGet(e, 'extra_key')).toBe(1);
    expect(warn).toHaveBeenCalledOnce();
  });
  it.each(py.fusion.map((f) => [f.config, f] as const))('Python vector %s', (_n, f) => {
    if (f.error) {
      expect(() => resolveFusionConfig(f.config)).toThrow(AdapterConfigError);
      return;
    }
    expect(getAdapterConfigHash(resolveFusionConfig(f.config))).toBe(f.hash);
  });
  it('rejects non-fusion configs and incomplete dicts; accepts registered presets', () => {
    expect(() => resolveFusionConfig(createConfig(LoRAConfig))).toThrow(/AdapterFusionConfig/);
    expect(() => resolveFusionConfig({ key: true })).toThrow(expect.objectContaining({ field: 'query' }));
    registerFusionConfigPreset('dynamic_temp', DynamicAdapterFusionConfig, { temperature: true });
    expect(configGet(resolveFusionConfig('dynamic_temp'), 'temperature')).toBe(true);
    expect(() => registerFusionConfigPreset('lora_fusion', LoRAConfig)).toThrow(AdapterConfigError);
  });
});
