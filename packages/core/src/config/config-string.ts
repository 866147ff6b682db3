/**
 * Config strings and config resolution (Python `parse_adapter_config_string`, `resolve_adapter_config`,
 * `AdapterConfig.load`).
 *
 * Grammar: the string is split on `|`; each chunk (stripped) must match `^name(\[kvs\])?$` where `name` has no
 * `[`, `]`, `|` or newline; inside the brackets every `word=` is rewritten to `'word':` (everywhere, even inside
 * quoted values, as Python does) and `{kvs}` is evaluated as a Python literal. Each name must be a preset
 * identifier; its preset is `replace`d with the parsed kwargs. Several chunks make a `ConfigUnion`.
 */

import { AdapterConfigError } from '../errors';
import { configFromDict, defaultWarn, isAdapterConfig, type ConfigClass, type FromDictOptions, type WarnFn } from './config-class';
import { configReplace, configToDict } from './config-ops';
import { parsePythonJson } from './python-json';
import { parsePythonLiteral } from './python-literal';
import { isJsonObject, pyStrip, setOwnProperty, toJsonValue, type JsonObject, type JsonValue } from './python-value';
import { findArchitectureClass, getConfigPreset, listArchitectures, listConfigPresets } from './registry';
import { createConfigUnion, isAnyAdapterConfig, isConfigUnion, type AnyAdapterConfig } from './union';

/** One chunk of a config string: a preset identifier and the keyword arguments to `replace` it with. */
export interface ConfigStringEntry {
  /** Preset identifier (not stripped further than the chunk; `"seq_bn "` stays as is, as in Python). */
  readonly name: string;
  /** Parsed keyword arguments. */
  readonly kwargs: Readonly<Record<string, JsonValue>>;
}

// Python: ^(?P<name>[^\[\]\|\n]+)(?:\[(?P<kvs>.*)\])?$  ('.' excludes only '\n' in Python).
const CHUNK_RE = /^([^[\]|\n]+)(?:\[([^\n]*)\])?$/;
// Python's str-pattern \w: Unicode alphanumerics (str.isalnum) and underscore.
const KEY_RE = /([\p{L}\p{N}_]+)=/gu;

/**
 * Python `parse_adapter_config_string`: `"lora[r=8, alpha=16]|prefix_tuning"` →
 * `[{name: 'lora', kwargs: {r: 8, alpha: 16}}, {name: 'prefix_tuning', kwargs: {}}]`. Throws
 * {@link AdapterConfigError} for a malformed chunk or a bracket content that is not a Python dict literal.
 */
export function parseConfigString(configString: string): ConfigStringEntry[] {
  return configString.split('|').map((chunk) => {
    const m = CHUNK_RE.exec(pyStrip(chunk));
    if (!m || !m[1]) throw new AdapterConfigError(`Invalid adapter config string format: '${chunk}'.`);
    const name = m[1];
    const kvs = m[2] ? m[2].replace(KEY_RE, "'$1':") : '';
    let parsed: JsonValue;
    try {
      parsed = parsePythonLiteral(`{${kvs}}`);
    } catch (e) {
      const why = e instanceof Error ? ` (${e.message})` : '';
      throw new AdapterConfigError(`Invalid adapter configuration '${kvs}' in '${name}'${why}.`);
    }
    if (!isJsonObject(parsed)) throw new AdapterConfigError(`Invalid adapter configuration '${kvs}' in '${name}': not a dict.`);
    return { name, kwargs: parsed };
  });
}

/**
 * Anything {@link resolveAdapterConfig} accepts: a preset identifier, a config string, a file path (with
 * `readJsonFile`), a config dict (e.g. the `config` entry of `adapter_config.json`), or a config instance.
 */
export type ConfigInput = string | Readonly<Record<string, unknown>> | AnyAdapterConfig;

/** Options of {@link resolveAdapterConfig}. */
export interface ResolveAdapterConfigOptions extends FromDictOptions {
  /**
   * Reads a JSON file: returns its text, or `undefined` if `path` is not a file (Python `os.path.isfile`). Called
   * for strings that are not preset identifiers, before config-string parsing. A file holding a saved
   * `adapter_config.json` (top-level `config` key) is unwrapped. Without it, strings are never treated as paths.
   */
  readJsonFile?: (path: string) => string | undefined;
  /**
   * Python `AdapterConfig.load(config, **kwargs)`: values applied on top of the resolved dict before the config is
   * built; `null`/`undefined` values are skipped (as Python skips `None`). Unknown keys become extra attributes.
   * Ignored (with a warning) for unions, as in Python.
   */
  overrides?: Readonly<Record<string, JsonValue | undefined>>;
}

