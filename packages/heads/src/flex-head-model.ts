import {
  AdapterConfigError,
  AdapterModel,
  AdaptersError,
  type AdapterSetup,
  type EmbeddingModule,
  type ForwardContext,
  type ForwardOptions,
  type JsonValue,
  type ModelOutput,
  NotFoundError,
  type SetupNode,
  firstAdapter,
  hashString,
  normalizeSetup,
  toNumber,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type HeadConfig,
  type HeadType,
  type Id2Label,
  buildHeadConfig,
  floatArg,
  isLmHead,
  splitSavedHeadConfig,
} from './head-config';
import type { HeadEnv, HeadOutput } from './head-forward';
import { type HeadSetup, headSetupNames, parseHeadsFromComposition, resolveHeadSetup } from './head-setup';
import { adapterModelClassName, headTypesFor, inputEmbeddingKey } from './model-heads';
import { PredictionHead } from './prediction-head';
import { runHeads } from './run-heads';
import { type FlexModelOutput, flattenChoiceInputs, flattenHeadsOutput } from './outputs';

/** Options of {@link FlexHeadModel.forward}: the base options plus head selection and targets. */
export interface FlexForwardOptions extends ForwardOptions {
  /** Run this head (Python `head=`), overriding the active head. */
  head?: string;
  /** Run this head setup, overriding the active head (and the one implied by `setup`). */
  headSetup?: HeadSetup;
  /** Labels: class ids `[B]` (float `[B]` for regression, `[B, n]` multi-hot for multilabel), token labels `[B, T]`, LM labels `[B, T]`. */
  labels?: tf.Tensor;
  /** Question answering: start positions `[B]`. */
  startPositions?: tf.Tensor;
  /** Question answering: end positions `[B]`. */
  endPositions?: tf.Tensor;
}

/** Per-head outputs of {@link FlexHeadModel.forwardHeads} (Python `MultiHeadOutput` when several heads ran). */
export interface FlexHeadOutput {
  /** Base-model outputs (`last_hidden_state`, `pooler_output`, `hidden_states`). */
  base: ModelOutput;
  /** One output per head that ran, in order (empty when no head is active). */
  heads: HeadOutput[];
  /** The single head's loss, or the sum over a BatchSplit / Parallel head setup (when every head has one). */
  loss?: tf.Scalar;
}

/** Common options of the `add…Head` methods. */
export interface AddHeadOptions {
  /** Replace an existing head of the same name. */
  overwriteOk?: boolean;
  /** Activate the head (default true, as Python). */
  setActive?: boolean;
  /** Label names by class id (stored as `label2id`). */
  id2label?: Id2Label;
  /** Seed of the head's initialisation (default derived from the name). */
  seed?: number;
}

/** Options of {@link FlexHeadModel.addClassificationHead} (Python defaults). */
export interface ClassificationHeadOptions extends AddHeadOptions {
  /** Default 2 (1 = regression with MSE loss). */
  numLabels?: number;
  /** Default 2. */
  layers?: number;
  /** Default `'tanh'`; null for none. */
  activationFunction?: string | null;
  /** Multi-label (BCE-with-logits loss, head type `multilabel_classification`). Default false. */
  multilabel?: boolean;
  /** Classify the pooler output instead of the first token. Default: the model's (false for BERT). */
  usePooler?: boolean;
  /** Bias of the output layer. Default true. */
  bias?: boolean;
  /** Dropout; default null = model `classifier_dropout` → `hidden_dropout_prob` → 0. */
  dropoutProb?: number | null;
}

/** Options of {@link FlexHeadModel.addImageClassificationHead} (Python `add_image_classification_head` defaults). */
export interface ImageClassificationHeadOptions extends AddHeadOptions {
  /** Default 2 (1 = regression with MSE loss). */
  numLabels?: number;
  /** Default 1 (one Linear on the CLS token / pooler output, like `ViTForImageClassification`). */
  layers?: number;
  /** Default `'tanh'` (used between layers only, so a 1-layer head has none); null for none. */
  activationFunction?: string | null;
  /** Multi-label: BCE-with-logits loss on multi-hot labels `[B, n]` (head type stays `image_classification`). Default false. */
  multilabel?: boolean;
  /** Classify `pooler_output` instead of the first token. Default: the model's (BEiT true, ViT false). */
  usePooler?: boolean;
  /** Bias of the output layer (`ImageClassificationHead` keyword). Default true. */
  bias?: boolean;
  /** Dropout (`ImageClassificationHead` keyword); default null = model `classifier_dropout` → `hidden_dropout_prob` → 0. */
  dropoutProb?: number | null;
}

