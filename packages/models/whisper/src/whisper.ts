import { type ModelDefinition, defineModel } from '@adapters/core';
import { type QueryScaling, type WhisperConfig, parseWhisperConfig } from './config';
import { whisperForward } from './forward';
import { whisperSites } from './sites';
import { whisperWeightSpecs } from './weights';

/**
 * Builds the Whisper model plugin. `queryScaling: 'adapters'` (default) reproduces the adapters
 * 1.1.0/1.2.0 bug (no `head_dim**-0.5` on the query after `adapters.init()`); `'hf'` is the fix.
 */
export function createWhisper(queryScaling: QueryScaling = 'adapters'): ModelDefinition<WhisperConfig> {
  return defineModel<WhisperConfig>({
    name: queryScaling === 'adapters' ? 'whisper' : 'whisper-fixed',
    modelTypes: ['whisper'],
    compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
    // Python: WhisperModelAdaptersMixin.support_prompt_tuning = False.
    unsupportedConfigs: ['prompt_tuning'],
    basePrefix: () => 'model',
    parseConfig: (json) => parseWhisperConfig(json, queryScaling),
    info: (c) => ({
      modelType: c.modelType,
      hiddenSize: c.dModel,
      numLayers: c.encoderLayers + c.decoderLayers,
      numAttentionHeads: c.encoderAttentionHeads,
      config: c.raw,
    }),
    sites: whisperSites,
    weightSpecs: whisperWeightSpecs,
    forward: whisperForward,
  });
}

/** Whisper as adapters 1.1.0 computes it (query-scaling bug reproduced); registered for `model_type: "whisper"`. */
export const whisper = createWhisper('adapters');
/** Whisper with the query scaling restored (transformers' math); opt-in. */
export const whisperFixed = createWhisper('hf');