/** @internal What Python `resolve_adapter_config` returns: a config, a dict, or the members of a string union. */
export type ResolvedSpecifier =
  | { readonly kind: 'config'; readonly config: AnyAdapterConfig }
  | { readonly kind: 'dict'; readonly dict: JsonObject }
  | { readonly kind: 'members'; readonly members: readonly AnyAdapterConfig[] };

/** @internal Python `resolve_adapter_config(config, local_map)`. */
export function resolveSpecifier(
  input: unknown,
  lookup: (identifier: string) => AnyAdapterConfig | undefined,
  known: () => string[],
  readJsonFile: ((path: string) => string | undefined) | undefined,
  warn: WarnFn = defaultWarn,
): ResolvedSpecifier {
  if (isAnyAdapterConfig(input)) return { kind: 'config', config: input };
  if (typeof input !== 'string') {
    const live = liveUnionMembers(input, warn);
    if (live) return { kind: 'members', members: live };
    const dict = toJsonValue(input, 'config');
    if (!isJsonObject(dict)) throw new AdapterConfigError('an adapter configuration must be a dict, a config or a string');
    return { kind: 'dict', dict };
  }
  const preset = lookup(input);
  if (preset !== undefined) return { kind: 'config', config: preset };
  const text = readJsonFile?.(input);
  if (text !== undefined) {
    const loaded = parsePythonJson(text, { file: input });
    if (!isJsonObject(loaded)) throw new AdapterConfigError(`${input}: the JSON file does not hold a dict`);
    if (Object.prototype.hasOwnProperty.call(loaded, 'config')) {
      const inner = loaded['config'];
      if (!isJsonObject(inner)) throw new AdapterConfigError(`${input}: "config" is not a dict`, 'config');
      return { kind: 'dict', dict: inner };
    }
    return { kind: 'dict', dict: loaded };
  }
  const entries = parseConfigString(input);
  const configs = entries.map(({ name, kwargs }) => {
    const base = lookup(name);
    if (base === undefined) {
      throw new AdapterConfigError(`Could not identify '${name}' as a valid adapter configuration. Known identifiers: ${known().join(', ')}`);
    }
    return configReplace(base, kwargs);
  });
  if (configs.length === 1) return { kind: 'config', config: configs[0] as AnyAdapterConfig };
  return { kind: 'members', members: configs };
}

/**
 * A union dict whose `configs` holds config instances (what Python's resolver builds for multi-chunk strings and
 * `ConfigUnion.from_dict` accepts): returns the members (dicts among them are loaded by architecture later).
 */
function liveUnionMembers(input: unknown, warn: WarnFn): AnyAdapterConfig[] | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const o = input as Record<string, unknown>;
  const configs = o['configs'];
  if (o['architecture'] !== 'union' || !Array.isArray(configs) || !configs.some((m) => isAnyAdapterConfig(m))) return undefined;
  return configs.map((m: unknown, i: number) => {
    if (isAnyAdapterConfig(m)) return m;
    const d = toJsonValue(m, `configs[${i}]`);
    if (!isJsonObject(d)) throw new AdapterConfigError(`configs[${i}] is not a dict`, 'configs');
    if (d['architecture'] === 'union') {
      throw new AdapterConfigError(`configs[${i}] is a config union, which is not supported inside a config union`, 'configs');
    }
    return configFromDict(classForArchitecture(d['architecture']), d, { warn });
  });
}

function classForArchitecture(architecture: JsonValue | undefined): ConfigClass {
  const arch = architecture ?? null;
  if (arch !== null && typeof arch !== 'string') {
    throw new AdapterConfigError(`architecture must be a string or null, got ${String(arch)}`, 'architecture');
  }
  const cls = findArchitectureClass(arch);
  if (!cls) {
    const known = listArchitectures()
      .map((a) => (a === null ? 'null/missing' : a))
      .join(', ');
    throw new AdapterConfigError(`unknown adapter architecture '${String(arch)}'; known: ${known}`, 'architecture');
  }
  return cls;
}

/** Options of {@link adapterConfigFromDict}. */
export interface AdapterConfigFromDictOptions extends FromDictOptions {
  /** Class name given to a union (default `ConfigUnion`). */
  unionClassName?: string;
}

