import {
  type AdapterConfig,
  type ConfigInput,
  type MethodInitContext,
  type ModelInfo,
  type ResidualSite,
  Rng,
  requireSingleConfig,
  resolveAdapterConfig,
} from '@adapters/core';

/** A stand-alone residual site (hidden 8) for module-level tests. */
export const SITE: ResidualSite = { kind: 'residual', point: 'block.ffn', layer: 0, path: 'encoder.layer.0.output', hiddenSize: 8, hasLayerNorm: true };

export const INFO: ModelInfo = { modelType: 'bert', hiddenSize: 8, numLayers: 2, numAttentionHeads: 2, config: { attention_probs_dropout_prob: 0.1 } };

/** A method init context for `config` (seeded). */
export function initCtx(config: ConfigInput, seed = 1, site: ResidualSite = SITE): MethodInitContext {
  const c: AdapterConfig = requireSingleConfig(resolveAdapterConfig(config));
  return { adapterName: 't', config: c, model: INFO, rng: new Rng(seed), sites: [site], shared: undefined };
}

/** Plain values of a variable. */
export const vals = (t: { dataSync(): ArrayLike<number> }): number[] => Array.from(t.dataSync());
