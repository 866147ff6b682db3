import { type ModelDefinition, defineModel } from '@adapters/core';
import { type BeitConfig, parseBeitConfig } from './config';
import { beitForward } from './forward';
import { beitSites } from './sites';
import { beitWeightSpecs } from './weights';

/** Options of {@link createBeit}. */
export interface BeitOptions {
  /**
   * Give prefix-tuning keys and prompt-tuning tokens a zero relative position bias instead of
   * failing on the shape mismatch like Python (default false; the config key
   * `adapters_pad_relative_position_bias` overrides it).
   */
  readonly padRelativePositionBias?: boolean;
}

/**
 * Builds the BEiT model plugin (`model_type: "beit"`, transformers' `BeitModel`): loads Hugging Face
 * checkpoints and calls every hook point Python's `adapters` uses for BEiT. No Parallel (Python's
 * `SUPPORTED_MODELS[Parallel]` does not list `beit`); invertible adapters are rejected as in Python.
 */
export function createBeit(opts: BeitOptions = {}): ModelDefinition<BeitConfig> {
  const pad = opts.padRelativePositionBias === true;
  return defineModel<BeitConfig>({
    name: pad ? 'beit-padded-bias' : 'beit',
    modelTypes: ['beit'],
    compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Average', 'MultiTask'],
    unsupportedConfigs: ['seq_bn_inv', 'double_seq_bn_inv'],
    basePrefix: () => 'beit',
    parseConfig: (json) => parseBeitConfig(json, pad),
    info: (c) => ({
      modelType: c.modelType,
      hiddenSize: c.hiddenSize,
      numLayers: c.numHiddenLayers,
      numAttentionHeads: c.numAttentionHeads,
      config: c.raw,
    }),
    sites: beitSites,
    weightSpecs: beitWeightSpecs,
    forward: beitForward,
  });
}

/** The BEiT model plugin (Python-faithful: prompt/prefix tuning with a relative position bias fails as in Python). */
export const beit = createBeit();
