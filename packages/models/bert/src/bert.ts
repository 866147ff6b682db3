import { defineModel } from '@adapters/core';
import { type BertConfig, parseBertConfig } from './config';
import { bertForward } from './forward';
import { bertSites } from './sites';
import { bertWeightSpecs } from './weights';

/**
 * The BERT-family model plugin (BERT, RoBERTa, XLM-RoBERTa): loads Hugging Face checkpoints and
 * calls every hook point Python's `adapters` uses for BERT.
 */
export const bert = defineModel<BertConfig>({
  name: 'bert',
  modelTypes: ['bert', 'roberta', 'xlm-roberta'],
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
  basePrefix: (c) => (c.modelType === 'bert' ? 'bert' : 'roberta'),
  parseConfig: parseBertConfig,
  info: (c) => ({
    modelType: c.modelType,
    hiddenSize: c.hiddenSize,
    numLayers: c.numHiddenLayers,
    numAttentionHeads: c.numAttentionHeads,
    config: c.raw,
  }),
  sites: bertSites,
  weightSpecs: bertWeightSpecs,
  forward: bertForward,
});
