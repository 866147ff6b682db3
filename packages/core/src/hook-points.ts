/**
 * The hook-point vocabulary: every place where a model lets adapters act. Model packages call
 * the hooks at these points; method packages implement one or more site kinds. Neither imports
 * the other: both depend on these names only (the analogue of tfjs' `kernel_names.ts`).
 */

/** The shapes a hook can have. Each method implements some of these kinds. */
export type SiteKind = 'linear' | 'residual' | 'attention' | 'embedding' | 'layer';

/** Linear projections (LoRA, (IA)³, VeRA, DoRA act here). */
export type LinearPoint =
  | 'attn.q'
  | 'attn.k'
  | 'attn.v'
  | 'attn.qkv'
  | 'attn.o'
  | 'cross.q'
  | 'cross.k'
  | 'cross.v'
  | 'ffn.up'
  | 'ffn.down';
/** Sub-layer outputs with their residual and LayerNorm (bottleneck adapters act here). */
export type ResidualPoint = 'block.attn' | 'block.cross' | 'block.ffn';
/** Attention key/value states (prefix tuning acts here). */
export type AttentionPoint = 'attn.self' | 'attn.cross';
/** Embedding output, and the reverse hook before an LM head (prompt tuning, invertible adapters). */
export type EmbeddingPoint = 'embed.out';
/** Output of a whole transformer layer (ReFT acts here). */
export type LayerPoint = 'layer.out';

/** Every hook point. */
export type HookPoint = LinearPoint | ResidualPoint | AttentionPoint | EmbeddingPoint | LayerPoint;

/** Site kind of each hook point. */
export const HOOK_POINT_KIND: Readonly<Record<HookPoint, SiteKind>> = {
  'attn.q': 'linear',
  'attn.k': 'linear',
  'attn.v': 'linear',
  'attn.qkv': 'linear',
  'attn.o': 'linear',
  'cross.q': 'linear',
  'cross.k': 'linear',
  'cross.v': 'linear',
  'ffn.up': 'linear',
  'ffn.down': 'linear',
  'block.attn': 'residual',
  'block.cross': 'residual',
  'block.ffn': 'residual',
  'attn.self': 'attention',
  'attn.cross': 'attention',
  'embed.out': 'embedding',
  'layer.out': 'layer',
};

interface SiteBase<K extends SiteKind, P extends HookPoint> {
  readonly kind: K;
  readonly point: P;
  /**
   * Python's layer index (`iter_layers`): what `leave_out`, per-layer config keys and AdapterDrop's
   * skip list match. For BART/T5-style models decoder layers continue after the encoder's (as in
   * Python); an `EncoderDecoderModel` numbers encoder and decoder layers from 0 each (see `hookLayer`).
   */
  readonly layer: number;
  /**
   * The layer number the forward passes to the hooks for this site, when it differs from `layer`:
   * models composed of sub-models that each count from 0 (Python `EncoderDecoderModel.iter_layers`)
   * give the decoder's sites distinct hook layers. The site's identity is `siteKey(site)`.
   */
  readonly hookLayer?: number;
  /** Module path used in state-dict keys, e.g. `encoder.layer.0.attention.self.query`. */
  readonly path: string;
}

/** A linear projection `y = x·W + b`. */
export interface LinearSite extends SiteBase<'linear', LinearPoint> {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Key of the weight variable in the model's weight map (for merging). */
  readonly weightKey: string;
  /** Storage layout of that weight: `[in, out]` (`'in_out'`) or PyTorch's `[out, in]` (`'out_in'`). */
  readonly weightLayout: 'in_out' | 'out_in';
  /** For fused projections (`attn.qkv`): sizes of the q|k|v blocks of the output. */
  readonly fusedSizes?: readonly number[];
}

/** A sub-layer output with residual input and (optional) pretrained LayerNorm. */
export interface ResidualSite extends SiteBase<'residual', ResidualPoint> {
  readonly hiddenSize: number;
  /** Whether the model passes its LayerNorm to the hook (post-LN models such as BERT). */
  readonly hasLayerNorm: boolean;
  /**
   * Python's bottleneck location key when it is not the point's default (`block.attn` →
   * `mh_adapter`, `block.ffn` → `output_adapter`, `block.cross` → `cross_adapter`): BERT's
   * `crossattention.output` is a `BertSelfOutput`, i.e. a `mh_adapter` layer.
   */
  readonly locationKey?: 'mh_adapter' | 'output_adapter' | 'cross_adapter';
}

/** Self- or cross-attention key/value states. */
export interface AttentionSite extends SiteBase<'attention', AttentionPoint> {
  readonly numHeads: number;
  readonly headDim: number;
  readonly hiddenSize: number;
  /**
   * Python's prefix location key: `self_prefix`, `encoder_prefix` or `cross_prefix`, or
   * `<model_type>_self_prefix` where Python builds the layer with `add_model_type_to_key=True`
   * (CLIP: `clip_text_model_self_prefix`, `clip_vision_model_self_prefix`).
   */
  readonly location: 'self_prefix' | 'encoder_prefix' | 'cross_prefix' | `${string}_self_prefix`;
  /**
   * Module path of the sub-model whose prefix-tuning pool holds this site's prefix (Python keys
   * `<poolPath>.prefix_tuning.prefix_tunings.<name>.<location>…`): `encoder` and `decoder.bert` in
   * an `EncoderDecoderModel`, whose sub-models each own a pool. Absent: the model's own pool.
   */
  readonly poolPath?: string;
}

/** The embedding output of the model (model-level: layer -1). */
export interface EmbeddingSite extends SiteBase<'embedding', EmbeddingPoint> {
  readonly hiddenSize: number;
  /**
   * Module path of the sub-model that owns model-level adapter modules for this embedding (invertible
   * adapters): Python's `invertible_adapters_base_name` — `encoder` for T5, BART, PLBart, Whisper,
   * `text_model` for CLIP. Absent: the model root (BERT-style models; keys `invertible_adapters.<name>…`).
   */
  readonly containerPath?: string;
}

/** The output of one transformer layer. */
export interface LayerSite extends SiteBase<'layer', LayerPoint> {
  readonly hiddenSize: number;
}

/** Any site a model exposes. */
export type Site = LinearSite | ResidualSite | AttentionSite | EmbeddingSite | LayerSite;

/** Site type for a kind. */
export type SiteOfKind<K extends SiteKind> = Extract<Site, { kind: K }>;

/** The stable identity of a site: `point@layer`. */
export function siteId(point: HookPoint, layer: number): string {
  return `${point}@${layer}`;
}

/** The identity of a declared site: `siteId` of its point and hook layer (`hookLayer`, else `layer`). */
export function siteKey(site: Pick<Site, 'point' | 'layer' | 'hookLayer'>): string {
  return siteId(site.point, site.hookLayer ?? site.layer);
}
