import { defineModel } from '@adapters/core';
import { type ElectraConfig, parseElectraConfig } from './config';
import { electraForward } from './forward';
import { electraSites } from './sites';
import { electraWeightSpecs } from './weights';

/**
 * The ELECTRA model plugin (`ElectraModel`, discriminator or generator checkpoints): loads Hugging
 * Face checkpoints and calls every hook point Python's `adapters` uses for ELECTRA.
 */
export const electra = defineModel<ElectraConfig>({
  name: 'electra',
  modelTypes: ['electra'],
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
  basePrefix: () => 'electra',
  parseConfig: parseElectraConfig,
  info: (c) => ({
    modelType: c.modelType,
    hiddenSize: c.hiddenSize,
    numLayers: c.numHiddenLayers,
    numAttentionHeads: c.numAttentionHeads,
    config: c.raw,
  }),
  sites: electraSites,
  weightSpecs: electraWeightSpecs,
  forward: electraForward,
});
