import { AdapterConfigError, getActivation } from '@adapters/core';

/** The model types this package serves. */
export type BartModelType = 'bart' | 'mbart' | 'plbart';

/** The fields of a Hugging Face BART / mBART / PLBart `config.json` the forward pass uses. */
export interface BartConfig {
  readonly modelType: BartModelType;
  readonly vocabSize: number;
  readonly dModel: number;
  readonly encoderLayers: number;
  readonly decoderLayers: number;
  readonly encoderAttentionHeads: number;
  readonly decoderAttentionHeads: number;
  readonly encoderFfnDim: number;
  readonly decoderFfnDim: number;
  readonly activationFunction: string;
  readonly maxPositionEmbeddings: number;
  readonly dropout: number;
  readonly attentionDropout: number;
  readonly activationDropout: number;
  /** Token embeddings are multiplied by `sqrt(d_model)`. */
  readonly scaleEmbedding: boolean;
  readonly padTokenId: number;
  /** `decoder_start_token_id` (BART's `shift_tokens_right`); null when the config has none. */
  readonly decoderStartTokenId: number | null;
  /** mBART: pre-LayerNorm layers and a final `layer_norm` after each stack. BART / PLBart: post-LN. */
  readonly preLayerNorm: boolean;
  /** The raw config object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

type Json = Readonly<Record<string, unknown>>;

function num(json: Json, key: string, fallback: number): number {
  const v = json[key] ?? fallback;
  const n = typeof v === 'number' ? v : typeof v === 'object' && v !== null ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new AdapterConfigError(`config.json: expected a number, got ${JSON.stringify(v)}`, key);
  return n;
}

/** transformers' config defaults per model type (`BartConfig`, `MBartConfig`, `PLBartConfig`). */
const DEFAULTS: Readonly<Record<BartModelType, { vocab: number; d: number; layers: number; heads: number; ffn: number; scale: boolean }>> = {
  bart: { vocab: 50265, d: 1024, layers: 12, heads: 16, ffn: 4096, scale: false },
  mbart: { vocab: 50265, d: 1024, layers: 12, heads: 16, ffn: 4096, scale: false },
  plbart: { vocab: 50005, d: 768, layers: 6, heads: 12, ffn: 3072, scale: true },
};

/** Reads a BART / mBART / PLBart `config.json` (defaults as transformers' config classes). */
export function parseBartConfig(json: Json): BartConfig {
  const modelType = String(json.model_type ?? 'bart');
  if (modelType !== 'bart' && modelType !== 'mbart' && modelType !== 'plbart') {
    throw new AdapterConfigError(`@adapters/bart serves "bart", "mbart" and "plbart", not "${modelType}"`, 'model_type');
  }
  const def = DEFAULTS[modelType];
  const dModel = num(json, 'd_model', def.d);
  const encoderAttentionHeads = num(json, 'encoder_attention_heads', def.heads);
  const decoderAttentionHeads = num(json, 'decoder_attention_heads', def.heads);
  for (const [k, h] of [['encoder_attention_heads', encoderAttentionHeads], ['decoder_attention_heads', decoderAttentionHeads]] as const) {
    if (dModel % h !== 0) throw new AdapterConfigError(`d_model ${dModel} is not a multiple of ${k} ${h}`, k);
  }
  const activationFunction = String(json.activation_function ?? 'gelu');
  getActivation(activationFunction, 'activation_function');
  const start = json.decoder_start_token_id;
  return {
    modelType,
    vocabSize: num(json, 'vocab_size', def.vocab),
    dModel,
    encoderLayers: num(json, 'encoder_layers', def.layers),
    decoderLayers: num(json, 'decoder_layers', def.layers),
    encoderAttentionHeads,
    decoderAttentionHeads,
    encoderFfnDim: num(json, 'encoder_ffn_dim', def.ffn),
    decoderFfnDim: num(json, 'decoder_ffn_dim', def.ffn),
    activationFunction,
    maxPositionEmbeddings: num(json, 'max_position_embeddings', 1024),
    dropout: num(json, 'dropout', 0.1),
    attentionDropout: num(json, 'attention_dropout', 0),
    activationDropout: num(json, 'activation_dropout', 0),
    scaleEmbedding: json.scale_embedding === undefined ? def.scale : json.scale_embedding === true,
    padTokenId: num(json, 'pad_token_id', 1),
    decoderStartTokenId: start === null || start === undefined ? (modelType === 'bart' ? 2 : null) : num(json, 'decoder_start_token_id', 2),
    preLayerNorm: modelType === 'mbart',
    raw: json,
  };
}
