import { AdapterConfigError } from '@adapters/core';

/**
 * How the attention query is scaled. `'adapters'` (default) reproduces adapters 1.1.0/1.2.0's eager
 * `WhisperAttentionWithAdapters`, which leaves out `head_dim**-0.5` after `adapters.init()`;
 * `'hf'` is the fix (transformers' math: `q_proj(h) · head_dim**-0.5`, LoRA included).
 */
export type QueryScaling = 'adapters' | 'hf';

/** The fields of a Hugging Face Whisper `config.json` the forward pass uses. */
export interface WhisperConfig {
  readonly modelType: 'whisper';
  readonly vocabSize: number;
  readonly numMelBins: number;
  readonly dModel: number;
  readonly encoderLayers: number;
  readonly decoderLayers: number;
  readonly encoderAttentionHeads: number;
  readonly decoderAttentionHeads: number;
  readonly encoderFfnDim: number;
  readonly decoderFfnDim: number;
  readonly activationFunction: string;
  readonly maxSourcePositions: number;
  readonly maxTargetPositions: number;
  readonly dropout: number;
  readonly attentionDropout: number;
  readonly activationDropout: number;
  readonly decoderStartTokenId: number;
  readonly eosTokenId: number;
  readonly padTokenId: number;
  readonly queryScaling: QueryScaling;
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
 * Reads a Whisper `config.json` (defaults as transformers' `WhisperConfig`). `queryScaling` selects the
 * Python bug (default) or its fix; the config key `adapters_query_scaling` ("adapters" | "hf") overrides it.
 */
export function parseWhisperConfig(json: Json, queryScaling: QueryScaling = 'adapters'): WhisperConfig {
  const modelType = String(json.model_type ?? 'whisper');
  if (modelType !== 'whisper') throw new AdapterConfigError(`@adapters/whisper serves "whisper", not "${modelType}"`, 'model_type');
  const dModel = num(json, 'd_model', 384);
  const encoderAttentionHeads = num(json, 'encoder_attention_heads', 6);
  const decoderAttentionHeads = num(json, 'decoder_attention_heads', 6);
  for (const [k, h] of [['encoder_attention_heads', encoderAttentionHeads], ['decoder_attention_heads', decoderAttentionHeads]] as const) {
    if (dModel % h !== 0) throw new AdapterConfigError(`d_model ${dModel} is not a multiple of ${k} ${h}`, k);
  }
  const qs = json.adapters_query_scaling ?? queryScaling;
  if (qs !== 'adapters' && qs !== 'hf') throw new AdapterConfigError(`adapters_query_scaling must be "adapters" or "hf", got ${JSON.stringify(qs)}`, 'adapters_query_scaling');
  if (json.scale_embedding === true) throw new AdapterConfigError('scale_embedding=true is not supported (Whisper checkpoints use false)', 'scale_embedding');
  return {
    modelType: 'whisper',
    vocabSize: num(json, 'vocab_size', 51865),
    numMelBins: num(json, 'num_mel_bins', 80),
    dModel,
    encoderLayers: num(json, 'encoder_layers', 4),
    decoderLayers: num(json, 'decoder_layers', 4),
    encoderAttentionHeads,
    decoderAttentionHeads,
    encoderFfnDim: num(json, 'encoder_ffn_dim', 1536),
    decoderFfnDim: num(json, 'decoder_ffn_dim', 1536),
    activationFunction: String(json.activation_function ?? 'gelu'),
    maxSourcePositions: num(json, 'max_source_positions', 1500),
    maxTargetPositions: num(json, 'max_target_positions', 448),
    dropout: num(json, 'dropout', 0),
    attentionDropout: num(json, 'attention_dropout', 0),
    activationDropout: num(json, 'activation_dropout', 0),
    decoderStartTokenId: num(json, 'decoder_start_token_id', 50257),
    eosTokenId: num(json, 'eos_token_id', 50257),
    padTokenId: num(json, 'pad_token_id', 50256),
    queryScaling: qs,
    raw: json,
  };
}
