import { type ModelDefinition, defineModel } from '@adapters/core';
import { type AlbertConfig, parseAlbertConfig } from './config';
import { type AlbertOptions, createAlbertForward } from './forward';
import { albertSites } from './sites';
import { albertWeightSpecs } from './weights';

/**
 * Builds an ALBERT model plugin. {@link albert} is `createAlbert()` (Python-compatible); pass
 * `{ fixAttentionAdapterOrder: true }` for the opt-in fix described in {@link AlbertOptions}.
 */
export function createAlbert(opts: AlbertOptions = {}): ModelDefinition<AlbertConfig> {
  return defineModel<AlbertConfig>({
    name: 'albert',
    modelTypes: ['albert'],
    compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
    basePrefix: () => 'albert',
    parseConfig: parseAlbertConfig,
    info: (c) => ({
      modelType: c.modelType,
      hiddenSize: c.hiddenSize,
      // Layers with their own adapters (Python's iter_layers), not the number of applications.
      numLayers: c.numHiddenGroups * c.innerGroupNum,
      numAttentionHeads: c.numAttentionHeads,
      config: c.raw,
    }),
    sites: albertSites,
    weightSpecs: albertWeightSpecs,
    forward: createAlbertForward(opts),
  });
}

/**
 * The ALBERT model plugin (`AlbertModel`): factorised embeddings, shared layer groups, and every
 * hook point Python's `adapters` uses for ALBERT (including its attention-adapter argument order).
 */
export const albert: ModelDefinition<AlbertConfig> = createAlbert();