/** Options of {@link FlexHeadModel.addTaggingHead} / {@link FlexHeadModel.addQAHead}. */
export interface TokenHeadOptions extends AddHeadOptions {
  /** Default 2. */
  numLabels?: number;
  /** Default 1. */
  layers?: number;
  /** Default `'tanh'`. */
  activationFunction?: string | null;
  /** Default null (model dropout). */
  dropoutProb?: number | null;
}

/** Options of {@link FlexHeadModel.addMultipleChoiceHead}. */
export interface MultipleChoiceHeadOptions extends AddHeadOptions {
  /** Default 2. */
  numChoices?: number;
  /** Default 2. */
  layers?: number;
  /** Default `'tanh'`. */
  activationFunction?: string | null;
  /** Default: the model's (false for BERT). */
  usePooler?: boolean;
  /** Default null (model dropout). */
  dropoutProb?: number | null;
}

/** Options of {@link FlexHeadModel.addCausalLMHead} / {@link FlexHeadModel.addMaskedLMHead}. */
export interface LMHeadOptions extends Omit<AddHeadOptions, 'id2label'> {
  /** Default `'gelu'`. */
  activationFunction?: string | null;
  /** Default 2 (one transform layer plus the output projection). */
  layers?: number;
}

/** Model types whose Python `<Model>AdapterModel` sets the class attribute `use_pooler = True`. */
const USE_POOLER_MODELS: ReadonlySet<string> = new Set(['albert', 'beit']);

type CtorOptions<Cfg> = ConstructorParameters<typeof AdapterModel<Cfg>>[0];

/**
 * An {@link AdapterModel} with flexible prediction heads: the TypeScript counterpart of Python's
 * `<Model>AdapterModel` (`ModelWithFlexibleHeadsAdaptersMixin`). Heads are added by name; adding
 * one activates it; activating an adapter setup activates the head(s) it implies (an adapter and
 * a head of the same name, BatchSplit → BatchSplit of heads, Parallel → one head per child).
 */
export class FlexHeadModel<Cfg = unknown> extends AdapterModel<Cfg> {
  /** Head types this model supports (Python `head_types`). */
  readonly headTypes: readonly HeadType[];
  /** Default `use_pooler` of classification / multiple-choice / image heads (Python class attribute: true for ALBERT and BEiT). */
  readonly usePoolerDefault: boolean;
  private readonly headMap = new Map<string, PredictionHead>();
  private activeHeads: HeadSetup | null = null;
  private contextHeads: (HeadSetup | null)[] = [];
  private lastContext: ForwardContext | null = null;

  constructor(opts: CtorOptions<Cfg> & { headTypes?: readonly HeadType[]; usePooler?: boolean }) {
    const info = opts.definition.info(opts.config);
    super({ ...opts, modelClass: opts.modelClass ?? adapterModelClassName(info.modelType) });
    this.headTypes = opts.headTypes ?? headTypesFor(info.modelType);
    this.usePoolerDefault = opts.usePooler ?? USE_POOLER_MODELS.has(info.modelType);
  }

  // ---------------------------------------------------------------- heads

  /** Head names in insertion order. */
  get headNames(): string[] {
    return [...this.headMap.keys()];
  }

  /** All heads by name. */
  get heads(): ReadonlyMap<string, PredictionHead> {
    return this.headMap;
  }

  /** A head by name. */
  head(name: string): PredictionHead {
    const h = this.headMap.get(name);
    if (!h) throw new NotFoundError(`No prediction head named "${name}". Heads: ${this.headNames.join(', ') || 'none'}.`);
    return h;
  }

  /** A head's config dict (Python `model.heads[name].config`). */
  headConfig(name: string): HeadConfig {
    return this.head(name).config;
  }

  /** Python `config.prediction_heads`: every head's config by name. */
  predictionHeadsConfig(): Record<string, HeadConfig> {
    return Object.fromEntries([...this.headMap].map(([k, h]) => [k, h.config]));
  }

  /** A head's own parameters by state-dict key (`heads.<name>.<index>.weight`; tied weights excluded). */
  headParameters(name: string): Map<string, tf.Variable> {
    return this.head(name).stateDict();
  }

