import type * as tf from '@tensorflow/tfjs-core';
import type { BlockType, FuseBlock } from './composition/blocks';
import type { AdapterConfig } from './config';
import type { ForwardContext } from './forward-context';
import type {
  AttentionSite,
  EmbeddingSite,
  LayerSite,
  LinearSite,
  ResidualSite,
  Site,
  SiteKind,
} from './hook-points';
import type { ModelInfo } from './define-model';
import type { Rng } from './rng';
import type { AverageStrategy } from './average';

/** Everything a module owns: local parameter names → variables. */
export interface ModuleBase {
  /**
   * Parameters by local name, e.g. `lora_A` or `adapter_down.0.weight`. The core derives the
   * state-dict key `<site.path>.<method.container>.<adapter>.<local>` (Python's naming).
   */
  readonly params: ReadonlyMap<string, tf.Variable>;
  /** Local names that are never trainable (e.g. VeRA's frozen shared matrices). */
  readonly frozen?: ReadonlySet<string>;
  /**
   * Local names (in `params`) that are PyTorch buffers rather than parameters, e.g. ReFT's orthogonal
   * `projection.parametrizations.weight.0.base`: saved and loaded like parameters, never trained, and not
   * counted by `adapterSummary` (Python counts `module.parameters()` only).
   */
  readonly buffers?: ReadonlySet<string>;
}

/** A LoRA-family module at a linear site (Python `LoRA`/`IA3`/`Vera` inside `LoRALinear`). */
export interface LinearModule extends ModuleBase {
  /**
   * The single-adapter step: from the running `hidden` (null before the first adapter) and the
   * layer input, compute the new hidden (already scaled), as Python's `LoRA.forward`.
   */
  forward(hidden: tf.Tensor | null, input: tf.Tensor, ctx: ForwardContext, site: LinearSite): tf.Tensor;
  /** Python `com(layer_output, hidden, scaling=1.0)` of the last adapter (plus DoRA). */
  combine(output: tf.Tensor, hidden: tf.Tensor, site: LinearSite, weight: tf.Tensor): tf.Tensor;
  /** Merged weight in the site's layout (absent: not mergeable). */
  merge?(weight: tf.Tensor, site: LinearSite): tf.Tensor;
  /** Inverse of {@link merge}. */
  unmerge?(weight: tf.Tensor, site: LinearSite): tf.Tensor;
}

/** Result of a bottleneck module's `preForward` (Python `pre_forward`). */
export interface ResidualPre {
  hidden: tf.Tensor;
  query: tf.Tensor;
  residual: tf.Tensor;
}

/** Optional LayerNorm function passed by a post-LN model. */
export type LayerNormFn = (x: tf.Tensor) => tf.Tensor;

/** What a Fuse block tells the last fused adapter's `preForward` (Python `fusion_config`). */
export interface ResidualFusionOptions {
  /** Python `query_before_ln`: the fusion query is the hidden state before the residual/LayerNorm pre-processing. */
  readonly queryBeforeLn: boolean;
}

/** A bottleneck-family module at a residual site (Python `Adapter`/`ParallelAdapter`). */
export interface ResidualModule extends ModuleBase {
  /** `fusion` is passed (only) when the call comes from a Fuse block; it decides which tensor becomes `query`. */
  preForward(
    hidden: tf.Tensor,
    input: tf.Tensor | null,
    layerNorm: LayerNormFn | null,
    ctx: ForwardContext,
    fusion?: ResidualFusionOptions,
  ): ResidualPre;
  /** Returns the adapter output (incl. its residual) and the scaled up-projection (for Fuse). */
  forward(hidden: tf.Tensor, residual: tf.Tensor, ctx: ForwardContext): { output: tf.Tensor; up: tf.Tensor };
  postForward(
    hidden: tf.Tensor,
    inputHidden: tf.Tensor,
    input: tf.Tensor | null,
    layerNorm: LayerNormFn | null,
    ctx: ForwardContext,
  ): tf.Tensor;
}

/** Attention key/value state threaded through prefix-tuning modules. */
export interface AttentionState {
  key: tf.Tensor;
  value: tf.Tensor;
  /** Additive or boolean-style mask as the model uses it; methods extend it for prefixes. */
  mask: tf.Tensor | null;
  /** The layer input (for gating). */
  hidden: tf.Tensor;
}

/**
 * Values used when states of different key lengths are concatenated along the batch (Parallel,
 * BatchSplit; Python `PrefixTuningLayer.pad_and_concat`): keys/values are left-padded with
 * `keyValue`, the additive mask with `mask`.
 */
export interface AttentionPadding {
  readonly keyValue: number;
  readonly mask: number;
}

/** A prefix-tuning module at an attention site. */
export interface AttentionModule extends ModuleBase {
  forward(state: AttentionState, ctx: ForwardContext, site: AttentionSite): AttentionState;
  /** Padding for concatenating states of different lengths (default: zeros and a masked `-1e9`). */
  readonly padding?: AttentionPadding;
}

