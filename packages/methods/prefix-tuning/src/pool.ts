import { type ForwardContext, Rng, type SharedParams, getActivation, linearOutIn, namedVariable } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { linearDefault, normalValues } from './init';
import { type PrefixLocationLayout, locationScope, rowSize } from './layout';
import type { PrefixTuningOptions } from './options';

/** The reparametrized form (Python `PrefixTuning`): `wte` → Linear → activation → Linear. */
interface MlpForm {
  readonly kind: 'mlp';
  readonly wte: tf.Variable;
  readonly w0: tf.Variable;
  readonly b0: tf.Variable;
  readonly w2: tf.Variable;
  readonly b2: tf.Variable;
}

/** The flat form (Python `FlatPrefixTuning`): one learned vector `control_trans`. */
interface FlatForm {
  readonly kind: 'flat';
  readonly controlTrans: tf.Variable;
}

/** One location's prefix module (Python `prefix_tunings[name][location]`). */
interface PoolLocation {
  readonly layout: PrefixLocationLayout;
  form: MlpForm | FlatForm;
}

/** Per-pass cached prefix states of one location: for each layer `[key, value]`, `[Bc, H, L, D]`. */
interface CachedStates {
  readonly batch: number;
  readonly layers: readonly (readonly [tf.Tensor, tf.Tensor])[];
}

/**
 * State-dict prefix of an adapter's pool (Python `prefix_tuning.prefix_tunings.<name>`, or
 * `<poolPath>.prefix_tuning.prefix_tunings.<name>` for a sub-model's pool).
 */
export function poolKeyPrefix(adapter: string, poolPath?: string): string {
  return `${poolPath ? `${poolPath}.` : ''}prefix_tuning.prefix_tunings.${adapter}`;
}

/**
 * The model-level prefix pool of one adapter (Python `PrefixTuningPool.prefix_tunings[name]`, a
 * `PrefixTuningGroup`): one prefix module per location key, each producing the keys/values of all
 * its layers. Its parameters are the adapter's shared parameters (`createShared`), so each tensor
 * exists once (Python also references the pool from every layer, hence its duplicated keys).
 */
export class PrefixPool {
  /** Full state-dict keys → variables; mutated in place by {@link eject}. */
  readonly params = new Map<string, tf.Variable>();
  private readonly locations = new Map<string, PoolLocation>();

