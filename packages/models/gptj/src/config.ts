import { AdapterConfigError } from '@adapters/core';

/** The fields of a Hugging Face GPT-J `config.json` the forward pass uses. */
export interface GptjConfig {
  readonly modelType: 'gptj';
  readonly vocabSize: number;
  /** `n_positions`: length of the rotary table. */
  readonly nPositions: number;
  /** `n_embd`. */
  readonly hiddenSize: number;
  /** `n_layer`. */
  readonly numLayers: number;
  /** `n_head`. */
  readonly numHeads: number;
  readonly headDim: number;
  /** `rotary_dim`: leading dimensions of each head that are rotated (`null` in the config: the whole head). */
  readonly rotaryDim: number;
  /** `n_inner` (default `4·n_embd`). */
  readonly innerSize: number;
  readonly activation: string;
  readonly residDropout: number;
  readonly embdDropout: number;
  readonly attnDropout: number;
  readonly layerNormEps: number;
  /** The raw config object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

function num(json: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AdapterConfigError(`config.json: expected a number, got ${JSON.stringify(v)}`, key);
  return v;
}

/** Reads a GPT-J `config.json` object (defaults as in `transformers`' GPTJConfig). */
export function parseGptjConfig(json: Readonly<Record<string, unknown>>): GptjConfig {
  const modelType = String(json.model_type ?? 'gptj');
  if (modelType !== 'gptj') throw new AdapterConfigError(`@adapters/gptj serves gptj, not "${modelType}"`, 'model_type');
  const hiddenSize = num(json, 'n_embd', 4096);
  const heads = num(json, 'n_head', 16);
  if (hiddenSize % heads !== 0) throw new AdapterConfigError(`n_embd ${hiddenSize} is not a multiple of n_head ${heads}`, 'n_head');
  const headDim = hiddenSize / heads;
  // transformers: pos_embd_dim = rotary_dim or embed_dim, and rotary_dim=None rotates whole heads.
  const rotaryRaw = json.rotary_dim === undefined ? 64 : json.rotary_dim;
  const rotaryDim = rotaryRaw === null ? headDim : num(json, 'rotary_dim', 64);
  if (rotaryDim % 2 !== 0 || rotaryDim > headDim || rotaryDim <= 0) {
    throw new AdapterConfigError(`rotary_dim ${rotaryDim} must be even and within the head dimension ${headDim}`, 'rotary_dim');
  }
  const inner = json.n_inner ?? null;
  return {
    modelType,
    vocabSize: num(json, 'vocab_size', 50400),
    nPositions: num(json, 'n_positions', 2048),
    hiddenSize,
    numLayers: num(json, 'n_layer', 28),
    numHeads: heads,
    headDim,
    rotaryDim,
    innerSize: inner === null ? 4 * hiddenSize : num(json, 'n_inner', 0),
    activation: String(json.activation_function ?? 'gelu_new'),
    residDropout: num(json, 'resid_pdrop', 0),
    embdDropout: num(json, 'embd_pdrop', 0),
    attnDropout: num(json, 'attn_pdrop', 0),
    layerNormEps: num(json, 'layer_norm_epsilon', 1e-5),
    raw: json,
  };
}
