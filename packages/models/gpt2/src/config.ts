import { AdapterConfigError } from '@adapters/core';

/** The fields of a Hugging Face GPT-2 `config.json` the forward pass uses. */
export interface Gpt2Config {
  readonly modelType: 'gpt2';
  readonly vocabSize: number;
  /** `n_positions`: size of the learned position table. */
  readonly nPositions: number;
  /** `n_embd`. */
  readonly hiddenSize: number;
  /** `n_layer`. */
  readonly numLayers: number;
  /** `n_head`. */
  readonly numHeads: number;
  /** `n_inner` (default `4·n_embd`). */
  readonly innerSize: number;
  readonly activation: string;
  readonly residDropout: number;
  readonly embdDropout: number;
  readonly attnDropout: number;
  readonly layerNormEps: number;
  /** Divide attention scores by `√head_dim`. */
  readonly scaleAttnWeights: boolean;
  /** Also divide attention scores of layer `i` by `i + 1`. */
  readonly scaleAttnByInverseLayerIdx: boolean;
  /** The raw config object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

function num(json: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AdapterConfigError(`config.json: expected a number, got ${JSON.stringify(v)}`, key);
  return v;
}

/** Reads a GPT-2 `config.json` object (defaults as in `transformers`' GPT2Config). */
export function parseGpt2Config(json: Readonly<Record<string, unknown>>): Gpt2Config {
  const modelType = String(json.model_type ?? 'gpt2');
  if (modelType !== 'gpt2') throw new AdapterConfigError(`@adapters/gpt2 serves gpt2, not "${modelType}"`, 'model_type');
  if (json.add_cross_attention === true) {
    throw new AdapterConfigError('GPT-2 with cross-attention (add_cross_attention) is not supported', 'add_cross_attention');
  }
  const hiddenSize = num(json, 'n_embd', 768);
  const heads = num(json, 'n_head', 12);
  if (hiddenSize % heads !== 0) throw new AdapterConfigError(`n_embd ${hiddenSize} is not a multiple of n_head ${heads}`, 'n_head');
  const inner = json.n_inner ?? null;
  return {
    modelType,
    vocabSize: num(json, 'vocab_size', 50257),
    nPositions: num(json, 'n_positions', 1024),
    hiddenSize,
    numLayers: num(json, 'n_layer', 12),
    numHeads: heads,
    innerSize: inner === null ? 4 * hiddenSize : num(json, 'n_inner', 0),
    activation: String(json.activation_function ?? 'gelu_new'),
    residDropout: num(json, 'resid_pdrop', 0.1),
    embdDropout: num(json, 'embd_pdrop', 0.1),
    attnDropout: num(json, 'attn_pdrop', 0.1),
    layerNormEps: num(json, 'layer_norm_epsilon', 1e-5),
    scaleAttnWeights: json.scale_attn_weights !== false,
    scaleAttnByInverseLayerIdx: json.scale_attn_by_inverse_layer_idx === true,
    raw: json,
  };
}
