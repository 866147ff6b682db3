import { defineModel } from '@adapters/core';
import { type DistilBertConfig, parseDistilBertConfig } from './config';
import { distilBertForward } from './forward';
import { distilBertSites } from './sites';
import { distilBertWeightSpecs } from './weights';

/**
 * The DistilBERT model plugin (`DistilBertModel`): loads Hugging Face checkpoints and calls every
 * hook point Python's `adapters` uses for DistilBERT.
 */
export const distilbert = defineModel<DistilBertConfig>({
  name: 'distilbert',
  modelTypes: ['distilbert'],
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
  basePrefix: () => 'distilbert',
  parseConfig: parseDistilBertConfig,
  info: (c) => ({ modelType: c.modelType, hiddenSize: c.dim, numLayers: c.nLayers, numAttentionHeads: c.nHeads, config: c.raw }),
  sites: distilBertSites,
  weightSpecs: distilBertWeightSpecs,
  forward: distilBertForward,
});
