import { defineModel } from '@adapters/core';
import { type BertGenerationConfig, parseBertGenerationConfig } from './config';
import { bertGenerationForward } from './forward';
import { bertGenerationSites } from './sites';
import { bertGenerationWeightSpecs } from './weights';

/**
 * The BERT-Generation model plugin (`BertGenerationEncoder`, with `is_decoder` /
 * `add_cross_attention` the base model of `BertGenerationDecoder`): loads Hugging Face checkpoints
 * and calls every hook point Python's `adapters` uses for it (Python maps it to its BERT mixins).
 */
export const bertGeneration = defineModel<BertGenerationConfig>({
  name: 'bert-generation',
  modelTypes: ['bert-generation'],
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
  basePrefix: () => 'bert',
  parseConfig: parseBertGenerationConfig,
  info: (c) => ({
    modelType: c.modelType,
    hiddenSize: c.hiddenSize,
    numLayers: c.numHiddenLayers,
    numAttentionHeads: c.numAttentionHeads,
    config: c.raw,
  }),
  sites: bertGenerationSites,
  weightSpecs: bertGenerationWeightSpecs,
  forward: bertGenerationForward,
});
