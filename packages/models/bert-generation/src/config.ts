import { AdapterConfigError } from '@adapters/core';

/** The fields of a Hugging Face BERT-Generation `config.json` the forward pass uses. */
export interface BertGenerationConfig {
  readonly modelType: 'bert-generation';
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly intermediateSize: number;
  readonly hiddenAct: string;
  readonly hiddenDropoutProb: number;
  readonly attentionProbsDropoutProb: number;
  readonly maxPositionEmbeddings: number;
  readonly layerNormEps: number;
  readonly padTokenId: number;
  /** `is_decoder`: causal self-attention (`BertGenerationDecoder`, the decoder of an `EncoderDecoderModel`). */
  readonly isDecoder: boolean;
  /** `add_cross_attention`: a `crossattention` sub-layer after self-attention in every layer (needs `is_decoder`). */
  readonly addCrossAttention: boolean;
  /** The raw config object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

function num(json: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AdapterConfigError(`config.json: expected a number, got ${JSON.stringify(v)}`, key);
  return v;
}

function bool(json: Readonly<Record<string, unknown>>, key: string): boolean {
  const v = json[key] ?? false;
  if (typeof v !== 'boolean') throw new AdapterConfigError(`config.json: expected true or false, got ${JSON.stringify(v)}`, key);
  return v;
}

/** Reads a `config.json` object (defaults as in `transformers`' BertGenerationConfig). */
export function parseBertGenerationConfig(json: Readonly<Record<string, unknown>>): BertGenerationConfig {
  const modelType = String(json.model_type ?? 'bert-generation');
  if (modelType !== 'bert-generation') throw new AdapterConfigError(`@adapters/bert-generation serves bert-generation, not "${modelType}"`, 'model_type');
  const hiddenSize = num(json, 'hidden_size', 1024);
  const heads = num(json, 'num_attention_heads', 16);
  if (hiddenSize % heads !== 0) {
    throw new AdapterConfigError(`hidden_size ${hiddenSize} is not a multiple of num_attention_heads ${heads}`, 'num_attention_heads');
  }
  const positionEmbeddingType = String(json.position_embedding_type ?? 'absolute');
  if (positionEmbeddingType !== 'absolute') {
    throw new AdapterConfigError(`only "absolute" position embeddings are supported, got "${positionEmbeddingType}"`, 'position_embedding_type');
  }
  const isDecoder = bool(json, 'is_decoder');
  const addCrossAttention = bool(json, 'add_cross_attention');
  if (addCrossAttention && !isDecoder) {
    // transformers' BertGenerationLayer: "should be used as a decoder model if cross attention is added".
    throw new AdapterConfigError('add_cross_attention needs is_decoder: true (cross-attention layers only exist in decoders)', 'add_cross_attention');
  }
  return {
    modelType,
    vocabSize: num(json, 'vocab_size', 50358),
    hiddenSize,
    numHiddenLayers: num(json, 'num_hidden_layers', 24),
    numAttentionHeads: heads,
    intermediateSize: num(json, 'intermediate_size', 4096),
    hiddenAct: String(json.hidden_act ?? 'gelu'),
    hiddenDropoutProb: num(json, 'hidden_dropout_prob', 0.1),
    attentionProbsDropoutProb: num(json, 'attention_probs_dropout_prob', 0.1),
    maxPositionEmbeddings: num(json, 'max_position_embeddings', 512),
    layerNormEps: num(json, 'layer_norm_eps', 1e-12),
    padTokenId: num(json, 'pad_token_id', 0),
    isDecoder,
    addCrossAttention,
    raw: json,
  };
}
