import { defineModel } from '@adapters/core';
import { type T5Config, parseT5Config } from './config';
import { t5Forward } from './forward';
import { t5Sites } from './sites';
import { t5WeightSpecs } from './weights';

/**
 * The T5 / mT5 model plugin (`T5Model`, `MT5Model`): loads Hugging Face checkpoints (bare or
 * `T5ForConditionalGeneration` ones, whose keys are the same) and calls every hook point Python's
 * `adapters` uses for T5.
 */
export const t5 = defineModel<T5Config>({
  name: 't5',
  modelTypes: ['t5', 'mt5'],
  // Python SUPPORTED_MODELS whitelists t5 and mt5 for Parallel.
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
  // Python: T5ModelAdaptersMixin.support_prompt_tuning = False.
  unsupportedConfigs: ['prompt_tuning'],
  basePrefix: () => 'transformer',
  parseConfig: parseT5Config,
  info: (c) => ({
    modelType: c.modelType,
    hiddenSize: c.dModel,
    numLayers: c.numLayers + c.numDecoderLayers,
    numAttentionHeads: c.numHeads,
    config: c.raw,
  }),
  sites: t5Sites,
  weightSpecs: t5WeightSpecs,
  forward: t5Forward,
});
