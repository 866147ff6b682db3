import * as tf from '@tensorflow/tfjs-core';
import {
  type AdapterSetup,
  type FuseBlock,
  type SetupNode,
  flattenSetup,
  fusionName,
} from './composition/blocks';
import { normalizeSetup } from './composition/validate';
import { type AdapterConfig, type AnyAdapterConfig, type ConfigInput, configMembers, resolveAdapterConfig } from './config';
import type { AdapterMethod, FusionModule, MethodInitContext, SharedParams } from './define-method';
import type { ModelDefinition, ModelInfo, ModelOutput } from './define-model';
import { AdapterConfigError, AdaptersError, MissingPluginError, NotFoundError } from './errors';
import { type CompositionFixes, ForwardContext } from './forward-context';
import { type LinearSite, type ResidualSite, type Site, siteId, siteKey } from './hook-points';
import { registeredMethods } from './registry';
import { Rng } from './rng';
import {
  type AdapterEntry,
  type FusionEntry,
  type PlacedModule,
  adapterParams,
  bufferAdapterKeys,
  fusionParams,
  frozenAdapterKeys,
} from './adapter-entry';
import { checkSetupSupport, createHooks } from './dispatch';
import { assertConfigSupported } from './config-support';
import { validateAdapterConfig } from './validate-config';
import type { LinearModule, ModuleBase } from './define-method';

let modelCounter = 0;

/** Options of {@link AdapterModel.forward}. */
export interface ForwardOptions {
  /** Training mode (dropout on). Defaults to the model's mode (see {@link AdapterModel.train}). */
  training?: boolean;
  /** Override the active setup for this call. */
  setup?: AdapterSetup | null;
  /** Also return `hidden_states`. */
  outputHiddenStates?: boolean;
  /** Task ids for MultiTask blocks. */
  taskIds?: number[];
  /** Seed for dropout masks of this pass. */
  seed?: number;
  /** Opt-in corrections of Python composition quirks (default: reproduce Python). */
  fixes?: CompositionFixes;
}

/** Options of {@link AdapterModel.addAdapter}. */
export interface AddAdapterOptions {
  overwriteOk?: boolean;
  setActive?: boolean;
  /** Seed for the adapter's initialisation (default: derived from the name). */
  seed?: number;
}

/**
 * A base model with adapters: the TypeScript counterpart of a Python model after
 * `adapters.init(model)`. Holds the base weights, the added adapters, fusions and the active
 * setup, and runs the forward pass with the hook dispatcher.
 */
export class AdapterModel<Cfg = unknown> {
  readonly definition: ModelDefinition<Cfg>;
  readonly config: Cfg;
  readonly info: ModelInfo;
  /** Base weights by Hugging Face name (layout per {@link ModelDefinition.weightSpecs}). */
  readonly weights: Map<string, tf.Variable>;
  readonly sites: readonly Site[];
  /** `config.name_or_path`, written as `model_name` in saved files. */
  modelName: string;
  /** Model class name written as `model_class` (Python class of the saved model). */
  modelClass: string;
  private readonly siteById = new Map<string, Site>();
  private readonly methods = new Map<string, AdapterMethod>();
  private readonly adapters = new Map<string, AdapterEntry>();
  private readonly fusions = new Map<string, FusionEntry>();
  private readonly modulesBySite = new Map<string, Map<string, PlacedModule>>();
  private readonly fusionsBySite = new Map<string, Map<string, FusionModule>>();
  private readonly merged = new Map<string, string>();
  private readonly mergedOriginal = new Map<string, tf.Tensor>();
  private activeSetup: SetupNode | null = null;
  private skipLayers: number[] = [];
  private trainingMode = false;
  /** Model-wide opt-in corrections of Python composition quirks (default: none — Python behaviour). */
  compositionFixes: CompositionFixes = {};
  private readonly uid = ++modelCounter;

