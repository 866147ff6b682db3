import { describe, expect, it, vi } from 'vitest';
import { AdapterConfigError } from '../errors';
import { configFromDict, configWithExtra, createConfig, defineConfigClass, type AdapterConfig } from './config-class';
import { configArchitecture, configEquals, configGet, configItems, configReplace, configToDict, isConfigInstanceOf, requireSingleConfig } from './config-ops';
import { adapterConfigFromDict, resolveAdapterConfig } from './config-string';
import { getAdapterConfigHash } from './hash';
import { pythonJsonDumps } from './python-json';
import {
  AdapterPlusConfig,
  BnConfig,
  DiReftConfig,
  IA3Config,
  LoRAConfig,
  MTLLoRAConfig,
  PYTHON_ADAPTER_CONFIG_PRESETS,
  ReftConfig,
  SeqBnConfig,
} from './python-configs';
import { PyFloat, pyFloat, type JsonValue } from './python-value';
import { getConfigPreset, listConfigPresets } from './registry';
import { isConfigUnion, type AnyAdapterConfig } from './union';
import { loadManifest } from './testdata/vectors';

const manifest = loadManifest();
const quiet = { warn: () => {} };

function preset(id: string): AnyAdapterConfig {
  const p = getConfigPreset(id);
  if (!p) throw new Error(`no preset ${id}`);
  return p;
}
const single = (id: string): AdapterConfig => requireSingleConfig(preset(id));

