import { AdapterConfigError } from '@adapters/core';

/** The fields of a Hugging Face ViT `config.json` the forward pass uses. */
export interface VitConfig {
  readonly modelType: string;
  readonly hiddenSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly intermediateSize: number;
  readonly hiddenAct: string;
  readonly hiddenDropoutProb: number;
  readonly attentionProbsDropoutProb: number;
  readonly layerNormEps: number;
  /** `[height, width]` of the input images (`image_size` may be a number or a pair). */
  readonly imageSize: readonly [number, number];
  readonly patchSize: number;
  readonly numChannels: number;
  /** Whether q/k/v have biases (`qkv_bias`, default true). */
  readonly qkvBias: boolean;
  /** Pooler output size (`pooler_output_size`, default `hidden_size`). */
  readonly poolerOutputSize: number;
  /** Pooler activation (`pooler_act`, default `tanh`). */
  readonly poolerAct: string;
  /** The raw config object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A finite number from `json[key]` (or `fallback`), else {@link AdapterConfigError}. */
export function configNumber(json: Readonly<Record<string, unknown>>, key: string, fallback?: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AdapterConfigError(`config.json: expected a number, got ${JSON.stringify(v)}`, key);
  return v;
}

/** `image_size` / `patch_size`: a number or a `[h, w]` pair (transformers accepts both). */
export function configPair(json: Readonly<Record<string, unknown>>, key: string, fallback: number): [number, number] {
  const v = json[key] ?? fallback;
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x > 0)) return [v[0] as number, v[1] as number];
  throw new AdapterConfigError(`config.json: expected a positive integer or a pair, got ${JSON.stringify(v)}`, key);
}

/** A square patch size (a number, or a pair of equal numbers). */
export function configPatchSize(json: Readonly<Record<string, unknown>>, fallback: number): number {
  const [a, b] = configPair(json, 'patch_size', fallback);
  if (a !== b) throw new AdapterConfigError(`only square patches are supported, got ${a}×${b}`, 'patch_size');
  return a;
}

/** Checks `hidden_size % num_attention_heads == 0` and that the image divides into patches. */
export function checkVisionGeometry(hidden: number, heads: number, image: readonly [number, number], patch: number): void {
  if (hidden % heads !== 0) {
    throw new AdapterConfigError(`hidden_size ${hidden} is not a multiple of num_attention_heads ${heads}`, 'num_attention_heads');
  }
  if (image[0] % patch !== 0 || image[1] % patch !== 0) {
    throw new AdapterConfigError(`image_size ${image.join('×')} is not a multiple of patch_size ${patch}`, 'patch_size');
  }
}

/** Reads a ViT `config.json` object (defaults as in `transformers`' ViTConfig). */
export function parseVitConfig(json: Readonly<Record<string, unknown>>): VitConfig {
  const modelType = String(json.model_type ?? 'vit');
  if (modelType !== 'vit') throw new AdapterConfigError(`@adapters/vit serves model_type "vit", not "${modelType}"`, 'model_type');
  const hiddenSize = configNumber(json, 'hidden_size', 768);
  const heads = configNumber(json, 'num_attention_heads', 12);
  const imageSize = configPair(json, 'image_size', 224);
  const patchSize = configPatchSize(json, 16);
  checkVisionGeometry(hiddenSize, heads, imageSize, patchSize);
  return {
    modelType,
    hiddenSize,
    numHiddenLayers: configNumber(json, 'num_hidden_layers', 12),
    numAttentionHeads: heads,
    intermediateSize: configNumber(json, 'intermediate_size', 3072),
    hiddenAct: String(json.hidden_act ?? 'gelu'),
    hiddenDropoutProb: configNumber(json, 'hidden_dropout_prob', 0),
    attentionProbsDropoutProb: configNumber(json, 'attention_probs_dropout_prob', 0),
    layerNormEps: configNumber(json, 'layer_norm_eps', 1e-12),
    imageSize,
    patchSize,
    numChannels: configNumber(json, 'num_channels', 3),
    qkvBias: json.qkv_bias !== false,
    poolerOutputSize: configNumber(json, 'pooler_output_size', hiddenSize),
    poolerAct: String(json.pooler_act ?? 'tanh'),
    raw: json,
  };
}

/** Number of patches `(H / p) · (W / p)`. */
export function numPatches(c: { readonly imageSize: readonly [number, number]; readonly patchSize: number }): number {
  return (c.imageSize[0] / c.patchSize) * (c.imageSize[1] / c.patchSize);
}