  constructor(opts: {
    definition: ModelDefinition<Cfg>;
    config: Cfg;
    weights: Map<string, tf.Variable>;
    methods?: readonly AdapterMethod[];
    modelName?: string;
    modelClass?: string;
  }) {
    this.definition = opts.definition;
    this.config = opts.config;
    this.info = opts.definition.info(opts.config);
    this.weights = opts.weights;
    this.sites = opts.definition.sites(opts.config);
    for (const s of this.sites) this.siteById.set(siteKey(s), s);
    for (const m of opts.methods ?? []) this.methods.set(m.name, m);
    this.modelName = opts.modelName ?? String(this.info.config._name_or_path ?? this.info.modelType);
    this.modelClass = opts.modelClass ?? defaultModelClass(this.info);
  }

  // ---------------------------------------------------------------- methods and adapters

  /** Method plugins available to this model (explicit ones first, then the global registry). */
  availableMethods(): AdapterMethod[] {
    const out = new Map(this.methods);
    for (const m of registeredMethods()) if (!out.has(m.name)) out.set(m.name, m);
    return [...out.values()];
  }

  /**
   * Every method that acts on a config (e.g. `seq_bn_inv`: bottleneck at residual sites and
   * invertible at the embeddings), plus the methods they declare as required.
   */
  methodsFor(config: AdapterConfig): AdapterMethod[] {
    const available = this.availableMethods();
    const ms = available.filter((x) => x.accepts(config));
    if (ms.length === 0) {
      throw new MissingPluginError(
        `No method package accepts config ${config.className}${config.values.architecture ? ` (architecture "${String(config.values.architecture)}")` : ''}. ` +
          `Install and import the method package (e.g. @adapters/lora, @adapters/bottleneck).`,
      );
    }
    for (const m of ms) {
      for (const req of m.requires?.(config) ?? []) {
        if (!ms.some((x) => x.name === req.method)) {
          throw new MissingPluginError(`Config ${config.className} also needs the "${req.method}" method: install and import ${req.package}.`);
        }
      }
    }
    return ms;
  }

  /** Names of all added adapters. */
  get adapterNames(): string[] {
    return [...this.adapters.keys()];
  }

  /** The resolved config of an adapter. */
  adapterConfig(name: string): AnyAdapterConfig {
    return this.entry(name).config;
  }

  /** The methods used by an adapter (one per union member). */
  adapterMethods(name: string): readonly AdapterMethod[] {
    return this.entry(name).methods;
  }

  private entry(name: string): AdapterEntry {
    const e = this.adapters.get(name);
    if (!e) throw new NotFoundError(`No adapter named "${name}". Added adapters: ${this.adapterNames.join(', ') || 'none'}.`);
    return e;
  }

  /**
   * Adds an adapter (Python `add_adapter`). `config` is an identifier (`"lora"`), a config string
   * (`"lora[r=4]|seq_bn"`), a dict or a resolved config.
   */
  addAdapter(name: string, config: ConfigInput = 'seq_bn', opts: AddAdapterOptions = {}): void {
    validateName(name);
    const replace = this.adapters.has(name);
    if (replace && !opts.overwriteOk) throw new AdaptersError(`An adapter with the name "${name}" has already been added.`);
    const resolved = resolveAdapterConfig(config);
    assertConfigSupported(resolved, this.definition.unsupportedConfigs ?? [], this.info.modelType);
    // Types and impossible values first (naming the field), then each method's own checks.
    validateAdapterConfig(resolved, this.info, { layerCount: Math.max(this.info.numLayers, ...this.sites.map((s) => s.layer + 1)) });
    const members = configMembers(resolved);
    const parts = members.flatMap((c) => this.methodsFor(c).map((method) => ({ config: c, method })));
    for (const p of parts) p.method.validate?.(p.config, this.info);
    // An invalid config leaves an existing adapter of that name in place.
    if (replace) this.deleteAdapter(name);
    const methods = parts.map((p) => p.method);
    const entry: AdapterEntry = { name, config: resolved, methods, modules: new Map(), shared: new Map() };
    const rng = new Rng(opts.seed ?? hashString(name));
    try {
      parts.forEach(({ config: member, method }, i) => {
        const base: Omit<MethodInitContext, 'shared'> = {
          adapterName: name,
          config: member,
          model: this.info,
          rng: rng.fork(`${method.name}/${i}`),
          sites: this.sites,
          weights: this.weights,
        };
        const shared = method.createShared?.({ ...base, shared: undefined });
        if (shared) entry.shared.set(method.name, shared);
        const ctx: MethodInitContext = { ...base, shared };
        for (const site of this.sites) {
          if (!method.kinds.includes(site.kind)) continue;
          const module = method.createModule(site, ctx);
          if (!module) continue;
          const id = siteKey(site);
          if (entry.modules.has(id)) {
            throw new AdapterConfigError(`Multiple adapter definitions conflict for adapter "${name}" at ${site.path} (${site.point}).`);
          }
          entry.modules.set(id, { site, method, module });
        }
      });
    } catch (e) {
      disposeEntry(entry);
      // Sizes too large to allocate (typed-array limits) become a config error naming the adapter.
      if (e instanceof RangeError) throw new AdapterConfigError(`adapter "${name}" cannot be allocated (${e.message}): its sizes are too large for this model`);
      throw e;
    }
    this.adapters.set(name, entry);
    for (const [id, placed] of entry.modules) {
      let m = this.modulesBySite.get(id);
      if (!m) this.modulesBySite.set(id, (m = new Map()));
      m.set(name, placed);
    }
    if (opts.setActive) this.setActiveAdapters(name);
  }

