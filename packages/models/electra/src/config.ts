import { AdapterConfigError } from '@adapters/core';

/** The fields of a Hugging Face ELECTRA `config.json` the forward pass uses. */
export interface ElectraConfig {
  readonly modelType: 'electra';
  readonly vocabSize: number;
  /** Width of the embeddings; projected to `hidden_size` by `embeddings_project` when different. */
  readonly embeddingSize: number;
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
  /** The raw config object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

function num(json: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AdapterConfigError(`config.json: expected a number, got ${JSON.stringify(v)}`, key);
  return v;
}

/** Reads a `config.json` object (defaults as in `transformers`' ElectraConfig). */
export function parseElectraConfig(json: Readonly<Record<string, unknown>>): ElectraConfig {
  const modelType = String(json.model_type ?? 'electra');
  if (modelType !== 'electra') throw new AdapterConfigError(`@adapters/electra serves electra, not "${modelType}"`, 'model_type');
  const hiddenSize = num(json, 'hidden_size', 256);
  const heads = num(json, 'num_attention_heads', 4);
  if (hiddenSize % heads !== 0) {
    throw new AdapterConfigError(`hidden_size ${hiddenSize} is not a multiple of num_attention_heads ${heads}`, 'num_attention_heads');
  }
  const positionEmbeddingType = String(json.position_embedding_type ?? 'absolute');
  if (positionEmbeddingType !== 'absolute') {
    throw new AdapterConfigError(`only "absolute" position embeddings are supported, got "${positionEmbeddingType}"`, 'position_embedding_type');
  }
  if (json.is_decoder === true || json.add_cross_attention === true) {
    throw new AdapterConfigError('ELECTRA as a decoder (is_decoder / add_cross_attention) is not supported', json.is_decoder === true ? 'is_decoder' : 'add_cross_attention');
  }
  return {
    modelType,
    vocabSize: num(json, 'vocab_size', 30522),
    embeddingSize: num(json, 'embedding_size', 128),
    hiddenSize,
    numHiddenLayers: num(json, 'num_hidden_layers', 12),
    numAttentionHeads: heads,
    intermediateSize: num(json, 'intermediate_size', 1024),
    hiddenAct: String(json.hidden_act ?? 'gelu'),
    hiddenDropoutProb: num(json, 'hidden_dropout_prob', 0.1),
    attentionProbsDropoutProb: num(json, 'attention_probs_dropout_prob', 0.1),
    maxPositionEmbeddings: num(json, 'max_position_embeddings', 512),
    typeVocabSize: num(json, 'type_vocab_size', 2),
    layerNormEps: num(json, 'layer_norm_eps', 1e-12),
    padTokenId: num(json, 'pad_token_id', 0),
    raw: json,
  };
}
