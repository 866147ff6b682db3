import { AdapterConfigError } from '@adapters/core';

/** The fields of a Hugging Face DistilBERT `config.json` the forward pass uses. */
export interface DistilBertConfig {
  readonly modelType: 'distilbert';
  readonly vocabSize: number;
  /** `dim` (Python's `hidden_size` alias). */
  readonly dim: number;
  /** `n_layers`. */
  readonly nLayers: number;
  /** `n_heads`. */
  readonly nHeads: number;
  /** `hidden_dim`: size of the feed-forward layer. */
  readonly hiddenDim: number;
  /** `activation` of the feed-forward layer. */
  readonly activation: string;
  readonly dropout: number;
  readonly attentionDropout: number;
  readonly maxPositionEmbeddings: number;
  /** Fixed sinusoidal position table instead of learned position embeddings. */
  readonly sinusoidalPosEmbds: boolean;
  readonly padTokenId: number;
  /** The raw config object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

function num(json: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AdapterConfigError(`config.json: expected a number, got ${JSON.stringify(v)}`, key);
  return v;
}

/** DistilBERT's LayerNorm epsilon (hard-coded in `transformers`). */
export const DISTILBERT_LN_EPS = 1e-12;

/** Reads a `config.json` object (defaults as in `transformers`' DistilBertConfig). */
export function parseDistilBertConfig(json: Readonly<Record<string, unknown>>): DistilBertConfig {
  const modelType = String(json.model_type ?? 'distilbert');
  if (modelType !== 'distilbert') throw new AdapterConfigError(`@adapters/distilbert serves distilbert, not "${modelType}"`, 'model_type');
  // DistilBertConfig.attribute_map: hidden_size → dim, num_attention_heads → n_heads, num_hidden_layers → n_layers.
  const dim = num(json, 'dim', num(json, 'hidden_size', 768));
  const nHeads = num(json, 'n_heads', num(json, 'num_attention_heads', 12));
  if (dim % nHeads !== 0) throw new AdapterConfigError(`dim ${dim} is not a multiple of n_heads ${nHeads}`, 'n_heads');
  return {
    modelType,
    vocabSize: num(json, 'vocab_size', 30522),
    dim,
    nLayers: num(json, 'n_layers', num(json, 'num_hidden_layers', 6)),
    nHeads,
    hiddenDim: num(json, 'hidden_dim', 4 * 768),
    activation: String(json.activation ?? 'gelu'),
    dropout: num(json, 'dropout', 0.1),
    attentionDropout: num(json, 'attention_dropout', 0.1),
    maxPositionEmbeddings: num(json, 'max_position_embeddings', 512),
    sinusoidalPosEmbds: json.sinusoidal_pos_embds === true,
    padTokenId: num(json, 'pad_token_id', 0),
    raw: json,
  };
}
