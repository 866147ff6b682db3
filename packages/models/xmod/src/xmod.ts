import { type ModelDefinition, defineModel } from '@adapters/core';
import { type XmodConfig, parseXmodConfig } from './config';
import { xmodForward } from './forward';
import { xmodSites } from './sites';
import { xmodWeightSpecs } from './weights';

/** Options of {@link createXmod}. */
export interface XmodOptions {
  /**
   * `false` (default): the Python `adapters` behaviour — `adapters.init()` deletes X-MOD's own
   * language adapters and refuses `lang_ids`, so every row runs like BERT
   * (`LayerNorm(dense(h) + residual)`). `true`: the transformers `XmodModel` behaviour — each row
   * goes through the language adapter of its `lang_ids` entry (default: `default_language`);
   * adapter hooks stay available (not something Python can do).
   */
  readonly languageAdapters?: boolean;
}

/** Builds an X-MOD model plugin with the chosen behaviour (see {@link XmodOptions}). */
export function createXmod(opts: XmodOptions = {}): ModelDefinition<XmodConfig> {
  const languageAdapters = opts.languageAdapters ?? false;
  return defineModel<XmodConfig>({
    name: languageAdapters ? 'xmod-language-adapters' : 'xmod',
    modelTypes: ['xmod'],
    compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
    basePrefix: () => 'roberta',
    parseConfig: (json) => parseXmodConfig(json, languageAdapters),
    info: (c) => ({
      modelType: c.modelType,
      hiddenSize: c.hiddenSize,
      numLayers: c.numHiddenLayers,
      numAttentionHeads: c.numAttentionHeads,
      config: c.raw,
    }),
    sites: xmodSites,
    weightSpecs: xmodWeightSpecs,
    forward: xmodForward,
  });
}

/** X-MOD as the Python `adapters` library runs it (language adapters removed, `lang_ids` refused). Registered for `model_type` `xmod`. */
export const xmod = createXmod();

/** X-MOD as transformers' `XmodModel` runs it, with per-row language adapters selected by `lang_ids`. Not registered; pass it as `{ model }`. */
export const xmodWithLanguageAdapters = createXmod({ languageAdapters: true });