  /** Deletes an adapter and frees its tensors (Python `delete_adapter`). */
  deleteAdapter(name: string): void {
    const e = this.entry(name);
    for (const [id, site] of this.merged) if (site === name) this.resetSite(id);
    for (const id of e.modules.keys()) this.modulesBySite.get(id)?.delete(name);
    for (const f of [...this.fusions.values()]) if (f.adapterNames.includes(name)) this.deleteAdapterFusion(f.name);
    disposeEntry(e);
    this.adapters.delete(name);
    if (this.activeSetup && flattenSetup(this.activeSetup).includes(name)) this.activeSetup = null;
  }

  /** All parameters of an adapter by state-dict key (Python naming, no base-model prefix). */
  adapterParameters(name: string): Map<string, tf.Variable> {
    return adapterParams(this.entry(name));
  }

  /** The adapter's modules by site id, each with its method and parameters by local name. */
  adapterModules(name: string): Map<string, { method: AdapterMethod; params: ReadonlyMap<string, tf.Variable> }> {
    const out = new Map<string, { method: AdapterMethod; params: ReadonlyMap<string, tf.Variable> }>();
    for (const [id, p] of this.entry(name).modules) out.set(id, { method: p.method, params: p.module.params });
    return out;
  }

  /** Parameters that must stay frozen even when the adapter trains (e.g. VeRA's shared matrices). */
  frozenAdapterParameters(name: string): Set<string> {
    return frozenAdapterKeys(this.entry(name));
  }

  /** Keys (among {@link adapterParameters}) that are buffers, not parameters (e.g. ReFT's orthogonal bases). */
  adapterBuffers(name: string): Set<string> {
    return bufferAdapterKeys(this.entry(name));
  }

  // ---------------------------------------------------------------- fusion

  /**
   * Adds an AdapterFusion layer over `adapters` at every residual site where all of them have a
   * module (Python `add_adapter_fusion`).
   */
  addAdapterFusion(adapters: FuseBlock | readonly string[] | string, config: Readonly<Record<string, unknown>>, opts: { name?: string; overwriteOk?: boolean; seed?: number } = {}): string {
    const names = typeof adapters === 'string' ? adapters.split(',') : Array.isArray(adapters) ? [...adapters] : flattenSetup(adapters as FuseBlock);
    const name = opts.name ?? (typeof adapters === 'object' && !Array.isArray(adapters) ? fusionName(adapters as FuseBlock) : names.join(','));
    if (this.fusions.has(name)) {
      if (!opts.overwriteOk) throw new AdaptersError(`An AdapterFusion with the name "${name}" has already been added.`);
      this.deleteAdapterFusion(name);
    }
    const entries = names.map((n) => this.entry(n));
    const entry: FusionEntry = { name, adapterNames: names, config, modules: new Map() };
    const rng = new Rng(opts.seed ?? hashString(`fusion:${name}`));
    for (const site of this.sites) {
      if (site.kind !== 'residual') continue;
      const id = siteKey(site);
      const placed = entries.map((e) => e.modules.get(id));
      if (placed.some((p) => !p)) continue;
      const provider = placed[0]!.method.fuse;
      if (!provider) throw new AdapterConfigError(`Method "${placed[0]!.method.name}" does not support AdapterFusion.`);
      const module = provider.createFusionModule(site as ResidualSite, config, names, rng.fork(id), this.info);
      entry.modules.set(id, { site, module });
      let m = this.fusionsBySite.get(id);
      if (!m) this.fusionsBySite.set(id, (m = new Map()));
      m.set(name, module);
    }
    this.fusions.set(name, entry);
    return name;
  }