describe('ADAPTER_CONFIG_MAP presets', () => {
  it('lists every Python identifier in order', () => {
    expect(listConfigPresets().slice(0, PYTHON_ADAPTER_CONFIG_PRESETS.length)).toEqual([
      'pfeiffer', 'houlsby', 'parallel', 'scaled_parallel', 'pfeiffer+inv', 'houlsby+inv', 'seq_bn', 'double_seq_bn',
      'par_bn', 'scaled_par_bn', 'seq_bn_inv', 'double_seq_bn_inv', 'compacter++', 'compacter', 'prefix_tuning',
      'prefix_tuning_flat', 'prompt_tuning', 'mtl_lora', 'lora', 'ia3', 'vera', 'dora', 'dvora', 'loreft', 'noreft',
      'direft', 'mam', 'unipelt',
    ]);
  });
  const spot: Array<[string, string, Record<string, JsonValue>]> = [
    ['seq_bn', 'SeqBnConfig', { mh_adapter: false, output_adapter: true, reduction_factor: 16, non_linearity: 'relu', original_ln_before: true, residual_before_ln: true, scaling: pyFloat(1), phm_init_range: 0.0001, stochastic_depth: pyFloat(0), dropout: pyFloat(0), leave_out: [] }],
    ['double_seq_bn', 'DoubleSeqBnConfig', { mh_adapter: true, output_adapter: true, reduction_factor: 16, non_linearity: 'swish', original_ln_before: false }],
    ['par_bn', 'ParBnConfig', { reduction_factor: 2, non_linearity: 'relu', is_parallel: true, scaling: pyFloat(4), init_weights: 'mam_adapter' }],
    ['scaled_par_bn', 'ParBnConfig', { scaling: 'learned' }],
    ['compacter++', 'CompacterPlusPlusConfig', { mh_adapter: false, reduction_factor: 32, non_linearity: 'gelu', original_ln_before: true, phm_layer: true, phm_dim: 4 }],
    ['compacter', 'CompacterConfig', { mh_adapter: true, reduction_factor: 32, non_linearity: 'gelu', phm_layer: true }],
    ['seq_bn_inv', 'SeqBnInvConfig', { inv_adapter: 'nice', inv_adapter_reduction_factor: 2 }],
    ['double_seq_bn_inv', 'DoubleSeqBnInvConfig', { inv_adapter: 'nice', inv_adapter_reduction_factor: 2, mh_adapter: true }],
    ['prefix_tuning', 'PrefixTuningConfig', { architecture: 'prefix_tuning', prefix_length: 30, bottleneck_size: 512, non_linearity: 'tanh', flat: false, shared_gating: true }],
    ['prefix_tuning_flat', 'PrefixTuningConfig', { flat: true }],
    ['prompt_tuning', 'PromptTuningConfig', { architecture: 'prompt_tuning', prompt_length: 10, prompt_init: 'random_uniform', prompt_init_text: null, combine: 'prefix' }],
    ['lora', 'LoRAConfig', { architecture: 'lora', r: 8, alpha: 8, attn_matrices: ['q', 'v'], selfattn_lora: true, intermediate_lora: false, composition_mode: 'add', init_weights: 'lora', use_dora: false, vera_d: null, vera_b: null, dtype: null }],
    ['ia3', 'IA3Config', { intermediate_lora: true, output_lora: false, r: 1, alpha: 1, attn_matrices: ['k', 'v'], composition_mode: 'scale', init_weights: 'ia3' }],
    ['vera', 'VeraConfig', { r: 8, alpha: 8, vera_d: 0.1, vera_b: pyFloat(0), init_weights: 'vera', attn_matrices: ['q', 'v'] }],
    ['dora', 'DoRAConfig', { use_dora: true, r: 8, init_weights: 'lora' }],
    ['dvora', 'DvoRAConfig', { use_dora: true, vera_d: 0.1, vera_b: pyFloat(0), init_weights: 'vera' }],
    ['mtl_lora', 'MTLLoRAConfig', { architecture: 'mtl_lora', n_up_projection: 1, task_specific_matrix_type: 'singular_values', weights_sharpness: 0.05 }],
    ['loreft', 'LoReftConfig', { architecture: 'reft', layers: 'all', prefix_positions: 3, suffix_positions: 0, r: 1, orthogonality: true, tied_weights: false, dropout: 0.05, output_reft: true }],
    ['noreft', 'NoReftConfig', { orthogonality: false }],
    ['direft', 'DiReftConfig', { orthogonality: false }],
  ];
  it.each(spot)('%s is %s with the §1 defaults', (id, cls, expected) => {
    const c = preset(id);
    expect(c.className).toBe(cls);
    for (const [k, v] of Object.entries(expected)) expect(configGet(c, k), k).toEqual(v);
  });
  it('deprecated identifiers equal their replacements', () => {
    for (const [old, cur] of [['pfeiffer', 'seq_bn'], ['houlsby', 'double_seq_bn'], ['parallel', 'par_bn'], ['scaled_parallel', 'scaled_par_bn'], ['pfeiffer+inv', 'seq_bn_inv'], ['houlsby+inv', 'double_seq_bn_inv']]) {
      expect(configEquals(preset(old as string), preset(cur as string))).toBe(true);
    }
  });
  it('AdapterPlusConfig (no identifier)', () => {
    const c = createConfig(AdapterPlusConfig);
    expect(configToDict(c)).toMatchObject({ reduction_factor: 96, non_linearity: 'gelu', original_ln_after: false, residual_before_ln: false, stochastic_depth: 0.1, init_weights: 'houlsby', scaling: 'channel' });
  });
  it('MAM and UniPELT unions', () => {
    const mam = preset('mam');
    const uni = preset('unipelt');
    if (!isConfigUnion(mam) || !isConfigUnion(uni)) throw new Error('unions expected');
    expect(mam.configs.map((c) => c.className)).toEqual(['PrefixTuningConfig', 'ParBnConfig']);
    expect(configGet(mam, '0.bottleneck_size')).toBe(800);
    expect(uni.configs.map((c) => c.className)).toEqual(['PrefixTuningConfig', 'SeqBnConfig', 'LoRAConfig']);
    expect(uni.configs.map((c) => configGet(c, 'use_gating'))).toEqual([true, true, true]);
    expect(configGet(uni, '0.prefix_length')).toBe(10);
    expect(configGet(uni, '2.alpha')).toBe(2);
  });
});

