/**
 * AdapterFusion configs (Python `AdapterFusionConfig`, presets `static` and `dynamic`).
 */

import { AdapterConfigError } from '../errors';
import { configFromDict, createConfig, defaultWarn, isAdapterConfig, isSubclassOf, type AdapterConfig, type ConfigClass, type FromDictOptions } from './config-class';
import { configReplace, configToDict } from './config-ops';
import { resolveSpecifier } from './config-string';
import { AdapterFusionConfig, PYTHON_FUSION_CONFIG_PRESETS, StaticAdapterFusionConfig, DynamicAdapterFusionConfig } from './python-configs';
import { setOwnProperty, toJsonValue, type JsonValue } from './python-value';
import type { RegisterOptions } from './registry';
import type { AnyAdapterConfig } from './union';

const fusionPresets = new Map<string, AdapterConfig>();
let seeded = false;

function seed(): void {
  if (seeded) return;
  seeded = true;
  const byName = new Map<string, ConfigClass>([
    [StaticAdapterFusionConfig.className, StaticAdapterFusionConfig],
    [DynamicAdapterFusionConfig.className, DynamicAdapterFusionConfig],
  ]);
  for (const def of PYTHON_FUSION_CONFIG_PRESETS) {
    const cls = byName.get(def.className);
    if (!cls) throw new AdapterConfigError(`unknown fusion config class ${def.className}`);
    fusionPresets.set(def.identifier, createConfig(cls, def.overrides ?? {}));
  }
}

/**
 * Registers an AdapterFusion preset (an entry of Python's `ADAPTERFUSION_CONFIG_MAP`). `base` is a subclass of
 * `AdapterFusionConfig` (constructed with `overrides`) or a fusion config instance (`replace`d with `overrides`).
 */
export function registerFusionConfigPreset(
  identifier: string,
  base: ConfigClass | AdapterConfig,
  overrides: Readonly<Record<string, JsonValue>> = {},
  options: RegisterOptions = {},
): AdapterConfig {
  seed();
  if (fusionPresets.has(identifier) && !options.replace) throw new AdapterConfigError(`the fusion preset '${identifier}' is already registered`);
  const config = isAdapterConfig(base) ? configReplace(base, overrides) : createConfig(base, overrides);
  if (!isSubclassOf(config.configClass, AdapterFusionConfig)) {
    throw new AdapterConfigError(`a fusion preset must be an AdapterFusionConfig, got ${config.className}`);
  }
  fusionPresets.set(identifier, config);
  return config;
}

/** The fusion preset of that identifier, or `undefined`. */
export function getFusionConfigPreset(identifier: string): AdapterConfig | undefined {
  seed();
  return fusionPresets.get(identifier);
}

/** All fusion preset identifiers (`static`, `dynamic`, then registered ones). */
export function listFusionConfigPresets(): string[] {
  seed();
  return [...fusionPresets.keys()];
}

/** Options of {@link resolveFusionConfig}. */
export interface ResolveFusionConfigOptions extends FromDictOptions {
  /** As in `resolveAdapterConfig`: reads a JSON file, `undefined` if `path` is not a file. */
  readJsonFile?: (path: string) => string | undefined;
  /** Python `AdapterFusionConfig.load(config, **kwargs)`: applied on top, `null` included (Python does not skip None here); `undefined` skipped. */
  overrides?: Readonly<Record<string, JsonValue | undefined>>;
}

/**
 * Python `AdapterFusionConfig.load(config, **kwargs)`: a dict, a fusion config, a preset identifier (`static`,
 * `dynamic`), a JSON file (via `readJsonFile`), or a config string (`"dynamic[temperature=True]"`). The result is
 * always of class `AdapterFusionConfig` (as in Python). Unknown keys become extras (with a warning).
 */
export function resolveFusionConfig(
  input: string | Readonly<Record<string, unknown>> | AdapterConfig,
  options: ResolveFusionConfigOptions = {},
): AdapterConfig {
  const r = resolveSpecifier(input, getFusionConfigPreset, listFusionConfigPresets, options.readJsonFile, options.warn ?? defaultWarn);
  if (r.kind === 'members') throw new AdapterConfigError('an AdapterFusion config cannot be a union of several configs');
  let dict: Record<string, JsonValue>;
  if (r.kind === 'config') {
    const c: AnyAdapterConfig = r.config;
    if (!isAdapterConfig(c) || !isSubclassOf(c.configClass, AdapterFusionConfig)) {
      throw new AdapterConfigError(`expected an AdapterFusionConfig, got ${c.className}`);
    }
    dict = configToDict(c);
  } else {
    dict = {};
    for (const [k, v] of Object.entries(r.dict)) setOwnProperty(dict, k, v);
  }
  for (const [k, v] of Object.entries(options.overrides ?? {})) if (v !== undefined) setOwnProperty(dict, k, toJsonValue(v, k));
  return configFromDict(AdapterFusionConfig, dict, { warn: options.warn ?? defaultWarn });
}
