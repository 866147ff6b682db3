/**
 * Operations on any config (single or union), mirroring the Python `AdapterConfig` Mapping API.
 */

import { AdapterConfigError } from '../errors';
import { isSubclassOf, singleGet, singleItems, singleReplace, singleToDict, type AdapterConfig, type ConfigClass } from './config-class';
import { isConfigUnion, unionGet, unionReplace, unionToDict, configUnionItems, type AnyAdapterConfig, type ConfigUnion } from './union';
import { pyEquals, type JsonValue } from './python-value';

/** Options of {@link configToDict}. */
export interface ConfigToDictOptions {
  /**
   * Also include extra (non-field) attributes. Default false: Python's `to_dict()` (dataclass `asdict`) and
   * therefore the saved `adapter_config.json` contain the dataclass fields only.
   */
  includeExtra?: boolean;
}

/**
 * Python `config.to_dict()`: a fresh, mutable dict of the dataclass fields in field order (no class attributes;
 * no extras unless asked). A union gives `{"architecture": "union", "configs": [...]}`. This is the `config`
 * entry of `adapter_config.json`.
 */
export function configToDict(c: AnyAdapterConfig, options: ConfigToDictOptions = {}): Record<string, JsonValue> {
  const includeExtra = options.includeExtra ?? false;
  return isConfigUnion(c) ? unionToDict(c, includeExtra) : singleToDict(c, includeExtra);
}

/**
 * Python attribute access `config.key`: a field, else an extra attribute, else a class attribute (e.g.
 * `random_uniform_scale`, `subtract_projection`, `architecture` = null for bottleneck configs); `undefined` if
 * none. On a union: `architecture`, or `"<index>.<key>"` of a member.
 */
export function configGet(c: AnyAdapterConfig, key: string): JsonValue | undefined {
  return isConfigUnion(c) ? unionGet(c, key) : singleGet(c, key);
}

/** Alias of {@link configGet} (attribute access `config.key`). */
export const configValue: (c: AnyAdapterConfig, key: string) => JsonValue | undefined = configGet;

/** The method configs of a config: a union's members, or the config itself. */
export function configMembers(c: AnyAdapterConfig): readonly AdapterConfig[] {
  return isConfigUnion(c) ? c.configs : [c];
}

/** Narrows to a single (non-union) config; throws {@link AdapterConfigError} for a union. */
export function requireSingleConfig(c: AnyAdapterConfig): AdapterConfig {
  if (isConfigUnion(c)) throw new AdapterConfigError(`expected a single method config, got the config union ${c.className}`);
  return c;
}

/** The architecture of a config (`null` for bottleneck and fusion configs, `union` for unions). */
export function configArchitecture(c: AnyAdapterConfig): string | null {
  const a = configGet(c, 'architecture');
  if (a === undefined || a === null) return null;
  if (typeof a !== 'string') throw new AdapterConfigError(`architecture must be a string, got ${String(a)}`, 'architecture');
  return a;
}

/**
 * Python `config.items()`: what the config hash is computed from. A single config yields its fields then its
 * extra attributes; a union yields every member's items as `"<index>.<key>"`.
 */
export function configItems(c: AnyAdapterConfig): Array<[string, JsonValue]> {
  return isConfigUnion(c) ? configUnionItems(c) : singleItems(c);
}

/**
 * Python `config.replace(**changes)`: a new config of the same class with the changes applied. Unknown field
 * names throw {@link AdapterConfigError} naming the field (Python `TypeError`), including class attributes such
 * as `subtract_projection`. Extras are not carried over (Python builds a fresh dataclass). On a union the changes
 * apply to every member and the result is a plain `ConfigUnion`. `undefined` values are skipped.
 */
export function configReplace(c: AdapterConfig, changes: Readonly<Record<string, JsonValue | undefined>>): AdapterConfig;
export function configReplace(c: ConfigUnion, changes: Readonly<Record<string, JsonValue | undefined>>): ConfigUnion;
export function configReplace(c: AnyAdapterConfig, changes: Readonly<Record<string, JsonValue | undefined>>): AnyAdapterConfig;
export function configReplace(c: AnyAdapterConfig, changes: Readonly<Record<string, JsonValue | undefined>>): AnyAdapterConfig {
  return isConfigUnion(c) ? unionReplace(c, changes) : singleReplace(c, changes);
}

/**
 * Python `a == b`: single configs are equal when their `to_dict()` are equal under Python `==` (class and extras
 * are ignored, so `IA3Config()` equals the `LoRAConfig` reloaded from it); unions compare members pairwise
 * (Python `zip`, so only the common prefix counts); a union never equals a single config.
 */
export function configEquals(a: AnyAdapterConfig, b: AnyAdapterConfig): boolean {
  if (isConfigUnion(a) || isConfigUnion(b)) {
    if (!isConfigUnion(a) || !isConfigUnion(b)) return false;
    const n = Math.min(a.configs.length, b.configs.length);
    for (let i = 0; i < n; i++) if (!configEquals(a.configs[i] as AdapterConfig, b.configs[i] as AdapterConfig)) return false;
    return true;
  }
  return pyEquals(singleToDict(a, false), singleToDict(b, false));
}

/**
 * Python `isinstance(config, Class)`: by class identity or name, through parents and marker mixins. A union is an
 * instance of its own class name, `ConfigUnion` and `AdapterConfig`.
 */
export function isConfigInstanceOf(c: AnyAdapterConfig, cls: ConfigClass | string): boolean {
  if (isConfigUnion(c)) {
    const name = typeof cls === 'string' ? cls : cls.className;
    return name === c.className || name === 'ConfigUnion' || name === 'AdapterConfig';
  }
  return isSubclassOf(c.configClass, cls);
}
