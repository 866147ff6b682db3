import {
  type AdapterConfig,
  type JsonValue,
  type ModelInfo,
  configToDict,
  isAdapterConfig,
  pyTruthy,
  resolveFusionConfig,
  toNumber,
} from '@adapters/core';

/** The fields of an `AdapterFusionConfig`, typed (Python `BertFusion`'s reading of them). */
export interface FusionOptions {
  readonly key: boolean;
  readonly query: boolean;
  readonly value: boolean;
  readonly queryBeforeLn: boolean;
  readonly regularization: boolean;
  readonly residualBefore: boolean;
  readonly temperature: boolean;
  readonly valueBeforeSoftmax: boolean;
  readonly valueInitialized: boolean;
  /** `dropout_prob or model.attention_probs_dropout_prob or 0` (Python's `or`: 0 and null fall through). */
  readonly dropoutProb: number;
}

const resolved = new WeakMap<object, AdapterConfig>();

/**
 * The fusion config as a resolved `AdapterFusionConfig` (accepts one, or a plain dict as given to
 * Python's `add_adapter_fusion`, which runs `AdapterFusionConfig.from_dict`).
 */
export function resolvedFusionConfig(config: Readonly<Record<string, unknown>>): AdapterConfig {
  if (isAdapterConfig(config)) return config;
  let r = resolved.get(config);
  if (!r) {
    r = resolveFusionConfig(config);
    resolved.set(config, r);
  }
  return r;
}

/** The fusion config as a plain dict in field order (the `config` entry of `adapter_fusion_config.json`). */
export function fusionConfigDict(config: Readonly<Record<string, unknown>>): Record<string, JsonValue> {
  return configToDict(resolvedFusionConfig(config));
}

/** Reads the {@link FusionOptions} of a fusion config; `model` supplies the dropout fallback. */
export function fusionOptions(config: Readonly<Record<string, unknown>>, model?: ModelInfo): FusionOptions {
  const c = resolvedFusionConfig(config).values;
  const flag = (k: string): boolean => pyTruthy(c[k]);
  const own = toNumber(c.dropout_prob ?? undefined) ?? 0;
  const modelDropout = Number(model?.config.attention_probs_dropout_prob ?? 0) || 0;
  return {
    key: flag('key'),
    query: flag('query'),
    value: flag('value'),
    queryBeforeLn: flag('query_before_ln'),
    regularization: flag('regularization'),
    residualBefore: flag('residual_before'),
    temperature: flag('temperature'),
    valueBeforeSoftmax: flag('value_before_softmax'),
    valueInitialized: flag('value_initialized'),
    dropoutProb: own || modelDropout,
  };
}
