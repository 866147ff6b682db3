/**
 * `ConfigUnion`: several method configs combined into one adapter (Python `ConfigUnion`, `MAMConfig`,
 * `UniPELTConfig`). Serialized as `{"architecture": "union", "configs": [...]}`; iterated (and hashed) as
 * flattened `"<index>.<key>"` items.
 */

import { AdapterConfigError } from '../errors';
import { isAdapterConfig, singleGet, singleItems, singleReplace, singleToDict, type AdapterConfig } from './config-class';
import { markNotJson, pyEquals, pyTruthy, type JsonValue } from './python-value';

/** An immutable union of non-union configs. */
export interface ConfigUnion {
  /** Discriminator against `AdapterConfig`. */
  readonly kind: 'union';
  /** `ConfigUnion`, or the preset class it was built as (`MAMConfig`, `UniPELTConfig`). */
  readonly className: string;
  /** Always `union`. */
  readonly architecture: 'union';
  /** The member configs, in order. */
  readonly configs: readonly AdapterConfig[];
}

/** Any config: a single method config or a union. */
export type AnyAdapterConfig = AdapterConfig | ConfigUnion;

const UNIONS = new WeakSet<object>();

/** Whether `x` is a {@link ConfigUnion} created by this module. */
export function isConfigUnion(x: unknown): x is ConfigUnion {
  return typeof x === 'object' && x !== null && UNIONS.has(x);
}

/** Whether `x` is a config of either kind. */
export function isAnyAdapterConfig(x: unknown): x is AnyAdapterConfig {
  return isAdapterConfig(x) || isConfigUnion(x);
}

function describe(c: AdapterConfig, i: number): string {
  return `configs[${i}] (${c.className})`;
}

/**
 * Python `ConfigUnion.validate(configs)`. Every member must be a non-union config (else {@link AdapterConfigError},
 * Python `TypeError`). For every pair with the same `architecture`: accepted if either has a non-empty
 * `leave_out`; else accepted only if the later config's class has a union-compatibility rule and the two differ
 * in all of its fields (bottleneck: `mh_adapter` and `output_adapter`); otherwise rejected (Python `ValueError`).
 */
export function validateConfigUnion(configs: readonly unknown[]): void {
  configs.forEach((c, i) => {
    if (isConfigUnion(c)) {
      throw new AdapterConfigError(`configs[${i}] (${c.className}) is a config union, which is not supported inside a config union`);
    }
    if (!isAdapterConfig(c)) throw new AdapterConfigError(`configs[${i}] is not an instance of AdapterConfig`);
  });
  const cs = configs as readonly AdapterConfig[];
  for (let i = 0; i < cs.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = cs[i] as AdapterConfig;
      const b = cs[j] as AdapterConfig;
      if (!pyEquals(singleGet(a, 'architecture') ?? null, singleGet(b, 'architecture') ?? null)) continue;
      if (pyTruthy(singleGet(a, 'leave_out')) || pyTruthy(singleGet(b, 'leave_out'))) continue;
      const rule = a.configClass.unionCompatible;
      if (rule) {
        const ok = rule.mustDifferIn.every((f) => !pyEquals(singleGet(a, f), singleGet(b, f)));
        if (!ok) {
          throw new AdapterConfigError(
            `${describe(a, i)} and ${describe(b, j)} cannot be combined: configs of this kind must differ in all of ${rule.mustDifferIn.join(', ')}`,
          );
        }
        continue;
      }
      throw new AdapterConfigError(
        `${describe(a, i)} and ${describe(b, j)} have the same adapter architecture (${String(singleGet(a, 'architecture') ?? null)}) and cannot be combined`,
      );
    }
  }
}

/**
 * Python `ConfigUnion(*configs)`: validates ({@link validateConfigUnion}) and builds an immutable union.
 * `className` names the preset class (`MAMConfig`, `UniPELTConfig`); default `ConfigUnion`.
 */
export function createConfigUnion(configs: readonly AnyAdapterConfig[], className = 'ConfigUnion'): ConfigUnion {
  validateConfigUnion(configs);
  const u: ConfigUnion = Object.freeze({
    kind: 'union' as const,
    className,
    architecture: 'union' as const,
    configs: Object.freeze([...(configs as readonly AdapterConfig[])]),
  });
  UNIONS.add(u);
  markNotJson(u, `a ${className} instance`);
  return u;
}

/** The flattened `["<index>.<key>", value]` items of a union (Python iteration), fields and extras of each member. */
export function configUnionItems(u: ConfigUnion): Array<[string, JsonValue]> {
  const out: Array<[string, JsonValue]> = [];
  u.configs.forEach((c, i) => {
    for (const [k, v] of singleItems(c)) out.push([`${i}.${k}`, v]);
  });
  return out;
}

/** @internal */
export function unionToDict(u: ConfigUnion, includeExtra: boolean): Record<string, JsonValue> {
  return { architecture: 'union', configs: u.configs.map((c) => singleToDict(c, includeExtra)) };
}

/** @internal `"<i>.<key>"` lookup, or `architecture`. */
export function unionGet(u: ConfigUnion, key: string): JsonValue | undefined {
  if (key === 'architecture') return 'union';
  const m = /^(\d+)\.(.+)$/s.exec(key);
  if (!m) return undefined;
  const member = u.configs[Number(m[1])];
  return member === undefined ? undefined : singleGet(member, m[2] as string);
}

/** @internal Python `ConfigUnion.replace`: the changes go to every member; the result is a plain `ConfigUnion`. */
export function unionReplace(u: ConfigUnion, changes: Readonly<Record<string, JsonValue | undefined>>): ConfigUnion {
  return createConfigUnion(u.configs.map((c) => singleReplace(c, changes)));
}