  /** Removes a fusion and frees its tensors. */
  deleteAdapterFusion(name: string): void {
    const f = this.fusions.get(name);
    if (!f) throw new NotFoundError(`No AdapterFusion named "${name}".`);
    for (const [id, { module }] of f.modules) {
      this.fusionsBySite.get(id)?.delete(name);
      for (const v of module.params.values()) v.dispose();
    }
    this.fusions.delete(name);
  }

  /** Fusion parameters by state-dict key. */
  fusionParameters(name: string): Map<string, tf.Variable> {
    const f = this.fusions.get(name);
    if (!f) throw new NotFoundError(`No AdapterFusion named "${name}".`);
    return fusionParams(f);
  }

  /** The fusion entry (config and adapter names). */
  fusion(name: string): Readonly<FusionEntry> {
    const f = this.fusions.get(name);
    if (!f) throw new NotFoundError(`No AdapterFusion named "${name}".`);
    return f;
  }

  /** Names of all fusions. */
  get fusionNames(): string[] {
    return [...this.fusions.keys()];
  }

  // ---------------------------------------------------------------- activation

  /**
   * Sets the active setup (Python `set_active_adapters`): a name, a list (deprecated: Stack) or a
   * composition block. Like Python, it first un-merges any merged adapter.
   */
  setActiveAdapters(setup: AdapterSetup | readonly string[] | null, skipLayers: readonly number[] = []): void {
    this.resetAdapter();
    const node = normalizeSetup(setup);
    if (node) this.checkSetup(node);
    this.activeSetup = node;
    this.skipLayers = [...skipLayers];
  }

  private checkSetup(node: SetupNode): void {
    for (const n of flattenSetup(node)) {
      if (!this.adapters.has(n)) throw new NotFoundError(`No adapter with name "${n}" found. Make sure that an adapter with this name is loaded.`);
    }
    checkSetupSupport(
      node,
      (a) => [...this.entry(a).methods],
      this.info.modelType,
      this.definition.compositions,
    );
  }

  /** The active setup (null when none). */
  get activeAdapters(): SetupNode | null {
    return this.activeSetup;
  }

  /**
   * Runs `fn` with `setup` active and restores the previous setup afterwards, even when `fn`
   * throws (Python's `AdapterSetup` context manager).
   */
  withAdapterSetup<T>(setup: AdapterSetup | null, fn: () => T): T {
    const prev = this.activeSetup;
    const prevSkip = this.skipLayers;
    const node = normalizeSetup(setup);
    if (node) this.checkSetup(node);
    this.activeSetup = node;
    let restoreNow = true;
    try {
      const out = fn();
      if (out instanceof Promise) {
        restoreNow = false;
        return out.finally(() => {
          this.activeSetup = prev;
          this.skipLayers = prevSkip;
        }) as T;
      }
      return out;
    } finally {
      if (restoreNow) {
        this.activeSetup = prev;
        this.skipLayers = prevSkip;
      }
    }
  }

  // ---------------------------------------------------------------- training state

  /** Training mode (dropout on). */
  train(on = true): this {
    this.trainingMode = on;
    return this;
  }

  /** Eval mode. */
  eval(): this {
    return this.train(false);
  }

  /** True in training mode. */
  get training(): boolean {
    return this.trainingMode;
  }

  /** Freezes (or unfreezes) all base weights (Python `freeze_model`). */
  freezeModel(freeze = true): void {
    for (const v of this.weights.values()) v.trainable = !freeze;
  }