  /**
   * Adds a head of `type` from keyword arguments named as in Python (Python
   * `add_prediction_head` with a newly built head). Returns the head.
   */
  addHead(type: HeadType, name: string, kwargs: Readonly<Record<string, JsonValue | undefined>> = {}, opts: AddHeadOptions = {}): PredictionHead {
    if (!this.headTypes.includes(type)) {
      throw new AdapterConfigError(`This model of type '${this.info.modelType}' does not support head type '${type}'.`, 'head_type');
    }
    if (!name || name.includes('.')) throw new AdapterConfigError(`Invalid head name "${name}": must be non-empty and contain no dots.`, 'name');
    if (this.headMap.has(name) && !opts.overwriteOk) {
      throw new AdaptersError(`Model already contains a head with name '${name}'. Use overwriteOk to force overwrite.`);
    }
    const config = buildHeadConfig(type, kwargs, this.info, opts.id2label ?? null);
    const head = new PredictionHead({
      name,
      type,
      config,
      info: this.info,
      tiedWeightKey: isLmHead(type) ? this.tiedEmbeddingKey(config) : null,
      seed: opts.seed ?? hashString(`head:${name}`),
    });
    this.headMap.get(name)?.dispose();
    this.headMap.set(name, head);
    if (opts.setActive ?? true) this.activeHead = name;
    return head;
  }

  /** Python `add_prediction_head_from_config`: adds a head from a saved config dict (`head_type`, `label2id`, …). */
  addHeadFromConfig(name: string, config: Readonly<Record<string, JsonValue>>, opts: Omit<AddHeadOptions, 'id2label'> & { id2label?: Id2Label } = {}): PredictionHead {
    const { type, kwargs, id2label } = splitSavedHeadConfig(config);
    return this.addHead(type, name, kwargs, { ...opts, id2label: opts.id2label ?? id2label ?? undefined });
  }

  /** Python `add_classification_head` (multilabel → `multilabel_classification`). */
  addClassificationHead(name: string, o: ClassificationHeadOptions = {}): PredictionHead {
    return this.addHead(
      o.multilabel ? 'multilabel_classification' : 'classification',
      name,
      {
        num_labels: o.numLabels ?? 2,
        layers: o.layers ?? 2,
        activation_function: o.activationFunction === undefined ? 'tanh' : o.activationFunction,
        use_pooler: o.usePooler ?? this.usePoolerDefault,
        bias: o.bias ?? true,
        dropout_prob: floatArg(o.dropoutProb),
      },
      o,
    );
  }

  /** `addClassificationHead(name, { ...o, multilabel: true })`. */
  addMultiLabelClassificationHead(name: string, o: Omit<ClassificationHeadOptions, 'multilabel'> = {}): PredictionHead {
    return this.addClassificationHead(name, { ...o, multilabel: true });
  }

  /**
   * Python `add_image_classification_head` (`ViTAdapterModel`, `BeitAdapterModel`): an
   * `ImageClassificationHead` on the first token of `last_hidden_state` (or on `pooler_output` with
   * `usePooler`, BEiT's default). Loss as Python: MSE for `numLabels = 1`, BCE-with-logits when
   * `multilabel`, else cross-entropy on class ids `[B]`.
   */
  addImageClassificationHead(name: string, o: ImageClassificationHeadOptions = {}): PredictionHead {
    return this.addHead(
      'image_classification',
      name,
      {
        num_labels: o.numLabels ?? 2,
        layers: o.layers ?? 1,
        activation_function: o.activationFunction === undefined ? 'tanh' : o.activationFunction,
        multilabel: o.multilabel ?? false,
        use_pooler: o.usePooler ?? this.usePoolerDefault,
        bias: o.bias ?? true,
        dropout_prob: floatArg(o.dropoutProb),
      },
      o,
    );
  }

  /** Python `add_tagging_head` (token classification). */
  addTaggingHead(name: string, o: TokenHeadOptions = {}): PredictionHead {
    return this.addHead('tagging', name, this.tokenKwargs(o), o);
  }

  /** Python `add_qa_head` (extractive QA: start/end logits). */
  addQAHead(name: string, o: TokenHeadOptions = {}): PredictionHead {
    return this.addHead('question_answering', name, this.tokenKwargs(o), o);
  }

  private tokenKwargs(o: TokenHeadOptions): Record<string, JsonValue | undefined> {
    return {
      num_labels: o.numLabels ?? 2,
      layers: o.layers ?? 1,
      activation_function: o.activationFunction === undefined ? 'tanh' : o.activationFunction,
      dropout_prob: floatArg(o.dropoutProb),
    };
  }

