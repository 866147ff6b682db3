import { AdapterConfigError, getActivation } from '@adapters/core';
import { type RopeScaling, parseRopeScaling } from './rope-config';

/** The Hugging Face `model_type`s this package serves. */
export type LlamaFamily = 'llama' | 'mistral' | 'qwen2' | 'gemma';

/** Every family served by this package. */
export const LLAMA_FAMILIES: readonly LlamaFamily[] = ['llama', 'mistral', 'qwen2', 'gemma'];

/**
 * Which FFN projection each LoRA location wraps.
 * - `swapped` — the built-in Python Llama/Mistral mixins: `mlp.down_proj` is "intermediate"
 *   (`intermediate_lora`) and `mlp.up_proj` is "output" (`output_lora`).
 * - `interface` — Python's plugin interface (Qwen2, Gemma 2/3): `up_proj` intermediate, `down_proj` output.
 */
export type FfnLoraMapping = 'swapped' | 'interface';

/** The fields of a Llama-family `config.json` the forward pass uses (typed and validated). */
export interface LlamaConfig {
  readonly modelType: LlamaFamily;
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  /** Key/value heads (grouped-query attention); equals `numAttentionHeads` for plain multi-head attention. */
  readonly numKeyValueHeads: number;
  readonly headDim: number;
  /** Activation of the gated MLP (`hidden_act`; Gemma: `hidden_activation`, default `gelu_pytorch_tanh`). */
  readonly hiddenAct: string;
  readonly rmsNormEps: number;
  readonly ropeTheta: number;
  readonly ropeScaling: RopeScaling;
  readonly maxPositionEmbeddings: number;
  /** Biases on q/k/v projections. */
  readonly qkvBias: boolean;
  /** Bias on the attention output projection. */
  readonly oBias: boolean;
  /** Biases on gate/up/down projections. */
  readonly mlpBias: boolean;
  readonly attentionDropout: number;
  /** Sliding-window attention size (Mistral); null = full causal attention. */
  readonly slidingWindow: number | null;
  readonly tieWordEmbeddings: boolean;
  /** Factor applied to the token embeddings (Gemma: `sqrt(hidden_size)`), null for none. */
  readonly embedScale: number | null;
  /** RMSNorm computes `x̂ · (1 + w)` (Gemma) instead of `x̂ · w`. */
  readonly normPlusOne: boolean;
  readonly ffnLoraMapping: FfnLoraMapping;
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

function int(json: Json, key: string, fallback: number): number {
  const n = num(json, key, fallback);
  if (!Number.isInteger(n) || n <= 0) throw new AdapterConfigError(`expected a positive integer, got ${n}`, key);
  return n;
}

function bool(json: Json, key: string, fallback: boolean): boolean {
  const v = json[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new AdapterConfigError(`config.json: expected true/false, got ${JSON.stringify(v)}`, key);
  return v;
}

/** `transformers` defaults per family (configuration_<family>.py). */
const DEFAULTS: Record<LlamaFamily, { vocab: number; hidden: number; inter: number; layers: number; heads: number; kv: number | null; maxPos: number; tie: boolean }> = {
  llama: { vocab: 32000, hidden: 4096, inter: 11008, layers: 32, heads: 32, kv: null, maxPos: 2048, tie: false },
  mistral: { vocab: 32000, hidden: 4096, inter: 14336, layers: 32, heads: 32, kv: 8, maxPos: 4096 * 32, tie: false },
  qwen2: { vocab: 151936, hidden: 4096, inter: 22016, layers: 32, heads: 32, kv: 32, maxPos: 32768, tie: false },
  gemma: { vocab: 256000, hidden: 3072, inter: 24576, layers: 28, heads: 16, kv: 16, maxPos: 8192, tie: true },
};

function family(json: Json): LlamaFamily {
  const t = String(json.model_type ?? 'llama');
  if (!(LLAMA_FAMILIES as readonly string[]).includes(t)) {
    throw new AdapterConfigError(`@adapters/llama serves ${LLAMA_FAMILIES.join(', ')}, not "${t}"`, 'model_type');
  }
  return t as LlamaFamily;
}

/** Fields whose non-default values this package does not implement. */
function rejectUnsupported(json: Json, fam: LlamaFamily): void {
  const prf = json.partial_rotary_factor;
  if (prf !== undefined && prf !== null && Number(prf) !== 1) {
    throw new AdapterConfigError(`partial rotary embeddings (${String(prf)}) are not implemented; only 1.0`, 'partial_rotary_factor');
  }
  if (fam === 'qwen2' && bool(json, 'use_sliding_window', false)) {
    throw new AdapterConfigError('Qwen2 per-layer sliding-window attention (max_window_layers) is not implemented', 'use_sliding_window');
  }
  for (const key of ['attn_logit_softcapping', 'final_logit_softcapping', 'query_pre_attn_scalar'] as const) {
    if (json[key] !== undefined && json[key] !== null) {
      throw new AdapterConfigError(`"${key}" belongs to Gemma 2/3 (model_type gemma2), which this package does not serve`, key);
    }
  }
}

/**
 * Reads a Llama / Mistral / Qwen2 / Gemma `config.json` (defaults as in `transformers` 4.47) and
 * rejects features that are not implemented with an {@link AdapterConfigError} naming the field.
 */
export function parseLlamaConfig(json: Json): LlamaConfig {
  const fam = family(json);
  rejectUnsupported(json, fam);
  const d = DEFAULTS[fam];
  const hiddenSize = int(json, 'hidden_size', d.hidden);
  const heads = int(json, 'num_attention_heads', d.heads);
  const kvRaw = json.num_key_value_heads;
  const kvHeads = kvRaw === undefined || kvRaw === null ? (d.kv ?? heads) : int(json, 'num_key_value_heads', heads);
  if (heads % kvHeads !== 0) {
    throw new AdapterConfigError(`num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}`, 'num_key_value_heads');
  }
  const hd = json.head_dim;
  let headDim: number;
  if (hd === undefined || hd === null) {
    if (fam === 'gemma') headDim = 256;
    else {
      if (hiddenSize % heads !== 0) throw new AdapterConfigError(`hidden_size ${hiddenSize} is not a multiple of num_attention_heads ${heads}`, 'num_attention_heads');
      headDim = hiddenSize / heads;
    }
  } else headDim = int(json, 'head_dim', 0);
  if (headDim % 2 !== 0) throw new AdapterConfigError(`rotary embeddings need an even head_dim, got ${headDim}`, 'head_dim');
  // Gemma ignores `hidden_act` and uses `hidden_activation` (default gelu_pytorch_tanh), as transformers does.
  const actField = fam === 'gemma' ? 'hidden_activation' : 'hidden_act';
  const hiddenAct = String(json[actField] ?? (fam === 'gemma' ? 'gelu_pytorch_tanh' : 'silu'));
  getActivation(hiddenAct, actField);
  const attentionBias = fam === 'llama' || fam === 'gemma' ? bool(json, 'attention_bias', false) : false;
  const sw = json.sliding_window;
  const slidingWindow = fam === 'mistral' && sw !== undefined && sw !== null ? int(json, 'sliding_window', 4096) : fam === 'mistral' && sw === undefined ? 4096 : null;
  return {
    modelType: fam,
    vocabSize: int(json, 'vocab_size', d.vocab),
    hiddenSize,
    intermediateSize: int(json, 'intermediate_size', d.inter),
    numHiddenLayers: int(json, 'num_hidden_layers', d.layers),
    numAttentionHeads: heads,
    numKeyValueHeads: kvHeads,
    headDim,
    hiddenAct,
    rmsNormEps: num(json, 'rms_norm_eps', 1e-6),
    ropeTheta: num(json, 'rope_theta', 10000),
    ropeScaling: parseRopeScaling(json.rope_scaling),
    maxPositionEmbeddings: int(json, 'max_position_embeddings', d.maxPos),
    // Qwen2 always has q/k/v biases and no output bias (transformers' Qwen2Attention).
    qkvBias: fam === 'qwen2' ? true : attentionBias,
    oBias: attentionBias,
    mlpBias: fam === 'llama' ? bool(json, 'mlp_bias', false) : false,
    attentionDropout: num(json, 'attention_dropout', 0),
    slidingWindow,
    tieWordEmbeddings: bool(json, 'tie_word_embeddings', d.tie),
    // transformers: torch.tensor(hidden_size ** 0.5, dtype=float32)
    embedScale: fam === 'gemma' ? Math.fround(Math.sqrt(hiddenSize)) : null,
    normPlusOne: fam === 'gemma',
    ffnLoraMapping: fam === 'llama' || fam === 'mistral' ? 'swapped' : 'interface',
    raw: json,
  };
}
