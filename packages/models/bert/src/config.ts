import { AdapterConfigError } from '@adapters/core';

/** The fields of a Hugging Face BERT/RoBERTa/XLM-R `config.json` the forward pass uses. */
export interface BertConfig {
  readonly modelType: 'bert' | 'roberta' | 'xlm-roberta';
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
  readonly positionEmbeddingType: string;
  /** `is_decoder`: causal self-attention (transformers' `BertLMHeadModel`, the decoder of an `EncoderDecoderModel`). */
  readonly isDecoder: boolean;
  /** `add_cross_attention`: a `crossattention` sub-layer after self-attention in every layer (needs `is_decoder`). */
  readonly addCrossAttention: boolean;
  /** The raw config object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

function num(json: Readonly<Record<string, unknown>>, key: string, fallback?: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AdapterConfigError(`config.json: expected a number, got ${JSON.stringify(v)}`, key);
  return v;
}

function bool(json: Readonly<Record<string, unknown>>, key: string): boolean {
  const v = json[key] ?? false;
  if (typeof v !== 'boolean') throw new AdapterConfigError(`config.json: expected true or false, got ${JSON.stringify(v)}`, key);
  return v;
}

/** Reads a `config.json` object (defaults as in `transformers`' BertConfig / RobertaConfig). */
export function parseBertConfig(json: Readonly<Record<string, unknown>>): BertConfig {
  const modelType = String(json.model_type ?? 'bert');
  if (modelType !== 'bert' && modelType !== 'roberta' && modelType !== 'xlm-roberta') {
    throw new AdapterConfigError(`@adapters/bert serves bert, roberta and xlm-roberta, not "${modelType}"`, 'model_type');
  }
  const hiddenSize = num(json, 'hidden_size', 768);
  const heads = num(json, 'num_attention_heads', 12);
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
    // transformers' BertLayer: "should be used as a decoder model if cross attention is added".
    throw new AdapterConfigError('add_cross_attention needs is_decoder: true (cross-attention layers only exist in decoders)', 'add_cross_attention');
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
    padTokenId: num(json, 'pad_token_id', modelType === 'bert' ? 0 : 1),
    positionEmbeddingType,
    isDecoder,
    addCrossAttention,
    raw: json,
  };
}
