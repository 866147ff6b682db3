import {
  AdapterConfigError,
  type ModelDefinition,
  type ModelInfo,
  type Site,
  type WeightSpec,
  modelForType,
} from '@adapters/core';

/** The encoder or the decoder of an `EncoderDecoderModel`: its plugin, parsed config and place in the state dict. */
export interface SubModel {
  readonly role: 'encoder' | 'decoder';
  readonly def: ModelDefinition<unknown>;
  /** The sub-config object as written in `config.json`. */
  readonly json: Readonly<Record<string, unknown>>;
  readonly config: unknown;
  readonly info: ModelInfo;
  /**
   * State-dict prefix of the sub-model's base model: `encoder` (transformers' `AutoModel`, a bare
   * model) or `decoder.<base_model_prefix>` (`AutoModelForCausalLM`, e.g. `decoder.bert` of a
   * `BertLMHeadModel`).
   */
  readonly prefix: string;
  /** The sub-model's own sites and weight specs (its own naming). */
  readonly sites: readonly Site[];
  readonly specs: readonly WeightSpec[];
}

/** Finds the plugin of a sub-model: the explicitly passed ones first, then the global registry. */
export function resolvePlugin(modelType: string, role: 'encoder' | 'decoder', models: readonly ModelDefinition<unknown>[]): ModelDefinition<unknown> {
  if (modelType === 'encoder-decoder') throw new AdapterConfigError(`an ${role} cannot itself be an encoder-decoder model`, `${role}.model_type`);
  return models.find((m) => m.modelTypes.includes(modelType)) ?? modelForType(modelType);
}

/** Parses the `encoder` / `decoder` sub-config of an `EncoderDecoderConfig` with its plugin. */
export function parseSubModel(json: Readonly<Record<string, unknown>>, role: 'encoder' | 'decoder', models: readonly ModelDefinition<unknown>[]): SubModel {
  const sub = json[role];
  if (typeof sub !== 'object' || sub === null || Array.isArray(sub)) {
    throw new AdapterConfigError(`config.json of an encoder-decoder model needs an "${role}" sub-config object`, role);
  }
  const subJson = sub as Readonly<Record<string, unknown>>;
  if (typeof subJson.model_type !== 'string') throw new AdapterConfigError(`the ${role} sub-config needs a "model_type"`, `${role}.model_type`);
  const def = resolvePlugin(subJson.model_type, role, models);
  const config = def.parseConfig(subJson);
  const prefix = role === 'encoder' ? 'encoder' : `decoder.${def.basePrefix(config)}`;
  return { role, def, json: subJson, config, info: def.info(config), prefix, sites: def.sites(config), specs: def.weightSpecs(config) };
}

/** The largest hook layer of a site list, −1 for none. */
export function maxHookLayer(sites: readonly Site[]): number {
  return sites.reduce((m, s) => Math.max(m, s.hookLayer ?? s.layer), -1);
}

/**
 * A sub-model's site in the composed model: module paths (and merge weight keys, prefix pools,
 * invertible-adapter containers) under the sub-model's prefix. `hookOffset` (decoder) moves the
 * hook layer past the encoder's while `layer` keeps the sub-model's own index, as Python's
 * `EncoderDecoderModelAdaptersMixin.iter_layers` yields it.
 */
export function composedSite(s: Site, prefix: string, hookOffset: number | null): Site {
  const under = (p: string | undefined): string => (p ? `${prefix}.${p}` : prefix);
  const hook = hookOffset === null ? {} : { hookLayer: hookOffset + (s.hookLayer ?? s.layer) };
  const path = `${prefix}.${s.path}`;
  switch (s.kind) {
    case 'linear':
      return { ...s, ...hook, path, weightKey: `${prefix}.${s.weightKey}` };
    case 'attention':
      return { ...s, ...hook, path, poolPath: under(s.poolPath) };
    case 'embedding':
      return { ...s, ...hook, path, containerPath: under(s.containerPath) };
    default:
      return { ...s, ...hook, path };
  }
}

/** A sub-model's weight spec under the sub-model's prefix. */
export function composedSpec(s: WeightSpec, prefix: string): WeightSpec {
  return { ...s, name: `${prefix}.${s.name}`, ...(s.aliases ? { aliases: s.aliases.map((a) => `${prefix}.${a}`) } : {}) };
}
