import type * as tf from '@tensorflow/tfjs-core';
import type { BlockType } from './composition/blocks';
import type { AttentionState, EmbeddingState, LayerNormFn } from './define-method';
import type { ForwardContext } from './forward-context';
import type { AttentionPoint, EmbeddingPoint, LinearPoint, ResidualPoint, Site } from './hook-points';
import type { Rng } from './rng';

/** Architecture facts methods need (sizes, layer count, raw config). */
export interface ModelInfo {
  /** `config.model_type`, e.g. `bert`. */
  readonly modelType: string;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numAttentionHeads: number;
  /** The raw Hugging Face `config.json` object. */
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * The only way model code touches adapters. Each call names a hook point and a layer; the
 * dispatcher applies the active adapters there (or takes the fast path when none is active).
 */
export interface Hooks {
  /** Per-pass context (training flag, masks, Parallel state). */
  readonly ctx: ForwardContext;
  /** `y = x·W + b` at a linear site; `weight` is `[in, out]`, `bias` optional. */
  linear(point: LinearPoint, layer: number, x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor;
  /**
   * A sub-layer output `hidden` with its residual `input` and pretrained LayerNorm. With no
   * adapter active this is `layerNorm(hidden + input)` (or `hidden + input` without LayerNorm).
   */
  residual(point: ResidualPoint, layer: number, hidden: tf.Tensor, input: tf.Tensor | null, layerNorm: LayerNormFn | null): tf.Tensor;
  /** Attention keys/values `[B, heads, T, headDim]` and mask, before the attention product. */
  attention(point: AttentionPoint, layer: number, state: AttentionState): AttentionState;
  /** The embedding output (and mask) of the model. */
  embedding(point: EmbeddingPoint, state: EmbeddingState): EmbeddingState;
  /** The output of transformer layer `layer`. */
  layerOutput(layer: number, hidden: tf.Tensor): tf.Tensor;
  /** Repeats `t` along the batch to match `ref` after a Parallel block (Python `adjust_tensors_for_parallel`). */
  matchBatch<T extends tf.Tensor>(ref: tf.Tensor, t: T): T;
  /** Repeats tensors to the largest batch among them (Python `match_attn_matrices_for_parallel`). */
  matchBatches(ts: readonly tf.Tensor[]): tf.Tensor[];
  /** Dropout that is active only in training mode. */
  dropout(x: tf.Tensor, rate: number): tf.Tensor;
}

/** Outputs of a model forward pass; names follow `transformers`. */
export interface ModelOutput {
  last_hidden_state: tf.Tensor;
  pooler_output?: tf.Tensor;
  /** Hidden states after the embeddings (0) and after each layer (i), when requested. */
  hidden_states?: tf.Tensor[];
  [name: string]: tf.Tensor | tf.Tensor[] | undefined;
}

/** Arguments of {@link ModelDefinition.forward}. */
export interface ModelForwardArgs<Cfg> {
  /** Input tensors by name: `input_ids`, `attention_mask`, `token_type_ids`, … */
  readonly inputs: Readonly<Record<string, tf.Tensor>>;
  readonly weights: ReadonlyMap<string, tf.Tensor>;
  readonly config: Cfg;
  readonly hooks: Hooks;
  /** Return `hidden_states` as well. */
  readonly outputHiddenStates?: boolean;
}

/**
 * A model plugin (BERT, GPT-2, …): a plain object defined with {@link defineModel} and
 * registered with `registerModel`.
 */
export interface ModelDefinition<Cfg = unknown> {
  /** Registry name, e.g. `bert`. */
  readonly name: string;
  /** Hugging Face `model_type` values this package serves, e.g. `['bert', 'roberta']`. */
  readonly modelTypes: readonly string[];
  /** Batch-level composition blocks this architecture supports (Python `SUPPORTED_MODELS`). */
  readonly compositions: readonly BlockType[];
  /**
   * Adapter config presets this architecture rejects in `addAdapter` (Python
   * `not_supported_adapter_configs`, e.g. `['dora', 'dvora']` for GPT-2; `'prompt_tuning'` where
   * Python sets `support_prompt_tuning = False`). Checked by class, see `assertConfigSupported`.
   */
  readonly unsupportedConfigs?: readonly string[];
  /** Python `base_model_prefix` for a given config, e.g. `bert` or `roberta`. */
  basePrefix(config: Cfg): string;
  /** Validates and types a `config.json` object. */
  parseConfig(json: Readonly<Record<string, unknown>>): Cfg;
  info(config: Cfg): ModelInfo;
  /** Every site the forward pass calls a hook at. */
  sites(config: Cfg): Site[];
  /** Names, shapes and init of every base weight, in the layout the forward uses. */
  weightSpecs(config: Cfg): WeightSpec[];
  forward(args: ModelForwardArgs<Cfg>): ModelOutput;
}

/** Describes one base-model weight. */
export interface WeightSpec {
  /** Hugging Face state-dict name, e.g. `encoder.layer.0.attention.self.query.weight`. */
  readonly name: string;
  /** Shape in the layout the forward uses. */
  readonly shape: readonly number[];
  /** When set, the checkpoint stores the transpose (PyTorch `[out, in]`) and loading transposes it. */
  readonly transposed?: boolean;
  /** Other checkpoint names accepted for this weight (legacy names, tied weights). */
  readonly aliases?: readonly string[];
  /** Random initialiser for models built without a checkpoint. */
  readonly init: 'normal' | 'zeros' | 'ones';
  /** Weight is optional in checkpoints (e.g. pooler). */
  readonly optional?: boolean;
}

/** Identity helper for model plugins. */
export function defineModel<Cfg>(model: ModelDefinition<Cfg>): ModelDefinition<Cfg> {
  return model;
}

/** Random source type re-exported for model packages that build random weights. */
export type { Rng };