describe('serialization quirks', () => {
  it('bottleneck configs have no architecture key but read architecture = null', () => {
    const c = preset('seq_bn');
    expect('architecture' in configToDict(c)).toBe(false);
    expect(configGet(c, 'architecture')).toBeNull();
    expect(configArchitecture(c)).toBeNull();
    expect(configToDict(preset('lora'))['architecture']).toBe('lora');
  });
  it('class attributes are readable but neither serialized nor constructor arguments', () => {
    const p = preset('prompt_tuning');
    expect(configGet(p, 'random_uniform_scale')).toBe(0.5);
    expect('random_uniform_scale' in configToDict(p)).toBe(false);
    expect(configItems(p).some(([k]) => k === 'random_uniform_scale')).toBe(false);
    expect(() => configReplace(p, { random_uniform_scale: 1 })).toThrow(expect.objectContaining({ field: 'random_uniform_scale' }));
    expect(configGet(preset('loreft'), 'subtract_projection')).toBe(true);
    expect(configGet(preset('direft'), 'subtract_projection')).toBe(false);
  });
  it('DiReFT reloads as ReftConfig with subtract_projection = true (library bug, reproduced)', () => {
    const saved = configToDict(preset('direft'));
    expect('subtract_projection' in saved).toBe(false);
    const reloaded = adapterConfigFromDict(saved);
    expect(reloaded.className).toBe('ReftConfig');
    expect(configGet(reloaded, 'subtract_projection')).toBe(true);
    // What a loader can do to get the intended behaviour: Python load(..., subtract_projection=False).
    const fixed = resolveAdapterConfig(saved, { overrides: { subtract_projection: false }, warn: vi.fn() });
    expect(configGet(fixed, 'subtract_projection')).toBe(false);
    expect(getAdapterConfigHash(fixed)).toBe(getAdapterConfigHash(reloaded)); // False is dropped from the hash
  });
  it('an IA3 dict reloads as LoRAConfig with the same values', () => {
    const ia3 = preset('ia3');
    const back = adapterConfigFromDict(configToDict(ia3));
    expect(back.className).toBe('LoRAConfig');
    expect(configEquals(back, ia3)).toBe(true);
    expect(getAdapterConfigHash(back)).toBe(getAdapterConfigHash(ia3));
    expect(isConfigInstanceOf(ia3, LoRAConfig)).toBe(true);
    expect(isConfigInstanceOf(back, IA3Config)).toBe(false);
  });
  it('legacy invertible_adapter is translated', () => {
    const d = { ...configToDict(preset('seq_bn')), invertible_adapter: { block_type: 'glow', reduction_factor: 4 } };
    const warn = vi.fn();
    const c = adapterConfigFromDict(d, { warn });
    expect(configGet(c, 'inv_adapter')).toBe('glow');
    expect(configGet(c, 'inv_adapter_reduction_factor')).toBe(4);
    expect(configGet(c, 'invertible_adapter')).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
    expect(() => adapterConfigFromDict({ ...configToDict(preset('seq_bn')), invertible_adapter: { block_type: 'nice' } })).toThrow(AdapterConfigError);
  });
  it('MTLLoRAConfig is a LoRAConfig and a MultiTaskConfig', () => {
    const m = preset('mtl_lora');
    expect(isConfigInstanceOf(m, MTLLoRAConfig)).toBe(true);
    expect(isConfigInstanceOf(m, 'LoRAConfig')).toBe(true);
    expect(isConfigInstanceOf(m, 'MultiTaskConfig')).toBe(true);
    expect(isConfigInstanceOf(preset('lora'), 'MultiTaskConfig')).toBe(false);
  });
  it('ReftConfig and BnConfig need their required fields', () => {
    expect(() => createConfig(ReftConfig, { layers: 'all' })).toThrow(expect.objectContaining({ field: 'prefix_positions' }));
    expect(() => adapterConfigFromDict({ mh_adapter: true })).toThrow(expect.objectContaining({ field: 'output_adapter' }));
    expect(() => createConfig(defineConfigClass({ className: 'X', abstract: true }))).toThrow(/abstract/);
  });
});

