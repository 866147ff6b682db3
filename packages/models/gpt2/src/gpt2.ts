import { defineModel } from '@adapters/core';
import { type Gpt2Config, parseGpt2Config } from './config';
import { gpt2Forward } from './forward';
import { gpt2Sites } from './sites';
import { gpt2WeightSpecs } from './weights';

/**
 * The GPT-2 model plugin: loads Hugging Face `GPT2Model` / `GPT2LMHeadModel` checkpoints (the
 * `transformer.` prefix is accepted) and calls every hook point Python's `adapters` uses for GPT-2.
 */
export const gpt2 = defineModel<Gpt2Config>({
  name: 'gpt2',
  modelTypes: ['gpt2'],
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
  // Python: GPT2AdapterModel.not_supported_adapter_configs = ["dora", "dvora"];
  // GPT2ModelAdapterMixin.support_prompt_tuning = False.
  unsupportedConfigs: ['dora', 'dvora', 'prompt_tuning'],
  basePrefix: () => 'transformer',
  parseConfig: parseGpt2Config,
  info: (c) => ({
    modelType: c.modelType,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    numAttentionHeads: c.numHeads,
    config: c.raw,
  }),
  sites: gpt2Sites,
  weightSpecs: gpt2WeightSpecs,
  forward: gpt2Forward,
});
