import {
  AdaptersError,
  type ForwardContext,
  type LayerNormFn,
  type MethodInitContext,
  type ResidualFusionOptions,
  type ResidualModule,
  type ResidualPre,
  type ResidualSite,
  Rng,
  layerNorm,
  linearOutIn,
  namedVariable,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { bottleneckActivation } from './activations';
import { normalInit } from './init';
import { type BottleneckOptions, bottleneckOptions } from './options';
import { type Projection, type ProjectionBuilder, defaultLinearInit, linearProjection } from './projection';
import { locationKeyOf } from './targets';

/** PyTorch `nn.LayerNorm` default epsilon (the adapter's own LayerNorms). */
const ADAPTER_LN_EPS = 1e-5;

/** Options of {@link createBottleneckModule}: pluggable projections (Compacter passes PHM builders). */
export interface BottleneckModuleOptions {
  /** Builds the down projection (default {@link linearProjection}). */
  readonly down?: ProjectionBuilder;
  /** Builds the up projection (default {@link linearProjection}). */
  readonly up?: ProjectionBuilder;
  /** Pre-computed options (default: read from `ctx.config` for `site`). */
  readonly options?: BottleneckOptions;
}

interface Parts {
  readonly o: BottleneckOptions;
  readonly down: Projection;
  readonly up: Projection;
  readonly lnBefore: [tf.Variable, tf.Variable] | null;
  readonly lnAfter: [tf.Variable, tf.Variable] | null;
  readonly scaling: tf.Variable | null;
  readonly gate: [tf.Variable, tf.Variable] | null;
}

function layerNormParams(key: string, size: number): [tf.Variable, tf.Variable] {
  return [namedVariable(tf.ones([size]), `${key}.weight`), namedVariable(tf.zeros([size]), `${key}.bias`)];
}

/** Creates every parameter of the module; disposes what was created if a builder throws. */
function createParts(site: ResidualSite, ctx: MethodInitContext, o: BottleneckOptions, opts: BottleneckModuleOptions): Parts {
  const key = `${site.path}.adapters.${ctx.adapterName}`;
  // Python calls `fix_seed(init_weights_seed)` before initialising each module: same seed → same weights.
  const rng = o.initWeightsSeed !== null ? new Rng(o.initWeightsSeed) : ctx.rng.fork(key);
  const created: tf.Variable[] = [];
  const track = <T extends tf.Variable[]>(...vs: T): T => {
    created.push(...vs);
    return vs;
  };
  try {
    const lnBefore = o.lnBefore ? (track(...layerNormParams(`${key}.adapter_norm_before`, o.inputSize)) as [tf.Variable, tf.Variable]) : null;
    const downIdx = o.lnBefore ? 1 : 0;
    const common = { init: o.initWeights, options: o, site, ctx };
    const down = (opts.down ?? linearProjection)({
      ...common,
      role: 'down',
      inFeatures: o.inputSize,
      outFeatures: o.downSample,
      rng: rng.fork('down'),
      key: `${key}.adapter_down.${downIdx}`,
    });
    track(...down.params.values());
    const up = (opts.up ?? linearProjection)({
      ...common,
      role: 'up',
      inFeatures: o.downSample,
      outFeatures: o.inputSize,
      rng: rng.fork('up'),
      key: `${key}.adapter_up`,
    });
    track(...up.params.values());
    let scaling: tf.Variable | null = null;
    if (o.scaling === 'learned') scaling = track(namedVariable(tf.ones([1]), `${key}.scaling`))[0];
    else if (o.scaling === 'channel') scaling = track(namedVariable(tf.ones([o.inputSize]), `${key}.scaling`))[0];
    const lnAfter = o.lnAfter ? (track(...layerNormParams(`${key}.adapter_norm_after`, o.inputSize)) as [tf.Variable, tf.Variable]) : null;
    let gate: [tf.Variable, tf.Variable] | null = null;
    if (o.useGating) {
      const grng = rng.fork('gate');
      // `bert` and `mam_adapter` re-initialise the gate with init_bert_weights; `houlsby` keeps nn.Linear's default.
      const init =
        o.initWeights === 'houlsby'
          ? defaultLinearInit(grng, o.inputSize, 1)
          : { weight: normalInit(grng, o.inputSize, 0.02), bias: new Float32Array(1) };
      gate = track(
        namedVariable(tf.tensor2d(init.weight, [1, o.inputSize]), `${key}.gate.weight`),
        namedVariable(tf.tensor1d(init.bias), `${key}.gate.bias`),
      ) as [tf.Variable, tf.Variable];
    }
    return { o, down, up, lnBefore, lnAfter, scaling, gate };
  } catch (e) {
    for (const v of created) if (!v.isDisposed) v.dispose();
    throw e;
  }
}

/**
 * Local parameter names in Python's state-dict order. Python registers the input LayerNorm both as
 * `adapter_norm_before` and as element 0 of the `adapter_down` Sequential, so with `ln_before` it
 * appears under BOTH names (one variable) and the down Linear moves to `adapter_down.1`.
 */
function localParams(p: Parts): { params: Map<string, tf.Variable>; frozen: Set<string> } {
  const params = new Map<string, tf.Variable>();
  const frozen = new Set<string>();
  if (p.scaling) params.set('scaling', p.scaling);
  if (p.lnBefore) {
    params.set('adapter_norm_before.weight', p.lnBefore[0]);
    params.set('adapter_norm_before.bias', p.lnBefore[1]);
    params.set('adapter_down.0.weight', p.lnBefore[0]);
    params.set('adapter_down.0.bias', p.lnBefore[1]);
  }
  const downPrefix = `adapter_down.${p.lnBefore ? 1 : 0}`;
  for (const [k, v] of p.down.params) params.set(`${downPrefix}.${k}`, v);
  for (const k of p.down.frozen ?? []) frozen.add(`${downPrefix}.${k}`);
  for (const [k, v] of p.up.params) params.set(`adapter_up.${k}`, v);
  for (const k of p.up.frozen ?? []) frozen.add(`adapter_up.${k}`);
  if (p.lnAfter) {
    params.set('adapter_norm_after.weight', p.lnAfter[0]);
    params.set('adapter_norm_after.bias', p.lnAfter[1]);
  }
  if (p.gate) {
    params.set('gate.weight', p.gate[0]);
    params.set('gate.bias', p.gate[1]);
  }
  return { params, frozen };
}

/** torchvision `StochasticDepth(p, mode="row")`: per-row Bernoulli(1−p)/(1−p) in training, identity otherwise. */
function stochasticDepth(x: tf.Tensor, p: number, ctx: ForwardContext): tf.Tensor {
  if (!ctx.training || p <= 0) return x;
  const shape = x.shape.map((d, i) => (i === 0 ? d : 1));
  if (p >= 1) return tf.mul(x, tf.zeros(shape));
  return tf.mul(x, ctx.dropout(tf.ones(shape), p));
}

/**
 * A bottleneck adapter module at a residual site: Python `Adapter` (sequential) or, with
 * `is_parallel`, `ParallelAdapter`. The projections are pluggable so Compacter can reuse it.
 */
export function createBottleneckModule(site: ResidualSite, ctx: MethodInitContext, opts: BottleneckModuleOptions = {}): ResidualModule {
  const o = opts.options ?? bottleneckOptions(ctx.config, site.layer, site.hiddenSize);
  const parts = createParts(site, ctx, o, opts);
  const { params, frozen } = localParams(parts);
  const act = bottleneckActivation(o.nonLinearity);
  const location = locationKeyOf(site);

  const bottleneck = (x: tf.Tensor, fctx: ForwardContext, dropPath: boolean): { up: tf.Tensor; output: tf.Tensor } => {
    let h = x;
    if (parts.lnBefore) h = layerNorm(h, parts.lnBefore[0], parts.lnBefore[1], ADAPTER_LN_EPS);
    const down = act(parts.down.apply(h));
    let up = parts.up.apply(down);
    if (dropPath) up = stochasticDepth(up, o.stochasticDepth, fctx);
    if (parts.scaling) up = tf.mul(up, parts.scaling);
    else if (o.scaling !== 1) up = tf.mul(up, o.scaling as number);
    let output = fctx.dropout(up, o.dropout);
    if (parts.gate) {
      // gate = mean_seq(sigmoid(x·Wᵀ + b)) → [B, 1, 1]
      const g = tf.expandDims(tf.mean(tf.sigmoid(linearOutIn(x, parts.gate[0], parts.gate[1])), 1), -1);
      fctx.storeGatingScore(ctx.adapterName, site.layer, location, tf.reshape(g, [g.shape[0]!]));
      output = tf.mul(output, g);
    }
    return { up, output };
  };

  const lnAfter = (t: tf.Tensor): tf.Tensor => (parts.lnAfter ? layerNorm(t, parts.lnAfter[0], parts.lnAfter[1], ADAPTER_LN_EPS) : t);

  /** Python `post_forward`'s `original_ln_after` step. */
  const originalLnAfter = (h: tf.Tensor, input: tf.Tensor | null, ln: LayerNormFn | null): tf.Tensor => {
    if (!o.originalLnAfter) return h;
    if (ln) return ln(input ? tf.add(h, input) : h);
    return input ? tf.add(h, input) : h;
  };

  const base = { params, frozen: frozen.size > 0 ? frozen : undefined };

  if (o.isParallel) {
    return {
      ...base,
      preForward(hidden, input): ResidualPre {
        if (!input) throw new AdaptersError(`Parallel bottleneck adapter at ${site.path} needs the sub-layer residual input.`);
        // Python ParallelAdapter.pre_forward: (input_tensor, query = input_tensor, residual = input_tensor)
        return { hidden: input, query: input, residual: input };
      },
      forward(hidden, residual, fctx) {
        void residual; // the parallel adapter adds its residual in post_forward
        const { up, output } = bottleneck(hidden, fctx, false); // Python's ParallelAdapter.forward has no DropPath
        return { output: lnAfter(output), up };
      },
      postForward(hidden, inputHidden, input, ln) {
        return originalLnAfter(tf.add(hidden, inputHidden), input, ln);
      },
    };
  }

  return {
    ...base,
    preForward(hidden, input, ln, _fctx, fusion?: ResidualFusionOptions): ResidualPre {
      let residual: tf.Tensor | undefined;
      let query: tf.Tensor | undefined;
      if (o.residualBeforeLn === true) residual = hidden;
      if (fusion?.queryBeforeLn) query = hidden;
      let h = hidden;
      if (o.originalLnBefore) {
        if (ln) {
          h = input ? tf.add(h, input) : h;
          if (o.residualBeforeLn === 'post_add') residual = h;
          h = ln(h);
        } else if (input) {
          h = tf.add(h, input);
        }
      }
      if (o.residualBeforeLn === false) residual = h;
      if (fusion && !fusion.queryBeforeLn) query = h;
      if (!residual) {
        // Python leaves `residual` unbound here (UnboundLocalError).
        throw new AdaptersError(
          `residual_before_ln="post_add" needs original_ln_before and a model LayerNorm at ${site.path}; Python fails here too.`,
        );
      }
      return { hidden: h, query: query ?? h, residual };
    },
    forward(hidden, residual, fctx) {
      const { up, output: out } = bottleneck(hidden, fctx, true);
      let output = out;
      if (o.adapterResidualBeforeLn) output = tf.add(output, residual);
      output = lnAfter(output);
      if (!o.adapterResidualBeforeLn) output = tf.add(output, residual);
      return { output, up };
    },
    postForward(hidden, _inputHidden, input, ln) {
      return originalLnAfter(hidden, input, ln);
    },
  };
}
