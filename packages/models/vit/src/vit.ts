import { defineModel } from '@adapters/core';
import { type VitConfig, parseVitConfig } from './config';
import { vitForward } from './forward';
import { vitSites } from './sites';
import { vitWeightSpecs } from './weights';

/**
 * The ViT model plugin (`model_type: "vit"`, transformers' `ViTModel`): loads Hugging Face
 * checkpoints and calls every hook point Python's `adapters` uses for ViT. All compositions,
 * Parallel included (Python's `SUPPORTED_MODELS[Parallel]` lists `vit`). Invertible adapters are
 * rejected as in Python (`ViTModel` has no `InvertibleAdaptersMixin`).
 */
export const vit = defineModel<VitConfig>({
  name: 'vit',
  modelTypes: ['vit'],
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
  unsupportedConfigs: ['seq_bn_inv', 'double_seq_bn_inv'],
  basePrefix: () => 'vit',
  parseConfig: parseVitConfig,
  info: (c) => ({
    modelType: c.modelType,
    hiddenSize: c.hiddenSize,
    numLayers: c.numHiddenLayers,
    numAttentionHeads: c.numAttentionHeads,
    config: c.raw,
  }),
  sites: vitSites,
  weightSpecs: vitWeightSpecs,
  forward: vitForward,
});
