import { AdapterConfigError } from '@adapters/core';

/** The fields of a Hugging Face X-MOD `config.json` the forward pass uses. */
export interface XmodConfig {
  readonly modelType: 'xmod';
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly intermediateSize: number;
  readonly hiddenAct: string;
  readonly hiddenDropoutProb: number;
  readonly attentionProbsDropoutProb: number;
  readonly maxPositionEmbeddings: number;
  readonly typeVocabSize: number;
  readonly layerNormEps: number;
  readonly padTokenId: number;
  /** Pre-LN layers and a final `encoder.LayerNorm` (`pre_norm`, default false). */
  readonly preNorm: boolean;
  /** Bottleneck of the language adapters: `hidden_size // adapter_reduction_factor`. */
  readonly adapterSize: number;
  /** `adapter_layer_norm`: a separate `output.adapter_layer_norm` before the language adapter. */
  readonly adapterLayerNorm: boolean;
  /** `adapter_reuse_layer_norm`: reuse `output.LayerNorm` before the language adapter (default true). */
  readonly adapterReuseLayerNorm: boolean;
  /** `ln_before_adapter`: the adapter's residual is taken after that LayerNorm (default true). */
  readonly lnBeforeAdapter: boolean;
  /** `languages`, in `adapter_modules` order (lang id = index). */
  readonly languages: readonly string[];
  /** `default_language`, used when no `lang_ids` are given (transformers behaviour only). */
  readonly defaultLanguage: string | null;
  /**
   * Which behaviour this config is run with: `false` = Python `adapters` (X-MOD's language
   * adapters deleted by `adapters.init()`, `lang_ids` refused), `true` = transformers' `XmodModel`.
   */
  readonly languageAdapters: boolean;
  /** The raw config object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

function num(json: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AdapterConfigError(`config.json: expected a number, got ${JSON.stringify(v)}`, key);
  return v;
}

function bool(json: Readonly<Record<string, unknown>>, key: string, fallback: boolean): boolean {
  const v = json[key] ?? fallback;
  if (typeof v !== 'boolean') throw new AdapterConfigError(`config.json: expected a boolean, got ${JSON.stringify(v)}`, key);
  return v;
}

/**
 * Reads an X-MOD `config.json` object (defaults as in `transformers`' XmodConfig).
 * `languageAdapters` selects the behaviour (see {@link XmodConfig.languageAdapters}).
 */
export function parseXmodConfig(json: Readonly<Record<string, unknown>>, languageAdapters = false): XmodConfig {
  const modelType = String(json.model_type ?? 'xmod');
  if (modelType !== 'xmod') throw new AdapterConfigError(`@adapters/xmod serves xmod, not "${modelType}"`, 'model_type');
  const hiddenSize = num(json, 'hidden_size', 768);
  const heads = num(json, 'num_attention_heads', 12);
  if (hiddenSize % heads !== 0) {
    throw new AdapterConfigError(`hidden_size ${hiddenSize} is not a multiple of num_attention_heads ${heads}`, 'num_attention_heads');
  }
  const positionEmbeddingType = String(json.position_embedding_type ?? 'absolute');
  if (positionEmbeddingType !== 'absolute') {
    throw new AdapterConfigError(`only "absolute" position embeddings are supported, got "${positionEmbeddingType}"`, 'position_embedding_type');
  }
  if (json.is_decoder === true || json.add_cross_attention === true) {
    throw new AdapterConfigError('X-MOD as a decoder (is_decoder / add_cross_attention) is not supported', json.is_decoder === true ? 'is_decoder' : 'add_cross_attention');
  }
  const languages = (json.languages ?? ['en_XX']) as unknown;
  if (!Array.isArray(languages) || languages.length === 0 || languages.some((l) => typeof l !== 'string')) {
    throw new AdapterConfigError(`languages must be a non-empty list of strings, got ${JSON.stringify(languages)}`, 'languages');
  }
  const defaultLanguage = json.default_language === null || json.default_language === undefined ? null : String(json.default_language);
  if (defaultLanguage !== null && !languages.includes(defaultLanguage)) {
    throw new AdapterConfigError(`default_language "${defaultLanguage}" is not one of languages ${JSON.stringify(languages)}`, 'default_language');
  }
  const adapterLayerNorm = bool(json, 'adapter_layer_norm', false);
  const adapterReuseLayerNorm = bool(json, 'adapter_reuse_layer_norm', true);
  if (!languageAdapters && !adapterLayerNorm && !adapterReuseLayerNorm) {
    // Python XmodOutputWithAdapters.forward leaves `layer_norm` unbound in this case (UnboundLocalError).
    throw new AdapterConfigError(
      'with adapter_layer_norm = false and adapter_reuse_layer_norm = false the Python adapters X-MOD integration fails at forward time (no LayerNorm for the output bottleneck); use xmodWithLanguageAdapters for the transformers behaviour',
      'adapter_reuse_layer_norm',
    );
  }
  return {
    modelType,
    vocabSize: num(json, 'vocab_size', 30522),
    hiddenSize,
    numHiddenLayers: num(json, 'num_hidden_layers', 12),
    numAttentionHeads: heads,
    intermediateSize: num(json, 'intermediate_size', 3072),
    hiddenAct: String(json.hidden_act ?? 'gelu'),
    hiddenDropoutProb: num(json, 'hidden_dropout_prob', 0.1),
    attentionProbsDropoutProb: num(json, 'attention_probs_dropout_prob', 0.1),
    maxPositionEmbeddings: num(json, 'max_position_embeddings', 512),
    typeVocabSize: num(json, 'type_vocab_size', 2),
    layerNormEps: num(json, 'layer_norm_eps', 1e-12),
    padTokenId: num(json, 'pad_token_id', 1),
    preNorm: bool(json, 'pre_norm', false),
    adapterSize: Math.floor(hiddenSize / num(json, 'adapter_reduction_factor', 2)),
    adapterLayerNorm,
    adapterReuseLayerNorm,
    lnBeforeAdapter: bool(json, 'ln_before_adapter', true),
    languages: languages as string[],
    defaultLanguage,
    languageAdapters,
    raw: json,
  };
}
