/**
 * The config registry: config classes by name, presets by identifier (`ADAPTER_CONFIG_MAP`), and the
 * `architecture` → class table used when loading a dict. Seeded lazily with the Python library's classes and
 * presets (no import side effects); method packages add their own with {@link registerConfigClass},
 * {@link registerConfigPreset} and {@link registerArchitecture}.
 */

import { AdapterConfigError } from '../errors';
import { createConfig, type AdapterConfig, type ConfigClass } from './config-class';
import { configReplace } from './config-ops';
import {
  PYTHON_ADAPTER_CONFIG_PRESETS,
  PYTHON_ARCHITECTURES,
  PYTHON_CONFIG_CLASSES,
  type PresetDefinition,
} from './python-configs';
import { createConfigUnion, isAnyAdapterConfig, type AnyAdapterConfig } from './union';
import type { JsonValue } from './python-value';

/** Options of the `register*` functions. */
export interface RegisterOptions {
  /** Replace an existing entry of the same name instead of throwing. */
  replace?: boolean;
}

const classes = new Map<string, ConfigClass>();
const presets = new Map<string, AnyAdapterConfig>();
const architectures = new Map<string | null, ConfigClass>();
let seeded = false;

function seed(): void {
  if (seeded) return;
  seeded = true;
  for (const cls of PYTHON_CONFIG_CLASSES) classes.set(cls.className, cls);
  for (const [arch, name] of PYTHON_ARCHITECTURES) architectures.set(arch, lookupClass(name));
  for (const def of PYTHON_ADAPTER_CONFIG_PRESETS) presets.set(def.identifier, buildPreset(def));
}

function lookupClass(name: string): ConfigClass {
  const cls = classes.get(name);
  if (!cls) {
    throw new AdapterConfigError(`unknown config class '${name}'; registered: ${[...classes.keys()].join(', ')}`);
  }
  return cls;
}

/** @internal Builds a preset from its data definition, resolving class names through `resolveClass`. */
export function buildPreset(def: PresetDefinition, resolveClass: (name: string) => ConfigClass = lookupClass): AnyAdapterConfig {
  if ('unionClassName' in def) {
    let members: AdapterConfig[] = def.members.map((m) => createConfig(resolveClass(m.className), m.overrides ?? {}));
    if (def.replaceAll) members = members.map((m) => configReplace(m, def.replaceAll ?? {}));
    return createConfigUnion(members, def.unionClassName);
  }
  return createConfig(resolveClass(def.className), def.overrides ?? {});
}

/** Registers a config class under its `className` (idempotent for the same object). */
export function registerConfigClass(cls: ConfigClass, options: RegisterOptions = {}): void {
  seed();
  const existing = classes.get(cls.className);
  if (existing && existing !== cls && !options.replace) {
    throw new AdapterConfigError(`a config class named '${cls.className}' is already registered`);
  }
  classes.set(cls.className, cls);
}

/** The registered class of that name, or `undefined`. */
export function findConfigClass(className: string): ConfigClass | undefined {
  seed();
  return classes.get(className);
}

/** The registered class of that name; throws {@link AdapterConfigError} listing the registered names. */
export function getConfigClass(className: string): ConfigClass {
  seed();
  return lookupClass(className);
}

/** Names of all registered config classes. */
export function listConfigClasses(): string[] {
  seed();
  return [...classes.keys()];
}

/**
 * Maps an `architecture` value of a config dict to the class used to load it (Python `_get_config_class`);
 * `null` stands for a missing or `None` architecture. `union` is reserved.
 */
export function registerArchitecture(architecture: string | null, cls: ConfigClass | string, options: RegisterOptions = {}): void {
  seed();
  if (architecture === 'union') throw new AdapterConfigError("the architecture 'union' is reserved for ConfigUnion", 'architecture');
  const target = typeof cls === 'string' ? lookupClass(cls) : cls;
  const existing = architectures.get(architecture);
  if (existing && existing !== target && !options.replace) {
    throw new AdapterConfigError(`architecture '${String(architecture)}' is already mapped to ${existing.className}`, 'architecture');
  }
  architectures.set(architecture, target);
}

/** The class that loads dicts with this `architecture`, or `undefined` (`union` is handled separately). */
export function findArchitectureClass(architecture: string | null): ConfigClass | undefined {
  seed();
  return architectures.get(architecture);
}

/** Registered architecture values (`null` = missing), plus `union`. */
export function listArchitectures(): Array<string | null> {
  seed();
  return [...architectures.keys(), 'union'];
}

/**
 * Registers a preset identifier (an entry of `ADAPTER_CONFIG_MAP`), usable as `config="<identifier>"` and in config
 * strings. `base` is a class (or class name; constructor semantics: `Class(**overrides)`), a config instance, or
 * the identifier of another preset (then `overrides` are applied with `replace`). Returns the preset.
 */
export function registerConfigPreset(
  identifier: string,
  base: ConfigClass | string | AnyAdapterConfig,
  overrides: Readonly<Record<string, JsonValue>> = {},
  options: RegisterOptions = {},
): AnyAdapterConfig {
  seed();
  if (typeof identifier !== 'string' || identifier === '') throw new AdapterConfigError('a preset identifier must be a non-empty string');
  if (presets.has(identifier) && !options.replace) throw new AdapterConfigError(`the config preset '${identifier}' is already registered`);
  const noChanges = Object.keys(overrides).length === 0;
  let config: AnyAdapterConfig;
  if (isAnyAdapterConfig(base)) config = noChanges ? base : configReplace(base, overrides);
  else if (typeof base === 'string' && !classes.has(base) && presets.has(base)) {
    const p = presets.get(base) as AnyAdapterConfig;
    config = noChanges ? p : configReplace(p, overrides);
  } else config = createConfig(typeof base === 'string' ? lookupClass(base) : base, overrides);
  presets.set(identifier, config);
  return config;
}

/** The preset of that identifier, or `undefined`. */
export function getConfigPreset(identifier: string): AnyAdapterConfig | undefined {
  seed();
  return presets.get(identifier);
}

/** All preset identifiers, in registration order (Python `ADAPTER_CONFIG_MAP` order first). */
export function listConfigPresets(): string[] {
  seed();
  return [...presets.keys()];
}
