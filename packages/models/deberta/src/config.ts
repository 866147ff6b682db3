import { AdapterConfigError } from '@adapters/core';

/** Disentangled attention terms (`pos_att_type`): content→position and position→content. */
export type PosAttType = 'c2p' | 'p2c';

/**
 * The fields of a Hugging Face DeBERTa (`model_type` `deberta`) or DeBERTa-v2/v3 (`deberta-v2`)
 * `config.json` the forward pass uses, with the derived sizes resolved as `transformers` does.
 */
export interface DebertaConfig {
  readonly modelType: 'deberta' | 'deberta-v2';
  /** 1 for `deberta`, 2 for `deberta-v2`. */
  readonly version: 1 | 2;
  readonly vocabSize: number;
  readonly hiddenSize: number;
  /** Width of the embeddings (`embedding_size`, default `hidden_size`); `embed_proj` maps it to `hidden_size`. */
  readonly embeddingSize: number;
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
  /** Absolute position embeddings are added to the input (`position_biased_input`, default true). */
  readonly positionBiasedInput: boolean;
  readonly relativeAttention: boolean;
  /** The raw `pos_att_type` entries (lower-cased); Python's v1 scale counts every entry. */
  readonly posAttType: readonly string[];
  /** `max_relative_positions`, or `max_position_embeddings` when < 1. */
  readonly maxRelativePositions: number;
  /** v2: `position_buckets` (> 0 enables log buckets), -1 otherwise. */
  readonly positionBuckets: number;
  /** v2: relative embeddings share the content q/k projections (`share_att_key`). */
  readonly shareAttKey: boolean;
  /** v2: `norm_rel_ebd` contains `layer_norm` (encoder.LayerNorm on the relative embeddings). */
  readonly normRelEmbeddings: boolean;
  /** v2: `conv_kernel_size` (0 = no conv layer), `conv_groups`, `conv_act`. */
  readonly convKernelSize: number;
  readonly convGroups: number;
  readonly convAct: string;
  /** v1: `talking_head` (head_logits_proj / head_weights_proj). */
  readonly talkingHead: boolean;
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

/** `pos_att_type`: a list, or a `|`-separated string (DebertaConfig backwards compatibility), or null. */
function parsePosAttType(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  const list = typeof v === 'string' ? v.toLowerCase().split('|').map((x) => x.trim()) : v;
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
    throw new AdapterConfigError(`pos_att_type must be a list of strings or a "|"-separated string, got ${JSON.stringify(v)}`, 'pos_att_type');
  }
  for (const x of list as string[]) {
    if (x !== 'c2p' && x !== 'p2c') throw new AdapterConfigError(`pos_att_type "${x}" is not supported (transformers implements c2p and p2c)`, 'pos_att_type');
  }
  return list as string[];
}

/** Reads a DeBERTa or DeBERTa-v2 `config.json` object (defaults as in `transformers` 4.47). */
export function parseDebertaConfig(json: Readonly<Record<string, unknown>>): DebertaConfig {
  const modelType = String(json.model_type ?? 'deberta');
  if (modelType !== 'deberta' && modelType !== 'deberta-v2') {
    throw new AdapterConfigError(`@adapters/deberta serves deberta and deberta-v2, not "${modelType}"`, 'model_type');
  }
  const v2 = modelType === 'deberta-v2';
  const hiddenSize = num(json, 'hidden_size', v2 ? 1536 : 768);
  const heads = num(json, 'num_attention_heads', v2 ? 24 : 12);
  if (hiddenSize % heads !== 0) {
    throw new AdapterConfigError(`hidden_size ${hiddenSize} is not a multiple of num_attention_heads ${heads}`, 'num_attention_heads');
  }
  const headSize = json.attention_head_size;
  if (headSize !== undefined && headSize !== null && headSize !== hiddenSize / heads) {
    throw new AdapterConfigError(`attention_head_size ${String(headSize)} != hidden_size / num_attention_heads is not supported (attention.output.dense expects hidden_size inputs)`, 'attention_head_size');
  }
  const maxPositionEmbeddings = num(json, 'max_position_embeddings', 512);
  const maxRel = num(json, 'max_relative_positions', -1);
  const normRel = String(json.norm_rel_ebd ?? 'none')
    .toLowerCase()
    .split('|')
    .map((x) => x.trim());
  const convKernelSize = v2 ? num(json, 'conv_kernel_size', 0) : 0;
  if (convKernelSize > 0 && convKernelSize % 2 === 0) {
    throw new AdapterConfigError(`conv_kernel_size must be odd (an even kernel changes the sequence length in transformers), got ${convKernelSize}`, 'conv_kernel_size');
  }
  const convGroups = v2 ? num(json, 'conv_groups', 1) : 1;
  if (hiddenSize % convGroups !== 0) throw new AdapterConfigError(`hidden_size ${hiddenSize} is not a multiple of conv_groups ${convGroups}`, 'conv_groups');
  if (json.is_decoder === true || json.add_cross_attention === true) {
    throw new AdapterConfigError('DeBERTa as a decoder is not supported', json.is_decoder === true ? 'is_decoder' : 'add_cross_attention');
  }
  return {
    modelType,
    version: v2 ? 2 : 1,
    vocabSize: num(json, 'vocab_size', v2 ? 128100 : 50265),
    hiddenSize,
    embeddingSize: num(json, 'embedding_size', hiddenSize),
    numHiddenLayers: num(json, 'num_hidden_layers', v2 ? 24 : 12),
    numAttentionHeads: heads,
    intermediateSize: num(json, 'intermediate_size', v2 ? 6144 : 3072),
    hiddenAct: String(json.hidden_act ?? 'gelu'),
    hiddenDropoutProb: num(json, 'hidden_dropout_prob', 0.1),
    attentionProbsDropoutProb: num(json, 'attention_probs_dropout_prob', 0.1),
    maxPositionEmbeddings,
    typeVocabSize: num(json, 'type_vocab_size', 0),
    layerNormEps: num(json, 'layer_norm_eps', 1e-7),
    padTokenId: num(json, 'pad_token_id', 0),
    positionBiasedInput: bool(json, 'position_biased_input', true),
    relativeAttention: bool(json, 'relative_attention', false),
    posAttType: parsePosAttType(json.pos_att_type),
    maxRelativePositions: maxRel < 1 ? maxPositionEmbeddings : maxRel,
    positionBuckets: v2 ? num(json, 'position_buckets', -1) : -1,
    shareAttKey: v2 ? bool(json, 'share_att_key', false) : false,
    normRelEmbeddings: v2 && normRel.includes('layer_norm'),
    convKernelSize,
    convGroups,
    convAct: String(json.conv_act ?? 'tanh'),
    talkingHead: v2 ? false : bool(json, 'talking_head', false),
    raw: json,
  };
}

/** Half-width of the relative-embedding table a layer uses (v2 `pos_ebd_size`). */
export function posEmbeddingSize(c: DebertaConfig): number {
  return c.version === 2 && c.positionBuckets > 0 ? c.positionBuckets : c.maxRelativePositions;
}

/** Whether a disentangled term is enabled. */
export function hasPosAtt(c: DebertaConfig, t: PosAttType): boolean {
  return c.posAttType.includes(t);
}
