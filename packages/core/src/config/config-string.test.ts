import { describe, expect, it, vi } from 'vitest';
import { AdapterConfigError, AdapterFormatError } from '../errors';
import { createConfig } from './config-class';
import { configEquals, configGet, configToDict } from './config-ops';
import { adapterConfigFromDict, parseConfigString, resolveAdapterConfig } from './config-string';
import { getAdapterConfigHash, getAdapterConfigHashInput } from './hash';
import { parsePythonJson, pythonJsonDumps } from './python-json';
import { DoubleSeqBnConfig, LoRAConfig, ParBnConfig, PrefixTuningConfig, SeqBnConfig } from './python-configs';
import { PyFloat, pyFloat } from './python-value';
import { createConfigUnion, isConfigUnion } from './union';
import { loadManifest, loadPythonVectors } from './testdata/vectors';

const manifest = loadManifest();
const py = loadPythonVectors();
const quiet = { warn: () => {} };

describe('parseConfigString', () => {
  it('splits chunks and evaluates kwargs as Python literals', () => {
    expect(parseConfigString("lora[r=8, alpha=16]|prefix_tuning")).toEqual([
      { name: 'lora', kwargs: { r: 8, alpha: 16 } },
      { name: 'prefix_tuning', kwargs: {} },
    ]);
    const [e] = parseConfigString('par_bn[scaling=4.0, reduction_factor=16]');
    expect(e?.kwargs['scaling']).toBeInstanceOf(PyFloat);
    expect(e?.kwargs['reduction_factor']).toBe(16);
  });
  it('rewrites word= everywhere, even inside double-quoted values (Python quirk)', () => {
    expect(parseConfigString('seq_bn[non_linearity="x=1"]')[0]?.kwargs).toEqual({ non_linearity: "'x':1" });
    expect(() => parseConfigString("prompt_tuning[prompt_init_text='a=b']")).toThrow(AdapterConfigError);
  });
  it('keeps inner spaces in the name (so "seq_bn [r=1]" is an unknown identifier, as in Python)', () => {
    expect(parseConfigString('  seq_bn [r=1] ')[0]?.name).toBe('seq_bn ');
    expect(() => resolveAdapterConfig('seq_bn [r=1]')).toThrow(/Could not identify 'seq_bn '/);
    expect(() => parseConfigString('seq_bn[x=1]y')).toThrow(AdapterConfigError);
  });
});

describe('config strings of the Python test-suite (§2.3)', () => {
  const valid: Array<[string, () => ReturnType<typeof resolveAdapterConfig>]> = [
    ['double_seq_bn', () => createConfig(DoubleSeqBnConfig)],
    ['seq_bn[reduction_factor=2, leave_out=[11]]', () => createConfig(SeqBnConfig, { reduction_factor: 2, leave_out: [11] })],
    [
      "par_bn[reduction_factor={'0': 8, '1': 8, 'default': 16}]",
      () => createConfig(ParBnConfig, { reduction_factor: { '0': 8, '1': 8, default: 16 } }),
    ],
    ['prefix_tuning[prefix_length=30, flat=True]', () => createConfig(PrefixTuningConfig, { prefix_length: 30, flat: true })],
    ['lora[r=200,alpha=8]', () => createConfig(LoRAConfig, { r: 200, alpha: 8 })],
    ['prefix_tuning|par_bn', () => createConfigUnion([createConfig(PrefixTuningConfig), createConfig(ParBnConfig)])],
    ["lora[attn_matrices=['k', 'v']]", () => createConfig(LoRAConfig, { attn_matrices: ['k', 'v'] })],
    [
      'lora[use_gating=True]|prefix_tuning[use_gating=True]|seq_bn[use_gating=True]',
      () =>
        createConfigUnion([
          createConfig(LoRAConfig, { use_gating: true }),
          createConfig(PrefixTuningConfig, { use_gating: true }),
          createConfig(SeqBnConfig, { use_gating: true }),
        ]),
    ],
  ];
  it.each(valid)('%s', (s, expected) => {
    expect(configEquals(resolveAdapterConfig(s), expected())).toBe(true);
  });
  const invalid = ['seq_bn[invalid_key=2]', 'lora[r=8]|invalid_name', 'prefix_tuning[flat=True', 'double_seq_bn[reduction_factor=dict(default=1)]'];
  it.each(invalid)('rejects %s', (s) => expect(() => resolveAdapterConfig(s)).toThrow(AdapterConfigError));
  it('names the unknown field', () => {
    expect(() => resolveAdapterConfig('seq_bn[invalid_key=2]')).toThrow(expect.objectContaining({ field: 'invalid_key' }));
  });
});

describe.skipIf(!manifest)('manifest invalid_config_strings', () => {
  it.each((manifest?.config_hashes.invalid_config_strings ?? []).map((c) => [c.config, c.raises] as const))('%s (%s)', (s) => {
    expect(() => resolveAdapterConfig(s)).toThrow(AdapterConfigError);
  });
});

describe('Python 1.2.0 invalid config strings', () => {
  it.each(py.invalid_config_strings.map((c) => [c.config, c.error ?? 'accepted'] as const))('%j (%s)', (s) => {
    // Every one of these fails in Python (at load, or when hashing/saving), except '\N{BULLET}', which this port
    // refuses because named escapes need the Unicode name table.
    expect(() => resolveAdapterConfig(s, quiet)).toThrow(AdapterConfigError);
  });
  it('error lists known identifiers', () => {
    expect(() => resolveAdapterConfig('not_a_method')).toThrow(/Known identifiers: pfeiffer, houlsby/);
  });
});

