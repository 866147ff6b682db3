import { AdapterConfigError, getActivation } from '@adapters/core';

/** The fields of a Hugging Face T5 / mT5 `config.json` the forward pass uses. */
export interface T5Config {
  readonly modelType: 't5' | 'mt5';
  readonly vocabSize: number;
  readonly dModel: number;
  /** Size of one attention head (`d_kv`); the attention inner size is `numHeads · dKv`. */
  readonly dKv: number;
  readonly dFf: number;
  /** Encoder blocks (`num_layers`). */
  readonly numLayers: number;
  /** Decoder blocks (`num_decoder_layers`, default `num_layers`). */
  readonly numDecoderLayers: number;
  readonly numHeads: number;
  readonly relativeAttentionNumBuckets: number;
  readonly relativeAttentionMaxDistance: number;
  readonly dropoutRate: number;
  readonly layerNormEpsilon: number;
  /** Activation of the feed-forward block (`relu`, or `gelu_new` for `gated-gelu`). */
  readonly denseActFn: string;
  /** Gated feed-forward (`wi_0`, `wi_1`, T5 v1.1 / mT5) instead of `wi`. */
  readonly isGatedAct: boolean;
  readonly padTokenId: number;
  readonly decoderStartTokenId: number;
  readonly eosTokenId: number;
  /** Whether the LM head shares `shared.weight` (then transformers scales its input by `d_model**-0.5`). */
  readonly tieWordEmbeddings: boolean;
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

/**
 * transformers' `T5Config.__init__` parsing of `feed_forward_proj`: `"<act>"` or `"gated-<act>"`;
 * `"gated-gelu"` means `gelu_new` (T5 v1.1 / mT5 checkpoints).
 */
export function parseFeedForwardProj(proj: string): { act: string; gated: boolean } {
  const parts = proj.split('-');
  const gated = parts[0] === 'gated';
  if ((parts.length > 1 && !gated) || parts.length > 2) {
    throw new AdapterConfigError(
      `\`feed_forward_proj\`: ${proj} is not a valid activation function of the dense layer. Please make sure it is of the format "gated-{ACT_FN}" or "{ACT_FN}"`,
      'feed_forward_proj',
    );
  }
  return { act: proj === 'gated-gelu' ? 'gelu_new' : parts[parts.length - 1]!, gated };
}

/** Reads a T5 / mT5 `config.json` (defaults as transformers' `T5Config` / `MT5Config`). */
export function parseT5Config(json: Json): T5Config {
  const modelType = String(json.model_type ?? 't5');
  if (modelType !== 't5' && modelType !== 'mt5') throw new AdapterConfigError(`@adapters/t5 serves "t5" and "mt5", not "${modelType}"`, 'model_type');
  const mt5 = modelType === 'mt5';
  const { act, gated } = parseFeedForwardProj(String(json.feed_forward_proj ?? (mt5 ? 'gated-gelu' : 'relu')));
  getActivation(act, 'feed_forward_proj');
  const numLayers = num(json, 'num_layers', mt5 ? 8 : 6);
  const dModel = num(json, 'd_model', 512);
  return {
    modelType,
    vocabSize: num(json, 'vocab_size', mt5 ? 250112 : 32128),
    dModel,
    dKv: num(json, 'd_kv', 64),
    dFf: num(json, 'd_ff', mt5 ? 1024 : 2048),
    numLayers,
    numDecoderLayers: json.num_decoder_layers === null || json.num_decoder_layers === undefined ? numLayers : num(json, 'num_decoder_layers', numLayers),
    numHeads: num(json, 'num_heads', mt5 ? 6 : 8),
    relativeAttentionNumBuckets: num(json, 'relative_attention_num_buckets', 32),
    relativeAttentionMaxDistance: num(json, 'relative_attention_max_distance', 128),
    dropoutRate: num(json, 'dropout_rate', 0.1),
    layerNormEpsilon: num(json, 'layer_norm_epsilon', 1e-6),
    denseActFn: act,
    isGatedAct: gated,
    padTokenId: num(json, 'pad_token_id', 0),
    decoderStartTokenId: num(json, 'decoder_start_token_id', 0),
    eosTokenId: num(json, 'eos_token_id', 1),
    tieWordEmbeddings: json.tie_word_embeddings === undefined ? !mt5 : json.tie_word_embeddings === true,
    raw: json,
  };
}