/** Embedding-output state: hidden states and the attention mask `[B, T]`. */
export interface EmbeddingState {
  hidden: tf.Tensor;
  mask: tf.Tensor | null;
}

/** A module at the embedding output (prompt tuning, invertible adapters). First adapter only. */
export interface EmbeddingModule extends ModuleBase {
  forward(state: EmbeddingState, ctx: ForwardContext, site: EmbeddingSite): EmbeddingState;
  /** Inverse, applied before an LM head (invertible adapters). */
  inverse?(hidden: tf.Tensor, ctx: ForwardContext): tf.Tensor;
}

/** A module at a layer output (ReFT). First adapter only. */
export interface LayerModule extends ModuleBase {
  forward(hidden: tf.Tensor, ctx: ForwardContext, site: LayerSite): tf.Tensor;
}

/** Module type for each site kind. */
export interface ModuleOfKind {
  linear: LinearModule;
  residual: ResidualModule;
  attention: AttentionModule;
  embedding: EmbeddingModule;
  layer: LayerModule;
}

/** Model-level parameters of an adapter (prefix pools, prompt tables, shared PHM rules …). */
export interface SharedParams {
  /** Full state-dict keys relative to the base model (e.g. `shared_parameters.N.phm_rule`). */
  readonly params: ReadonlyMap<string, tf.Variable>;
  readonly frozen?: ReadonlySet<string>;
}

/** What a method receives when an adapter is added. */
export interface MethodInitContext {
  readonly adapterName: string;
  readonly config: AdapterConfig;
  readonly model: ModelInfo;
  /** Seeded random source for initialisation. */
  readonly rng: Rng;
  /** All sites of the model (for methods that size shared parameters from them). */
  readonly sites: readonly Site[];
  /** Model-level parameters created by {@link AdapterMethod.createShared}, if any. */
  readonly shared: SharedParams | undefined;
  /**
   * The base model's weights by Hugging Face name, read-only (for initialisers that copy base
   * weights, e.g. prompt tuning's `from_string` init copies word-embedding rows).
   */
  readonly weights?: ReadonlyMap<string, tf.Tensor>;
}

/**
 * A method plugin (LoRA, (IA)³, bottleneck, …). A plain object: define it with
 * {@link defineMethod} and register it with `registerMethod` or pass it to an `AdapterModel`.
 */
export interface AdapterMethod {
  /** Unique registry name, e.g. `lora`. */
  readonly name: string;
  /** Site kinds the method implements. */
  readonly kinds: readonly SiteKind[];
  /** Segment between the site path and the adapter name in state-dict keys (`loras`, `adapters`, `refts`). */
  readonly container: string;
  /** Composition blocks an adapter of this method may take part in (Python `supported_compositions`). */
  readonly compositions: readonly BlockType[];
  /** Whether the method ignores composition and uses the first adapter of the setup (prompt, ReFT, invertible). */
  readonly firstAdapterOnly?: boolean;
  /** True when this method owns the given (resolved) config. */
  accepts(config: AdapterConfig): boolean;
  /**
   * Other methods that must act on the same config (e.g. the bottleneck method requires the
   * `invertible` method when `inv_adapter` is set); missing ones raise MissingPluginError.
   */
  requires?(config: AdapterConfig): readonly { method: string; package: string }[];
  /** Validates a config against a model before anything is created (throw AdapterConfigError). */
  validate?(config: AdapterConfig, model: ModelInfo): void;
  /** Creates model-level parameters once per adapter (optional). */
  createShared?(ctx: MethodInitContext): SharedParams | undefined;
  /** Creates the module of an adapter at one site, or undefined when the config leaves it out. */
  createModule(site: Site, ctx: MethodInitContext): ModuleOfKind[SiteKind] | undefined;
  /**
   * Averaging strategies beyond `linear` (Python `average_adapter` combine strategies), e.g.
   * LoRA's `lora_linear_only_negate_b` and `lora_delta_w_svd`.
   */
  readonly averageStrategies?: Readonly<Record<string, AverageStrategy>>;
  /** Fusion support for residual sites (AdapterFusion), provided by the bottleneck family. */
  readonly fuse?: FuseProvider;
}

/** AdapterFusion implementation hooks (bottleneck family). */
export interface FuseProvider {
  /** Creates the fusion layer parameters at one residual site. */
  createFusionModule(
    site: ResidualSite,
    fusionConfig: Readonly<Record<string, unknown>>,
    adapterNames: readonly string[],
    rng: Rng,
    model?: ModelInfo,
  ): FusionModule;
}

/** One fusion layer (Python `BertFusion`). */
export interface FusionModule extends ModuleBase {
  /** Python `query_before_ln` of the fusion config (passed on to the last adapter's `preForward`). */
  readonly queryBeforeLn?: boolean;
  forward(query: tf.Tensor, ups: tf.Tensor, residual: tf.Tensor, ctx: ForwardContext, block: FuseBlock): tf.Tensor;
}

/** Identity helper that keeps literal types (cf. tfjs `KernelConfig` objects). */
export function defineMethod<M extends AdapterMethod>(method: M): M {
  return method;
}
