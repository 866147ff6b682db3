import { AdapterConfigError } from '@adapters/core';
import { checkVisionGeometry, configNumber, configPair, configPatchSize } from '@adapters/vit';

/** The fields of a Hugging Face BEiT `config.json` the forward pass uses. */
export interface BeitConfig {
  readonly modelType: string;
  readonly hiddenSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly intermediateSize: number;
  readonly hiddenAct: string;
  readonly hiddenDropoutProb: number;
  readonly attentionProbsDropoutProb: number;
  readonly layerNormEps: number;
  /** `[height, width]` of the input images. */
  readonly imageSize: readonly [number, number];
  readonly patchSize: number;
  readonly numChannels: number;
  /** `use_absolute_position_embeddings` (default false). */
  readonly useAbsolutePositionEmbeddings: boolean;
  /** Per-layer relative position bias tables (`use_relative_position_bias`, default false). */
  readonly useRelativePositionBias: boolean;
  /** One relative position bias table shared by all layers (`use_shared_relative_position_bias`, default false). */
  readonly useSharedRelativePositionBias: boolean;
  /** `layer_scale_init_value` (default 0.1): layers have `lambda_1` / `lambda_2` when > 0. */
  readonly layerScaleInitValue: number;
  /** Stochastic depth: layer `i` drops its branches with rate `linspace(0, drop_path_rate, L)[i]` in training. */
  readonly dropPathRate: number;
  /** Mean-pool the patch tokens + `pooler.layernorm` (default true); else final `layernorm` + CLS token. */
  readonly useMeanPooling: boolean;
  /**
   * Opt-in fix (config key `adapters_pad_relative_position_bias`): give prefix-tuning keys and
   * prompt-tuning tokens a zero relative position bias instead of failing like Python.
   */
  readonly padRelativePositionBias: boolean;
  /** The raw config object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Reads a BEiT `config.json` object (defaults as in `transformers`' BeitConfig). */
export function parseBeitConfig(json: Readonly<Record<string, unknown>>, padRelativePositionBias = false): BeitConfig {
  const modelType = String(json.model_type ?? 'beit');
  if (modelType !== 'beit') throw new AdapterConfigError(`@adapters/beit serves model_type "beit", not "${modelType}"`, 'model_type');
  const hiddenSize = configNumber(json, 'hidden_size', 768);
  const heads = configNumber(json, 'num_attention_heads', 12);
  const imageSize = configPair(json, 'image_size', 224);
  const patchSize = configPatchSize(json, 16);
  checkVisionGeometry(hiddenSize, heads, imageSize, patchSize);
  const pad = json.adapters_pad_relative_position_bias;
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
    useAbsolutePositionEmbeddings: json.use_absolute_position_embeddings === true,
    useRelativePositionBias: json.use_relative_position_bias === true,
    useSharedRelativePositionBias: json.use_shared_relative_position_bias === true,
    layerScaleInitValue: configNumber(json, 'layer_scale_init_value', 0.1),
    dropPathRate: configNumber(json, 'drop_path_rate', 0.1),
    useMeanPooling: json.use_mean_pooling !== false,
    padRelativePositionBias: typeof pad === 'boolean' ? pad : padRelativePositionBias,
    raw: json,
  };
}

/** The patch grid `(H / p, W / p)` (BEiT's `window_size`). */
export function windowSize(c: BeitConfig): [number, number] {
  return [c.imageSize[0] / c.patchSize, c.imageSize[1] / c.patchSize];
}

/** Rows of a relative position bias table: `(2·Wh − 1)(2·Ww − 1) + 3`. */
export function numRelativeDistance(c: BeitConfig): number {
  const [wh, ww] = windowSize(c);
  return (2 * wh - 1) * (2 * ww - 1) + 3;
}