describe('resolveAdapterConfig', () => {
  it('an exact identifier returns the preset as the right class', () => {
    const c = resolveAdapterConfig('ia3');
    expect(c.className).toBe('IA3Config');
    expect(resolveAdapterConfig('mam').className).toBe('MAMConfig');
  });
  it('reads JSON files through the hook (nested "config" unwrapped), before config-string parsing', () => {
    const files: Record<string, string> = {
      '/a/adapter_config.json': '{"config": {"architecture": "lora", "r": 4, "dropout": 0.0}, "name": "x"}',
      '/b.json': '{"mh_adapter": true, "output_adapter": false, "reduction_factor": 4, "non_linearity": "relu"}',
    };
    const readJsonFile = (p: string): string | undefined => files[p];
    const a = resolveAdapterConfig('/a/adapter_config.json', { readJsonFile });
    expect(a.className).toBe('LoRAConfig');
    expect(configGet(a, 'r')).toBe(4);
    expect(configGet(a, 'dropout')).toEqual(pyFloat(0));
    const b = resolveAdapterConfig('/b.json', { readJsonFile });
    expect(b.className).toBe('BnConfig');
    expect(() => resolveAdapterConfig('/missing.json', { readJsonFile })).toThrow(AdapterConfigError);
    expect(() => resolveAdapterConfig('/bad', { readJsonFile: () => '{' })).toThrow(AdapterFormatError);
  });
  it('overrides: None skipped, unknown keys become extras, class chosen before overrides', () => {
    const warn = vi.fn();
    const c = resolveAdapterConfig('lora', { overrides: { r: 4, alpha: null, foo: 1 }, warn });
    expect(configGet(c, 'r')).toBe(4);
    expect(configGet(c, 'alpha')).toBe(8);
    expect(configGet(c, 'foo')).toBe(1);
    expect(warn).toHaveBeenCalledOnce();
    const d = resolveAdapterConfig({ architecture: 'lora' }, { overrides: { architecture: 'prefix_tuning' } });
    expect(d.className).toBe('LoRAConfig');
    expect(configGet(d, 'architecture')).toBe('prefix_tuning');
  });
  it('overrides on a union are ignored with a warning (Python behaviour)', () => {
    const warn = vi.fn();
    const u = resolveAdapterConfig('mam', { overrides: { r: 4 }, warn });
    expect(isConfigUnion(u)).toBe(true);
    expect(warn).toHaveBeenCalledOnce();
  });
  it('a config instance keeps its class; its extras are dropped (to_dict round trip)', () => {
    const base = adapterConfigFromDict({ ...configToDict(createConfig(SeqBnConfig)), my_key: 'x' }, quiet);
    expect(configGet(base, 'my_key')).toBe('x');
    const again = resolveAdapterConfig(base, { overrides: { reduction_factor: 2 } });
    expect(again.className).toBe('BnConfig');
    expect(configGet(again, 'my_key')).toBeUndefined();
    expect(configGet(again, 'reduction_factor')).toBe(2);
  });
  it('loading "mam" reloads union members by architecture (ParBnConfig -> BnConfig), like Python', () => {
    const u = resolveAdapterConfig('mam');
    if (!isConfigUnion(u)) throw new Error('union expected');
    expect(u.configs.map((c) => c.className)).toEqual(['PrefixTuningConfig', 'BnConfig']);
  });
  it('rejects empty input and unknown architectures', () => {
    expect(() => resolveAdapterConfig('')).toThrow(AdapterConfigError);
    expect(() => resolveAdapterConfig({})).toThrow(AdapterConfigError);
    expect(() => resolveAdapterConfig({ architecture: 'bottleneck' })).toThrow(/unknown adapter architecture 'bottleneck'/);
  });
});

describe('adapterConfigFromDict: Python from_dict cases', () => {
  it.each(py.from_dict.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const warn = vi.fn();
    const dict = parsePythonJson(c.input_json) as Record<string, unknown>; // keeps 1.0 vs 1
    if (c.error) {
      expect(() => adapterConfigFromDict(dict, { warn })).toThrow(AdapterConfigError);
      return;
    }
    const config = adapterConfigFromDict(dict, { warn });
    expect(config.className).toBe(c.class);
    expect(getAdapterConfigHashInput(config)).toBe(c.hashed_json);
    expect(getAdapterConfigHash(config)).toBe(c.hash);
    // Unsorted output: JS objects list integer-like keys first (known deviation).
    if (c.name !== 'nested dict minimize') expect(pythonJsonDumps(configToDict(config))).toBe(c.to_dict_json);
    expect(pythonJsonDumps(configToDict(config), { sortKeys: true })).toBe(pythonJsonDumps(parsePythonJson(c.to_dict_json ?? ''), { sortKeys: true }));
    if (c.items_json) {
      const items = Object.fromEntries(Object.entries(configToDict(config, { includeExtra: true })));
      const sortKeys = c.name === 'nested dict minimize';
      expect(pythonJsonDumps(items, { sortKeys })).toBe(pythonJsonDumps(parsePythonJson(c.items_json), { sortKeys }));
    }
  });
});