  constructor(
    readonly adapterName: string,
    readonly options: PrefixTuningOptions,
    layouts: readonly PrefixLocationLayout[],
    rng: Rng,
  ) {
    try {
      for (const layout of layouts) {
        const key = `${poolKeyPrefix(adapterName, layout.poolPath)}.${layout.location}`;
        // Python calls `fix_seed(init_weights_seed)` in each prefix module's constructor.
        const r = options.initWeightsSeed !== null ? new Rng(options.initWeightsSeed) : rng.fork(key);
        const form = options.flat ? this.createFlat(key, layout, r) : this.createMlp(key, layout, r);
        this.locations.set(locationScope(layout), { layout, form });
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  private add(key: string, data: Float32Array, shape: number[], trainable = true): tf.Variable {
    const v = namedVariable(tf.tensor(data, shape, 'float32'), key, trainable);
    this.params.set(key, v);
    return v;
  }

  private createMlp(key: string, l: PrefixLocationLayout, rng: Rng): MlpForm {
    const o = this.options;
    const L = o.prefixLength;
    const n = rowSize(l);
    const wte = this.add(`${key}.wte.weight`, normalValues(rng, L * l.inputSize), [L, l.inputSize]);
    const w0 = this.add(`${key}.control_trans.0.weight`, linearDefault(rng, o.bottleneckSize * l.inputSize, l.inputSize), [o.bottleneckSize, l.inputSize]);
    const b0 = this.add(`${key}.control_trans.0.bias`, linearDefault(rng, o.bottleneckSize, l.inputSize), [o.bottleneckSize]);
    const w2 = this.add(`${key}.control_trans.2.weight`, linearDefault(rng, n * o.bottleneckSize, o.bottleneckSize), [n, o.bottleneckSize]);
    const b2 = this.add(`${key}.control_trans.2.bias`, linearDefault(rng, n, o.bottleneckSize), [n]);
    return { kind: 'mlp', wte, w0, b0, w2, b2 };
  }

  private createFlat(key: string, l: PrefixLocationLayout, rng: Rng): FlatForm {
    const size = this.options.prefixLength * rowSize(l);
    return { kind: 'flat', controlTrans: this.add(`${key}.control_trans`, normalValues(rng, size), [size]) };
  }

  /** Location keys of this pool (scoped by `poolPath` where the model has several pools), in creation order. */
  get locationKeys(): string[] {
    return [...this.locations.keys()];
  }

  /** Whether the location is in the flat form (after {@link eject} or with `flat: true`). */
  isFlat(location: string): boolean {
    return this.location(location).form.kind === 'flat';
  }

  private location(location: string): PoolLocation {
    const l = this.locations.get(location);
    if (!l) throw new Error(`Prefix "${this.adapterName}" has no ${location} prefix`);
    return l;
  }

  /** The unbatched prefix rows `[L, n_layers·2·H·D]` (Python `control_trans(wte(arange(L)))`). */
  private rows(l: PoolLocation): tf.Tensor {
    const L = this.options.prefixLength;
    const f = l.form;
    if (f.kind === 'flat') return tf.reshape(f.controlTrans, [L, rowSize(l.layout)]);
    const act = getActivation(this.options.nonLinearity);
    return linearOutIn(act(linearOutIn(f.wte, f.w0, f.b0)), f.w2, f.b2);
  }

  /** Computes the states of every layer of a location for batch `bc` (dropout applied per row). */
  private compute(l: PoolLocation, bc: number, ctx: ForwardContext): CachedStates {
    const { nLayers, nHeads, headDim } = l.layout;
    const L = this.options.prefixLength;
    let x = tf.reshape(this.rows(l), [1, L, nLayers * 2, nHeads, headDim]);
    if (bc > 1) x = tf.tile(x, [bc, 1, 1, 1, 1]);
    x = ctx.dropout(x, this.options.dropout);
    // Python: permute(2, 0, 3, 1, 4).split(2) → per layer [2, B, H, L, D].
    const perIndex = tf.unstack(tf.transpose(x, [2, 0, 3, 1, 4]));
    const layers: (readonly [tf.Tensor, tf.Tensor])[] = [];
    for (let i = 0; i < nLayers; i++) layers.push([perIndex[2 * i]!, perIndex[2 * i + 1]!]);
    return { batch: bc, layers };
  }

  /**
   * Keys and values `[batch, H, L, D]` of layer `prefixId` at `location`. They are computed once per
   * forward pass and location (cached in `ctx.cache`, as Python computes `context.prefix_states` once):
   * without active dropout every row is identical, so one row is computed and tiled; with dropout the
   * input batch is computed and sliced (BatchSplit) or tiled (Parallel, Python
   * `adjust_tensors_for_parallel`).
   */
  states(location: string, prefixId: number, batch: number, ctx: ForwardContext): [tf.Tensor, tf.Tensor] {
    const l = this.location(location);
    const cacheKey = `prefix_tuning/${this.adapterName}/${location}`;
    let c = ctx.cache.get(cacheKey) as CachedStates | undefined;
    const dropout = ctx.training && this.options.dropout > 0;
    if (!c) {
      const base = ctx.adaptersParallelized ? ctx.originalBatchSize : (ctx.attentionMask?.shape[0] ?? batch);
      c = this.compute(l, dropout ? base : 1, ctx);
      ctx.cache.set(cacheKey, c);
    }
    if (batch > c.batch && batch % c.batch !== 0) c = this.compute(l, batch, ctx);
    const [k, v] = c.layers[prefixId]!;
    const fit = (t: tf.Tensor): tf.Tensor => {
      if (batch === c!.batch) return t;
      if (batch < c!.batch) return tf.slice(t, [0, 0, 0, 0], [batch, -1, -1, -1]);
      return tf.tile(t, [batch / c!.batch, 1, 1, 1]);
    };
    return [fit(k), fit(v)];
  }

  /**
   * Python `PrefixTuningGroup.eject`: replaces every reparametrized location by a flat prefix whose
   * `control_trans` holds the MLP output (computed once, without dropout). Frees the MLP variables.
   */
  eject(): void {
    for (const l of this.locations.values()) {
      const f = l.form;
      if (f.kind !== 'mlp') continue;
      const key = `${poolKeyPrefix(this.adapterName, l.layout.poolPath)}.${l.layout.location}`;
      const flat = tf.tidy(() => tf.reshape(this.rows(l), [-1]));
      const controlTrans = namedVariable(flat, `${key}.control_trans`, f.wte.trainable);
      for (const [k, v] of [...this.params]) {
        if (k.startsWith(`${key}.`)) {
          this.params.delete(k);
          v.dispose();
        }
      }
      this.params.set(`${key}.control_trans`, controlTrans);
      l.form = { kind: 'flat', controlTrans };
    }
  }

  /** Frees every variable of the pool. */
  dispose(): void {
    for (const v of this.params.values()) if (!v.isDisposed) v.dispose();
    this.params.clear();
  }
}

/** The shared parameters a prefix-tuning adapter registers (the pool's variables plus the pool). */
export interface PrefixShared extends SharedParams {
  readonly pool: PrefixPool;
  /** `siteId` of each attention site with a prefix → its `prefix_id` (layer index within its location). */
  readonly ids: ReadonlyMap<string, number>;
}

/** Whether shared parameters come from this package. */
export function isPrefixShared(s: SharedParams | undefined): s is PrefixShared {
  return !!s && (s as Partial<PrefixShared>).pool instanceof PrefixPool;
}
