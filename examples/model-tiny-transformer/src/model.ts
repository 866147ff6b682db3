import { defineModel } from '@adapters/core';
import { type TinyTransformerConfig, parseTinyTransformerConfig } from './config';
import { tinyTransformerForward } from './forward';
import { tinyTransformerSites } from './sites';
import { tinyTransformerWeightSpecs } from './weights';

/**
 * The tiny pre-LN transformer model plugin (`model_type: "tiny-transformer"`). It supports every
 * composition block and every method kind: linear (LoRA, (IA)³), residual (bottleneck adapters,
 * pre-LN placement like GPT-2), attention (prefix tuning), embedding (prompt tuning) and layer (ReFT).
 */
export const tinyTransformer = defineModel<TinyTransformerConfig>({
  name: 'tiny-transformer',
  modelTypes: ['tiny-transformer'],
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average'],
  basePrefix: () => 'transformer',
  parseConfig: parseTinyTransformerConfig,
  info: (c) => ({ modelType: 'tiny-transformer', hiddenSize: c.dModel, numLayers: c.numLayers, numAttentionHeads: c.numHeads, config: c.raw }),
  sites: tinyTransformerSites,
  weightSpecs: tinyTransformerWeightSpecs,
  forward: tinyTransformerForward,
});