  /** Python `add_multiple_choice_head` (inputs `[B, choices, T]`). */
  addMultipleChoiceHead(name: string, o: MultipleChoiceHeadOptions = {}): PredictionHead {
    return this.addHead(
      'multiple_choice',
      name,
      {
        num_choices: o.numChoices ?? 2,
        layers: o.layers ?? 2,
        activation_function: o.activationFunction === undefined ? 'tanh' : o.activationFunction,
        use_pooler: o.usePooler ?? this.usePoolerDefault,
        dropout_prob: floatArg(o.dropoutProb),
      },
      o,
    );
  }

  /** Python `add_causal_lm_head` (LayerNorm and bias on, labels shifted; output tied to the input embeddings). */
  addCausalLMHead(name: string, o: LMHeadOptions = {}): PredictionHead {
    return this.addHead(
      'causal_lm',
      name,
      { layers: o.layers ?? 2, activation_function: o.activationFunction === undefined ? 'gelu' : o.activationFunction, layer_norm: true, bias: true },
      o,
    );
  }

  /** Python `add_masked_lm_head` (BERT-style transform + output tied to the input embeddings). */
  addMaskedLMHead(name: string, o: LMHeadOptions = {}): PredictionHead {
    return this.addHead(
      'masked_lm',
      name,
      { layers: o.layers ?? 2, activation_function: o.activationFunction === undefined ? 'gelu' : o.activationFunction },
      o,
    );
  }

  /** Python `delete_head`: removes the head and frees its variables (unknown names are ignored, as Python). */
  deleteHead(name: string): void {
    const h = this.headMap.get(name);
    if (!h) return;
    h.dispose();
    this.headMap.delete(name);
    if (this.activeHeads !== null && headSetupNames(this.activeHeads).includes(name)) this.activeHeads = null;
  }

  /** Python `get_labels_dict`: id → label of a head (default: the active head). */
  getLabelsDict(name?: string): Record<number, string> | null {
    const n = name ?? (typeof this.activeHead === 'string' ? this.activeHead : null);
    if (n === null) throw new AdaptersError('No head name given and no active head in the model');
    const l2i = this.head(n).config.label2id;
    if (l2i === null || l2i === undefined || typeof l2i !== 'object' || Array.isArray(l2i)) return null;
    const out: Record<number, string> = {};
    for (const [label, id] of Object.entries(l2i as Record<string, JsonValue>)) out[Number(toNumber(id))] = label;
    return out;
  }

  /** Python `get_labels`: the label names of a head, by id order of the map. */
  getLabels(name?: string): string[] | null {
    const d = this.getLabelsDict(name);
    return d === null ? null : Object.values(d);
  }

  /** The active head setup: a name, several names, a BatchSplit / Parallel of heads, or null. */
  get activeHead(): HeadSetup | null {
    const a = this.activeHeads;
    if (Array.isArray(a) && a.length === 1) return a[0] as string;
    return a;
  }

  set activeHead(setup: HeadSetup | null) {
    if (setup === null || setup === '') {
      this.activeHeads = null;
      return;
    }
    for (const n of headSetupNames(setup)) if (!this.headMap.has(n)) throw new NotFoundError(`Model does not contain a head with name '${n}'.`);
    this.activeHeads = typeof setup === 'string' ? [setup] : setup;
  }

  // ---------------------------------------------------------------- adapter setup → heads

  /** Python `set_active_adapters` of flex-head models: also activates the head(s) the setup implies, if they all exist. */
  override setActiveAdapters(setup: AdapterSetup | readonly string[] | null, skipLayers: readonly number[] = []): void {
    super.setActiveAdapters(setup, skipLayers);
    const implied = this.impliedHeads(this.activeAdapters);
    if (implied !== null) this.activeHeads = typeof implied === 'string' ? [implied] : implied;
  }

  /**
   * Runs `fn` with `setup` active (Python `AdapterSetup(setup, head_setup)` context): the head
   * setup is `headSetup` or the one `setup` implies; it overrides the active head inside `fn`.
   */
  override withAdapterSetup<T>(setup: AdapterSetup | null, fn: () => T, headSetup?: HeadSetup | null): T {
    this.contextHeads.push(headSetup ?? this.impliedHeads(normalizeSetup(setup)));
    let popNow = true;
    try {
      const out = super.withAdapterSetup(setup, fn);
      if (out instanceof Promise) {
        popNow = false;
        return out.finally(() => this.contextHeads.pop()) as T;
      }
      return out;
    } finally {
      if (popNow) this.contextHeads.pop();
    }
  }

