import { AdapterConfigError } from '@adapters/core';

/** The fields of a Hugging Face ALBERT `config.json` the forward pass uses. */
export interface AlbertConfig {
  readonly modelType: 'albert';
  readonly vocabSize: number;
  /** Size of the factorised embeddings (before `embedding_hidden_mapping_in`). */
  readonly embeddingSize: number;
  readonly hiddenSize: number;
  /** How many times a layer group is applied in total (`num_hidden_layers`). */
  readonly numHiddenLayers: number;
  /** Number of distinct layer groups (`num_hidden_groups`). */
  readonly numHiddenGroups: number;
  /** Layers inside each group (`inner_group_num`). */
  readonly innerGroupNum: number;
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

function positiveInt(json: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const v = num(json, key, fallback);
  if (!Number.isInteger(v) || v < 1) throw new AdapterConfigError(`config.json: ${key} must be a positive integer, got ${v}`, key);
  return v;
}

/** Reads a `config.json` object (defaults as in `transformers`' AlbertConfig). */
export function parseAlbertConfig(json: Readonly<Record<string, unknown>>): AlbertConfig {
  const modelType = String(json.model_type ?? 'albert');
  if (modelType !== 'albert') throw new AdapterConfigError(`@adapters/albert serves albert, not "${modelType}"`, 'model_type');
  const hiddenSize = num(json, 'hidden_size', 4096);
  const heads = num(json, 'num_attention_heads', 64);
  if (hiddenSize % heads !== 0) {
    throw new AdapterConfigError(`hidden_size ${hiddenSize} is not a multiple of num_attention_heads ${heads}`, 'num_attention_heads');
  }
  const positionEmbeddingType = String(json.position_embedding_type ?? 'absolute');
  if (positionEmbeddingType !== 'absolute') {
    throw new AdapterConfigError(`only "absolute" position embeddings are supported, got "${positionEmbeddingType}"`, 'position_embedding_type');
  }
  return {
    modelType,
    vocabSize: num(json, 'vocab_size', 30000),
    embeddingSize: num(json, 'embedding_size', 128),
    hiddenSize,
    numHiddenLayers: positiveInt(json, 'num_hidden_layers', 12),
    numHiddenGroups: positiveInt(json, 'num_hidden_groups', 1),
    innerGroupNum: positiveInt(json, 'inner_group_num', 1),
    numAttentionHeads: heads,
    intermediateSize: num(json, 'intermediate_size', 16384),
    hiddenAct: String(json.hidden_act ?? 'gelu_new'),
    hiddenDropoutProb: num(json, 'hidden_dropout_prob', 0),
    attentionProbsDropoutProb: num(json, 'attention_probs_dropout_prob', 0),
    maxPositionEmbeddings: num(json, 'max_position_embeddings', 512),
    typeVocabSize: num(json, 'type_vocab_size', 2),
    layerNormEps: num(json, 'layer_norm_eps', 1e-12),
    padTokenId: num(json, 'pad_token_id', 0),
    raw: json,
  };
}
