import { AdapterConfigError } from '@adapters/core';

/** One CLIP tower (text or vision): the fields the forward pass uses. */
export interface ClipTowerConfig {
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly hiddenAct: string;
  readonly layerNormEps: number;
  readonly attentionDropout: number;
}

/** `CLIPTextConfig` fields. */
export interface ClipTextConfig extends ClipTowerConfig {
  readonly vocabSize: number;
  readonly maxPositionEmbeddings: number;
  /** `eos_token_id`; `2` selects transformers' legacy pooling (argmax of the ids). */
  readonly eosTokenId: number;
}

/** `CLIPVisionConfig` fields. */
export interface ClipVisionConfig extends ClipTowerConfig {
  readonly numChannels: number;
  readonly imageSize: number;
  readonly patchSize: number;
}

/** A parsed CLIP `config.json` (`CLIPConfig`, defaults as in transformers 4.47). */
export interface ClipConfig {
  readonly modelType: 'clip';
  readonly text: ClipTextConfig;
  readonly vision: ClipVisionConfig;
  readonly projectionDim: number;
  readonly logitScaleInitValue: number;
  /** The raw config object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

type Json = Readonly<Record<string, unknown>>;

function num(json: Json, key: string, fallback: number, where: string): number {
  const v = json[key] ?? fallback;
  const n = typeof v === 'number' ? v : typeof v === 'object' && v !== null ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new AdapterConfigError(`config.json: expected a number, got ${JSON.stringify(v)}`, `${where}${key}`);
  return n;
}

function tower(json: Json, d: { hidden: number; inter: number; layers: number; heads: number }, where: string): ClipTowerConfig {
  const hiddenSize = num(json, 'hidden_size', d.hidden, where);
  const numAttentionHeads = num(json, 'num_attention_heads', d.heads, where);
  if (hiddenSize % numAttentionHeads !== 0) {
    throw new AdapterConfigError(`hidden_size ${hiddenSize} is not a multiple of num_attention_heads ${numAttentionHeads}`, `${where}num_attention_heads`);
  }
  return {
    hiddenSize,
    intermediateSize: num(json, 'intermediate_size', d.inter, where),
    numHiddenLayers: num(json, 'num_hidden_layers', d.layers, where),
    numAttentionHeads,
    hiddenAct: String(json.hidden_act ?? 'quick_gelu'),
    layerNormEps: num(json, 'layer_norm_eps', 1e-5, where),
    attentionDropout: num(json, 'attention_dropout', 0, where),
  };
}

function sub(json: Json, key: string): Json {
  const v = json[key];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new AdapterConfigError(`config.json: "${key}" must be an object`, key);
  return v as Json;
}

/** Reads a `CLIPConfig` `config.json` (`model_type: "clip"`, with `text_config` / `vision_config`). */
export function parseClipConfig(json: Json): ClipConfig {
  const modelType = String(json.model_type ?? 'clip');
  if (modelType !== 'clip') throw new AdapterConfigError(`@adapters/clip serves "clip" (CLIPModel), not "${modelType}"`, 'model_type');
  const t = sub(json, 'text_config');
  const v = sub(json, 'vision_config');
  const text: ClipTextConfig = {
    ...tower(t, { hidden: 512, inter: 2048, layers: 12, heads: 8 }, 'text_config.'),
    vocabSize: num(t, 'vocab_size', 49408, 'text_config.'),
    maxPositionEmbeddings: num(t, 'max_position_embeddings', 77, 'text_config.'),
    eosTokenId: num(t, 'eos_token_id', 49407, 'text_config.'),
  };
  const vision: ClipVisionConfig = {
    ...tower(v, { hidden: 768, inter: 3072, layers: 12, heads: 12 }, 'vision_config.'),
    numChannels: num(v, 'num_channels', 3, 'vision_config.'),
    imageSize: num(v, 'image_size', 224, 'vision_config.'),
    patchSize: num(v, 'patch_size', 32, 'vision_config.'),
  };
  if (vision.imageSize % vision.patchSize !== 0) {
    throw new AdapterConfigError(`image_size ${vision.imageSize} is not a multiple of patch_size ${vision.patchSize}`, 'vision_config.patch_size');
  }
  return {
    modelType: 'clip',
    text,
    vision,
    projectionDim: num(json, 'projection_dim', 512, ''),
    logitScaleInitValue: num(json, 'logit_scale_init_value', 2.6592, ''),
    raw: json,
  };
}

/** Number of patches per image side. */
export const patchesPerSide = (v: ClipVisionConfig): number => v.imageSize / v.patchSize;
