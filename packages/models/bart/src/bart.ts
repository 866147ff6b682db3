import { defineModel } from '@adapters/core';
import { type BartConfig, parseBartConfig } from './config';
import { bartForward } from './forward';
import { bartSites } from './sites';
import { bartWeightSpecs } from './weights';

/**
 * The BART-family model plugin (`BartModel`, `MBartModel`, `PLBartModel`): loads Hugging Face
 * checkpoints (bare, or `…ForConditionalGeneration` ones with the `model.` prefix) and calls every
 * hook point Python's `adapters` uses for these architectures.
 */
export const bart = defineModel<BartConfig>({
  name: 'bart',
  modelTypes: ['bart', 'mbart', 'plbart'],
  // Python SUPPORTED_MODELS whitelists bart, mbart and plbart for Parallel.
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
  // Python: BartModelAdaptersMixin / PLBartModelAdaptersMixin.support_prompt_tuning = False.
  unsupportedConfigs: ['prompt_tuning'],
  basePrefix: () => 'model',
  parseConfig: parseBartConfig,
  info: (c) => ({
    modelType: c.modelType,
    hiddenSize: c.dModel,
    numLayers: c.encoderLayers + c.decoderLayers,
    numAttentionHeads: c.encoderAttentionHeads,
    config: c.raw,
  }),
  sites: bartSites,
  weightSpecs: bartWeightSpecs,
  forward: bartForward,
});