  /**
   * Python `train_adapter`: freezes the base model and every other adapter, makes the named
   * adapters trainable, activates them and switches to training mode.
   */
  trainAdapter(setup: AdapterSetup | readonly string[]): void {
    const node = normalizeSetup(setup);
    if (!node) throw new AdapterConfigError('trainAdapter needs at least one adapter name.');
    this.freezeModel(true);
    const names = new Set(flattenSetup(node));
    for (const [name, e] of this.adapters) {
      const frozen = frozenAdapterKeys(e);
      for (const [k, v] of adapterParams(e)) v.trainable = names.has(name) && !frozen.has(k);
    }
    for (const f of this.fusions.values()) for (const v of fusionParams(f).values()) v.trainable = false;
    this.setActiveAdapters(node);
    this.train(true);
  }

  /** Python `train_adapter_fusion`: trains the fusion layers of `setup` (optionally the adapters too). */
  trainAdapterFusion(setup: FuseBlock | AdapterSetup, opts: { unfreezeAdapters?: boolean } = {}): void {
    const node = normalizeSetup(setup);
    if (!node) throw new AdapterConfigError('trainAdapterFusion needs a Fuse setup.');
    this.freezeModel(true);
    const names = new Set(flattenSetup(node));
    for (const [name, e] of this.adapters) {
      const frozen = frozenAdapterKeys(e);
      for (const [k, v] of adapterParams(e)) v.trainable = !!opts.unfreezeAdapters && names.has(name) && !frozen.has(k);
    }
    const fuseNames = new Set<string>();
    const walk = (n: SetupNode): void => {
      if (typeof n === 'string') return;
      if (n.type === 'Fuse') fuseNames.add(fusionName(n));
      n.children.forEach(walk);
    };
    walk(node);
    for (const f of this.fusions.values()) for (const v of fusionParams(f).values()) v.trainable = fuseNames.has(f.name);
    this.setActiveAdapters(node);
    this.train(true);
  }