  private impliedHeads(setup: SetupNode | null): HeadSetup | null {
    if (this.headMap.size === 0) return null;
    const h = parseHeadsFromComposition(setup);
    if (h === null || !headSetupNames(h).every((n) => this.headMap.has(n))) return null;
    return h;
  }

  /** Head selection priority (Python `_get_used_heads`): `head` option > head setup > context > active head. */
  private usedHeads(opts: FlexForwardOptions): HeadSetup | null {
    if (opts.head) return opts.head;
    if (opts.headSetup) return opts.headSetup;
    if (opts.setup !== undefined && opts.setup !== null) {
      const implied = this.impliedHeads(normalizeSetup(opts.setup));
      if (implied !== null) return implied;
    }
    const ctx = this.contextHeads[this.contextHeads.length - 1];
    if (ctx) return ctx;
    return this.activeHeads;
  }

  // ---------------------------------------------------------------- forward

  /**
   * Runs the base model and the active head(s). With one head the result holds the base outputs
   * plus `logits` (QA: `start_logits` / `end_logits`) and `loss` when targets are given; with
   * several heads `loss` is the combined loss and `logits` the row-wise concatenation (Python
   * `MultiHeadOutput.logits`) — use {@link forwardHeads} for each head's outputs. The caller owns
   * the returned tensors.
   */
  override forward(inputs: Readonly<Record<string, tf.Tensor>>, opts: FlexForwardOptions = {}): FlexModelOutput {
    return flattenHeadsOutput(this.forwardHeads(inputs, opts));
  }

  /** Runs the base model and the active head(s), returning each head's outputs separately. */
  forwardHeads(inputs: Readonly<Record<string, tf.Tensor>>, opts: FlexForwardOptions = {}): FlexHeadOutput {
    const flat = flattenChoiceInputs(inputs);
    try {
      const base = super.forward(flat.inputs, opts);
      const setup = this.usedHeads(opts);
      if (setup === null) return { base, heads: [] };
      const ctx = this.lastContext!;
      const targets = {
        attentionMask: flat.inputs.attention_mask ?? null,
        labels: opts.labels,
        startPositions: opts.startPositions,
        endPositions: opts.endPositions,
        promptTokensLength: ctx.promptTokensLength,
      };
      try {
        const result = tf.tidy(() => runHeads(resolveHeadSetup(setup), this.headMap, base, targets, ctx.setup, this.headEnv(ctx)));
        return { base, ...result };
      } catch (e) {
        for (const v of Object.values(base)) if (v) tf.dispose(v);
        throw e;
      }
    } finally {
      for (const t of flat.created) t.dispose();
    }
  }

  private headEnv(ctx: ForwardContext): HeadEnv {
    let invertible: HeadEnv['invertible'] = null;
    if (ctx.setup !== null) {
      const m = this.adapterModule(firstAdapter(ctx.setup), 'embed.out', -1) as EmbeddingModule | undefined;
      if (m?.inverse) invertible = (h) => m.inverse!(h, ctx);
    }
    return { dropout: (x, rate) => ctx.dropout(x, rate), baseWeight: (k) => this.weights.get(k), invertible };
  }

  /** Captures the per-pass context (prompt length, setup, dropout seed) for the heads. */
  protected override newContext(setup: SetupNode | null, opts: ForwardOptions): ForwardContext {
    const ctx = super.newContext(setup, opts);
    this.lastContext = ctx;
    return ctx;
  }

  /** Head parameters count as model variables (trainable unless frozen). */
  protected override extraVariables(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const h of this.headMap.values()) for (const [k, v] of h.stateDict()) out.set(k, v);
    return out;
  }

  /** Python `tie_weights`: the input embedding matrix when `tie_word_embeddings` (default true) and shapes match. */
  private tiedEmbeddingKey(config: HeadConfig): string | null {
    if (this.info.config.tie_word_embeddings === false) return null;
    const key = inputEmbeddingKey(this.definition, this.config);
    const w = key ? this.weights.get(key) : undefined;
    if (!key || !w) return null;
    const vocab = Number(toNumber(config.vocab_size));
    const emb = config.embedding_size === null || config.embedding_size === undefined ? this.info.hiddenSize : Number(toNumber(config.embedding_size));
    return w.shape[0] === vocab && w.shape[1] === emb ? key : null;
  }

  /** Frees every tensor owned by the model, its adapters and its heads. */
  override dispose(): void {
    for (const h of this.headMap.values()) h.dispose();
    this.headMap.clear();
    this.activeHeads = null;
    super.dispose();
  }
}
