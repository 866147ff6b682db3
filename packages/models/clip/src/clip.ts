import { defineModel } from '@adapters/core';
import { type ClipConfig, parseClipConfig } from './config';
import { clipForward } from './forward';
import { clipSites } from './sites';
import { clipWeightSpecs } from './weights';

/**
 * The CLIP model plugin (`CLIPModel`: text tower, vision tower, projections, `logit_scale`): loads
 * Hugging Face checkpoints and calls every hook point Python's `adapters` uses for CLIP.
 */
export const clip = defineModel<ClipConfig>({
  name: 'clip',
  modelTypes: ['clip'],
  // Python SUPPORTED_MODELS[Parallel] does not list "clip".
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Average', 'MultiTask'],
  // Python: CLIPModelAdaptersMixin.support_prompt_tuning = False.
  unsupportedConfigs: ['prompt_tuning'],
  basePrefix: () => 'clip',
  parseConfig: parseClipConfig,
  info: (c) => ({
    modelType: c.modelType,
    hiddenSize: c.text.hiddenSize,
    numLayers: c.text.numHiddenLayers + c.vision.numHiddenLayers,
    numAttentionHeads: c.text.numAttentionHeads,
    config: c.raw,
  }),
  sites: clipSites,
  weightSpecs: clipWeightSpecs,
  forward: clipForward,
});