  /** All trainable variables by state-dict key (base weights under their HF names). */
  trainableVariables(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [k, v] of this.weights) if (v.trainable) out.set(k, v);
    for (const e of this.adapters.values()) for (const [k, v] of adapterParams(e)) if (v.trainable) out.set(k, v);
    for (const f of this.fusions.values()) for (const [k, v] of fusionParams(f)) if (v.trainable) out.set(k, v);
    for (const [k, v] of this.extraVariables()) if (v.trainable) out.set(k, v);
    return out;
  }

  /** Variables owned by subclasses (e.g. prediction heads). */
  protected extraVariables(): Map<string, tf.Variable> {
    return new Map();
  }

  // ---------------------------------------------------------------- merging

  /** Folds an adapter into the base weights (Python `merge_adapter`): LoRA `W += s·BA`, (IA)³ `W *= l`. */
  mergeAdapter(name: string): void {
    const e = this.entry(name);
    let mergedAny = false;
    for (const [id, placed] of e.modules) {
      if (placed.site.kind !== 'linear') continue;
      const m = placed.module as LinearModule;
      if (!m.merge) throw new AdaptersError(`Adapter "${name}" (method ${placed.method.name}) cannot be merged.`);
      const current = this.merged.get(id);
      if (current === name) continue;
      if (current) throw new AdaptersError(`${placed.site.path} already has a merged adapter ("${current}"). Reset it first.`);
      const site = placed.site as LinearSite;
      const w = this.weights.get(site.weightKey);
      if (!w) throw new NotFoundError(`Weight ${site.weightKey} of ${site.path} not found.`);
      this.mergedOriginal.set(id, tf.keep(w.clone()));
      const next = tf.tidy(() => m.merge!(w, site));
      w.assign(next);
      next.dispose();
      this.merged.set(id, name);
      mergedAny = true;
    }
    if (!mergedAny && ![...e.modules.values()].some((p) => p.site.kind === 'linear')) {
      throw new AdaptersError(`Adapter "${name}" has no mergeable (linear-site) modules.`);
    }
  }

  /**
   * Undoes merging (Python `reset_adapter`). Restores the exact original weights (bit-identical),
   * which also sidesteps Python's DoRA reset bug.
   */
  resetAdapter(): void {
    for (const id of [...this.merged.keys()]) this.resetSite(id);
  }

  private resetSite(id: string): void {
    const name = this.merged.get(id);
    if (name === undefined) return;
    const site = this.siteById.get(id) as LinearSite;
    const original = this.mergedOriginal.get(id)!;
    this.weights.get(site.weightKey)!.assign(original);
    original.dispose();
    this.mergedOriginal.delete(id);
    this.merged.delete(id);
  }

  /** siteId → merged adapter. */
  get mergedAdapters(): ReadonlyMap<string, string> {
    return this.merged;
  }

  // ---------------------------------------------------------------- forward

  /**
   * Runs the model with the active setup. Every tensor of `inputs` is passed by name
   * (`input_ids`, `attention_mask`, `token_type_ids`, …). The caller owns the returned tensors.
   */
  forward(inputs: Readonly<Record<string, tf.Tensor>>, opts: ForwardOptions = {}): ModelOutput {
    const setup = opts.setup === undefined ? this.activeSetup : normalizeSetup(opts.setup);
    if (opts.setup !== undefined && setup) this.checkSetup(setup);
    return tf.tidy(() => {
      const ctx = this.newContext(setup, opts);
      ctx.attentionMask = inputs.attention_mask ?? null;
      const hooks = createHooks(
        { modulesBySite: this.modulesBySite, fusionsBySite: this.fusionsBySite, merged: this.merged },
        ctx,
      );
      return this.definition.forward({
        inputs,
        weights: this.weights,
        config: this.config,
        hooks,
        outputHiddenStates: opts.outputHiddenStates ?? false,
      });
    });
  }

  /** Creates the per-pass context (exposed for subclasses such as flex-head models). */
  protected newContext(setup: SetupNode | null, opts: ForwardOptions): ForwardContext {
    const ctx = new ForwardContext({
      training: opts.training ?? this.trainingMode,
      setup,
      skipLayers: this.skipLayers,
      seed: opts.seed ?? 0,
      fixes: opts.fixes ?? this.compositionFixes,
    });
    if (opts.taskIds) ctx.taskIds = opts.taskIds;
    return ctx;
  }

  /** Frees every tensor owned by the model and its adapters. */
  dispose(): void {
    this.resetAdapter();
    for (const name of [...this.adapters.keys()]) this.deleteAdapter(name);
    for (const v of this.weights.values()) v.dispose();
    this.weights.clear();
  }

  /** Shared parameters of an adapter per method name. */
  sharedParameters(name: string): ReadonlyMap<string, SharedParams> {
    return this.entry(name).shared;
  }

  /**
   * The module adapter `name` placed at a site, if any (e.g. its invertible adapter at
   * `embed.out`, which language-modelling heads invert before the output projection).
   */
  adapterModule(name: string, point: Site['point'], layer: number): ModuleBase | undefined {
    return this.entry(name).modules.get(siteId(point, layer))?.module;
  }

  /** A site by point and layer. */
  site(point: Site['point'], layer: number): Site | undefined {
    return this.siteById.get(siteId(point, layer));
  }

  /** Unique id of this model instance (for variable names). */
  get id(): number {
    return this.uid;
  }
}

function disposeEntry(e: AdapterEntry): void {
  for (const p of e.modules.values()) for (const v of p.module.params.values()) if (!v.isDisposed) v.dispose();
  for (const s of e.shared.values()) for (const v of s.params.values()) if (!v.isDisposed) v.dispose();
}

function validateName(name: string): void {
  if (!name || /[.\s]/.test(name)) {
    throw new AdapterConfigError(`Invalid adapter name "${name}": must be non-empty and contain no dots or spaces.`, 'name');
  }
}

/** FNV-1a hash of a string (default per-adapter seed). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function defaultModelClass(info: ModelInfo): string {
  const archs = info.config.architectures;
  if (Array.isArray(archs) && typeof archs[0] === 'string') return archs[0];
  return `${info.modelType}Model`;
}
