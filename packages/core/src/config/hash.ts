/**
 * Python `adapters.utils.get_adapter_config_hash`: the config id used as key of dict configs in the model's
 * config map, as `config_id` metadata, and by the legacy AdapterHub index.
 */

import { AdapterConfigError } from '../errors';
import { configItems } from './config-ops';
import { pythonJsonDumps } from './python-json';
import { isJsonObject, pyEquals, pyFloat, pyTruthy, setOwnProperty, toJsonValue, type JsonValue } from './python-value';
import { sha1Hex } from './sha1';
import { isAnyAdapterConfig, type AnyAdapterConfig } from './union';

/**
 * Python `ADAPTER_CONFIG_HASH_IGNORE_DEFAULT`: keys introduced in adapters v3 that are dropped from the hash when
 * they hold these (v2) defaults, so v2 config ids stay stable. Compared with Python `==` (`1 == 1.0 == True`).
 */
export const ADAPTER_CONFIG_HASH_IGNORE_DEFAULT: Readonly<Record<string, JsonValue>> = Object.freeze({
  phm_layer: true,
  phm_dim: 4,
  factorized_phm_W: true,
  shared_W_phm: false,
  shared_phm_rule: true,
  factorized_phm_rule: false,
  phm_c_init: 'normal',
  phm_init_range: 0.0001,
  learn_phm: true,
  hypercomplex_nonlinearity: 'glorot-uniform',
  phm_rank: 1,
  phm_bias: true,
  init_weights: 'bert',
  scaling: pyFloat(1),
});

/** Options of {@link getAdapterConfigHash}. */
export interface ConfigHashOptions {
  /** Top-level keys left out of the hash (Python `ignore_params`). */
  ignoreParams?: readonly string[];
}

/** Python `_minimize_dict`: drops falsy values recursively through dicts (the falsy test is on the original value). */
function minimize(v: JsonValue): JsonValue {
  if (!isJsonObject(v)) return v;
  const out: Record<string, JsonValue> = {};
  for (const [k, x] of Object.entries(v)) if (pyTruthy(x)) setOwnProperty(out, k, minimize(x));
  return out;
}

/**
 * The exact JSON string that {@link getAdapterConfigHash} hashes: the config's items (a config instance: fields and
 * extra attributes; a union: flattened `"<i>.<key>"` items; a plain dict: its entries) minus `ignoreParams`, with
 * falsy values dropped recursively through dicts (not lists), then the keys of
 * {@link ADAPTER_CONFIG_HASH_IGNORE_DEFAULT} dropped where equal to their default, serialized like Python's
 * `json.dumps(..., sort_keys=True)`.
 */
export function getAdapterConfigHashInput(config: AnyAdapterConfig | Readonly<Record<string, unknown>>, options: ConfigHashOptions = {}): string {
  const ignore = new Set(options.ignoreParams ?? []);
  let items: Array<[string, JsonValue]>;
  if (isAnyAdapterConfig(config)) items = configItems(config);
  else {
    const d = toJsonValue(config, 'config');
    if (!isJsonObject(d)) throw new AdapterConfigError('only configs and dicts can be hashed');
    items = Object.entries(d);
  }
  const top: Record<string, JsonValue> = {};
  for (const [k, v] of items) if (!ignore.has(k)) setOwnProperty(top, k, v);
  const minimized = minimize(top) as Record<string, JsonValue>;
  for (const [name, def] of Object.entries(ADAPTER_CONFIG_HASH_IGNORE_DEFAULT)) {
    if (Object.prototype.hasOwnProperty.call(minimized, name) && pyEquals(minimized[name], def)) delete minimized[name];
  }
  return pythonJsonDumps(minimized, { sortKeys: true });
}

/**
 * Python `get_adapter_config_hash(config, length=16)`: the first `length` hex digits of the SHA-1 of
 * {@link getAdapterConfigHashInput}. Hash config instances (what Python hashes after `AdapterConfig.load`): for a
 * union, hashing the instance and hashing its `to_dict()` give different ids.
 */
export function getAdapterConfigHash(
  config: AnyAdapterConfig | Readonly<Record<string, unknown>>,
  length = 16,
  options: ConfigHashOptions = {},
): string {
  return sha1Hex(getAdapterConfigHashInput(config, options)).slice(0, length);
}