/**
 * Python `AdapterConfig.load(dict)`: picks the class by the dict's `architecture` (`prefix_tuning`, `lora`,
 * `mtl_lora`, `prompt_tuning`, `reft`, missing/null → `BnConfig`, `union` → `ConfigUnion` whose members are loaded
 * the same way) and builds it with `from_dict` semantics (unknown keys kept as extras, with a warning). A
 * config instance is returned unchanged.
 */
export function adapterConfigFromDict(dict: unknown, options: AdapterConfigFromDictOptions = {}): AnyAdapterConfig {
  if (isAnyAdapterConfig(dict)) return dict;
  const live = liveUnionMembers(dict, options.warn ?? defaultWarn);
  if (live) return createConfigUnion(live, options.unionClassName ?? 'ConfigUnion');
  const d = toJsonValue(dict, 'config');
  if (!isJsonObject(d)) throw new AdapterConfigError('an adapter configuration dict must be a JSON object');
  const warn = options.warn ?? defaultWarn;
  if (d['architecture'] !== 'union') return configFromDict(classForArchitecture(d['architecture']), d, { warn });
  return unionFromDict(d, options.unionClassName ?? 'ConfigUnion', warn);
}

function unionFromDict(d: JsonObject, className: string, warn: WarnFn): AnyAdapterConfig {
  for (const k of Object.keys(d)) {
    if (k !== 'architecture' && k !== 'configs') warn(`ConfigUnion: key '${k}' is ignored (only "configs" is read)`);
  }
  const raw = d['configs'];
  if (!Array.isArray(raw)) throw new AdapterConfigError('a union config needs a "configs" list', 'configs');
  const members = (raw as readonly unknown[]).map((m, i) => {
    if (isAnyAdapterConfig(m)) return m;
    if (!isJsonObject(m as JsonValue)) throw new AdapterConfigError(`configs[${i}] is not a dict`, 'configs');
    const md = m as JsonObject;
    if (md['architecture'] === 'union') {
      throw new AdapterConfigError(`configs[${i}] is a config union, which is not supported inside a config union`, 'configs');
    }
    return configFromDict(classForArchitecture(md['architecture']), md, { warn });
  });
  return createConfigUnion(members, className);
}

function nonNullOverrides(o: Readonly<Record<string, JsonValue | undefined>> | undefined): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined && v !== null) setOwnProperty(out, k, toJsonValue(v, k));
  return out;
}

/**
 * Python `AdapterConfig.load(config, **overrides)`: resolves any config specifier to a config.
 *
 * Order: a config instance (rebuilt from its `to_dict()` with its own class; a union's members are reloaded by
 * architecture) → a dict (class by `architecture`) → an exact preset identifier → a JSON file (via
 * `readJsonFile`) → a config string (`"lora[r=16]|prefix_tuning"`). Anything else throws
 * {@link AdapterConfigError} listing the known identifiers.
 */
export function resolveAdapterConfig(
  input: ConfigInput,
  options: ResolveAdapterConfigOptions = {},
): AnyAdapterConfig {
  if (input === '' || (typeof input === 'object' && input !== null && !isAnyAdapterConfig(input) && Object.keys(input).length === 0)) {
    throw new AdapterConfigError('an empty string or dict does not describe an adapter configuration');
  }
  const warn = options.warn ?? defaultWarn;
  const overrides = nonNullOverrides(options.overrides);
  const hasOverrides = Object.keys(overrides).length > 0;
  const r = resolveSpecifier(input, getConfigPreset, listConfigPresets, options.readJsonFile, warn);
  const unionOverridesIgnored = (): void => {
    if (hasOverrides) warn(`overrides ${Object.keys(overrides).join(', ')} are ignored for a config union (Python behaviour)`);
  };
  if (r.kind === 'members') {
    unionOverridesIgnored();
    return createConfigUnion(r.members);
  }
  if (r.kind === 'config') {
    const c = r.config;
    if (isConfigUnion(c)) {
      unionOverridesIgnored();
      return unionFromDict(configToDict(c), c.className, warn);
    }
    if (!isAdapterConfig(c)) throw new AdapterConfigError('unreachable: not a config');
    return configFromDict(c.configClass, { ...configToDict(c), ...overrides }, { warn });
  }
  const d = r.dict;
  if (d['architecture'] === 'union') {
    unionOverridesIgnored();
    return unionFromDict(d, 'ConfigUnion', warn);
  }
  // Python picks the class before applying the overrides.
  const cls = classForArchitecture(d['architecture']);
  const merged: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(d)) setOwnProperty(merged, k, v);
  for (const [k, v] of Object.entries(overrides)) setOwnProperty(merged, k, v);
  return configFromDict(cls, merged, { warn });
}
