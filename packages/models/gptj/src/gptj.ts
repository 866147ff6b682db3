import { defineModel } from '@adapters/core';
import { type GptjConfig, parseGptjConfig } from './config';
import { gptjForward } from './forward';
import { gptjSites } from './sites';
import { gptjWeightSpecs } from './weights';

/**
 * The GPT-J model plugin: loads Hugging Face `GPTJModel` / `GPTJForCausalLM` checkpoints (the
 * `transformer.` prefix is accepted) and calls every hook point Python's `adapters` uses for GPT-J.
 */
export const gptj = defineModel<GptjConfig>({
  name: 'gptj',
  modelTypes: ['gptj'],
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
  // Python: GPTJModelAdapterMixin.support_prompt_tuning = False.
  unsupportedConfigs: ['prompt_tuning'],
  basePrefix: () => 'transformer',
  parseConfig: parseGptjConfig,
  info: (c) => ({
    modelType: c.modelType,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    numAttentionHeads: c.numHeads,
    config: c.raw,
  }),
  sites: gptjSites,
  weightSpecs: gptjWeightSpecs,
  forward: gptjForward,
});
