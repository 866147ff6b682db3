/**
 * Type-checked adapter configs through declaration merging: method packages add their config type to
 * {@link MethodConfigMap}, and {@link addTypedAdapter} / {@link typedAdapterConfig} accept exactly the
 * registered identifiers with exactly their fields. Purely additive: `AdapterModel.addAdapter` keeps
 * accepting every {@link ConfigInput}.
 */
import type { AdapterModel, AddAdapterOptions } from './adapter-model';
import { type AnyAdapterConfig, type JsonValue, configReplace, getConfigPreset } from './config';
import { AdapterConfigError } from './errors';

/**
 * Config fields per preset identifier, filled in by method packages with module augmentation:
 *
 * ```ts
 * declare module '@adapters/core' {
 *   interface MethodConfigMap {
 *     loha: LohaConfigInput;
 *   }
 * }
 * ```
 *
 * Each key is a config preset identifier (registered with `registerConfigPreset`); its value lists the
 * constructor fields of the preset's config class, all optional (defaults come from the preset). The
 * interface is empty in the core: with no method package imported, no typed config compiles.
 */
export interface MethodConfigMap {}

/** The preset identifiers some imported method package registered in {@link MethodConfigMap}. */
export type MethodConfigName = keyof MethodConfigMap & string;

/** A typed config: `{ method: 'lora', r: 8, … }` — the identifier plus that preset's fields. */
export type TypedAdapterConfig<K extends MethodConfigName = MethodConfigName> = {
  [P in K]: { readonly method: P } & MethodConfigMap[P];
}[K];

/**
 * Resolves a typed config: the preset `method` with the other fields applied (Python `dataclasses.replace`,
 * i.e. `LoRAConfig(r=…)` for the `lora` preset). Unknown fields still throw at run time (plain-JS callers).
 */
export function typedAdapterConfig<K extends MethodConfigName>(config: { readonly method: K } & MethodConfigMap[K]): AnyAdapterConfig {
  const { method, ...fields } = config as unknown as { readonly method: string } & Record<string, unknown>;
  const preset = getConfigPreset(method);
  if (!preset) throw new AdapterConfigError(`unknown config preset '${method}': import the method package that registers it`, 'method');
  return Object.keys(fields).length === 0 ? preset : configReplace(preset, fields as Readonly<Record<string, JsonValue | undefined>>);
}

/**
 * `model.addAdapter(name, config)` with a type-checked config: a misspelled `method` or a field of the
 * wrong name or type is a compile error.
 *
 * ```ts
 * import '@adapters/lora'; // augments MethodConfigMap with `lora`
 * addTypedAdapter(model, 'sentiment', { method: 'lora', r: 8, alpha: 16 });
 * ```
 */
export function addTypedAdapter<K extends MethodConfigName, Cfg = unknown>(
  model: AdapterModel<Cfg>,
  name: string,
  config: { readonly method: K } & MethodConfigMap[K],
  opts: AddAdapterOptions = {},
): void {
  model.addAdapter(name, typedAdapterConfig<K>(config), opts);
}