describe('immutability', () => {
  it('configs are deeply frozen; replace returns a new object', () => {
    const c = single('lora');
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.values)).toBe(true);
    expect(Object.isFrozen(c.values['attn_matrices'])).toBe(true);
    expect(() => {
      (c.values as Record<string, unknown>)['r'] = 4;
    }).toThrow(TypeError);
    const d = configReplace(c, { r: 4 });
    expect(d).not.toBe(c);
    expect(configGet(d, 'r')).toBe(4);
    expect(configGet(c, 'r')).toBe(8);
    expect(d.className).toBe('LoRAConfig');
  });
  it('unknown fields in replace throw naming the field', () => {
    expect(() => configReplace(preset('lora'), { rank: 4 })).toThrow(expect.objectContaining({ field: 'rank', name: 'AdapterConfigError' }));
    expect(() => configReplace(preset('lora'), { rank: 4 })).toThrow(/unexpected keyword argument 'rank'/);
  });
  it('replace on a union changes every member and drops the preset class', () => {
    const u = configReplace(preset('mam'), { leave_out: [1] });
    if (!isConfigUnion(u)) throw new Error();
    expect(u.className).toBe('ConfigUnion');
    expect(u.configs.map((c) => configGet(c, 'leave_out'))).toEqual([[1], [1]]);
    expect(() => configReplace(preset('unipelt'), { r: 4 })).toThrow(expect.objectContaining({ field: 'r' }));
  });
  it('configToDict returns a fresh mutable copy', () => {
    const c = preset('lora');
    const d = configToDict(c);
    (d['attn_matrices'] as string[]).push('k');
    expect(configGet(c, 'attn_matrices')).toEqual(['q', 'v']);
  });
});

describe('extra attributes', () => {
  it('unknown keys of a dict are kept, warned about, hashed, but not saved', () => {
    const warn = vi.fn();
    const c = requireSingleConfig(adapterConfigFromDict({ ...configToDict(preset('seq_bn')), my_extra: 'x' }, { warn }));
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/my_extra/);
    expect(configGet(c, 'my_extra')).toBe('x');
    expect(c.extra).toEqual({ my_extra: 'x' });
    expect('my_extra' in configToDict(c)).toBe(false);
    expect(configToDict(c, { includeExtra: true })['my_extra']).toBe('x');
    expect(getAdapterConfigHash(c)).toBe('c46f6f44c6c86d20'); // Python hashes items(), which include extras
    expect(configItems(configReplace(c, {})).some(([k]) => k === 'my_extra')).toBe(false); // replace drops extras
  });
  it('configWithExtra adds attributes but cannot change existing ones', () => {
    const c = configWithExtra(single('lora'), { note: 'hi' });
    expect(configGet(c, 'note')).toBe('hi');
    expect(() => configWithExtra(c, { note: 'again' })).toThrow(AdapterConfigError);
    expect(() => configWithExtra(c, { r: 2 })).toThrow(expect.objectContaining({ field: 'r' }));
    const d = configWithExtra(single('direft'), { subtract_projection: true });
    expect(configGet(d, 'subtract_projection')).toBe(true);
  });
  it('configFromDict returns config instances unchanged', () => {
    const c = preset('lora');
    expect(configFromDict(BnConfig, c)).toBe(c);
  });
});

describe.skipIf(!manifest)('fixture case configs round-trip', () => {
  const cases = (manifest?.cases ?? []).filter((c) => c.config !== undefined);
  // Fields added after adapters 1.1.0 (the fixtures' version) and their defaults.
  const NEW_FIELDS: Record<string, JsonValue> = { init_weights_seed: null, use_dora: false, vera_d: null, vera_b: null };
  it('has cases', () => expect(cases.length).toBeGreaterThan(20));
  it.each(cases.map((c) => [c.id, c.config as Record<string, JsonValue>] as const))('%s', (_id, dict) => {
    const warn = vi.fn();
    const c = adapterConfigFromDict(dict, { warn });
    expect(warn).not.toHaveBeenCalled();
    const back = configToDict(c);
    const check = (orig: Record<string, JsonValue>, got: Record<string, JsonValue>): void => {
      for (const [k, v] of Object.entries(orig)) expect(pythonJsonDumps(k in got ? got[k] : '<missing>'), k).toBe(pythonJsonDumps(v));
      for (const k of Object.keys(got)) if (!(k in orig)) expect(got[k], k).toEqual(NEW_FIELDS[k]);
    };
    if (isConfigUnion(c)) {
      const members = (dict['configs'] as Array<Record<string, JsonValue>>) ?? [];
      (back['configs'] as Array<Record<string, JsonValue>>).forEach((m, i) => check(members[i] ?? {}, m));
    } else check(dict, back);
    // Reload of the reload is stable.
    expect(configEquals(adapterConfigFromDict(back), c)).toBe(true);
    expect(back['dropout'] === undefined || back['dropout'] instanceof PyFloat || typeof back['dropout'] === 'number').toBe(true);
  });
});
