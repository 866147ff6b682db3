import {
  type ForwardContext,
  type FuseProvider,
  type FusionModule,
  type ModelInfo,
  type ResidualSite,
  type Rng,
  linearOutIn,
  namedVariable,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type FusionOptions, fusionOptions } from './fusion-options';
import { normalInit } from './init';
import { defaultLinearInit } from './projection';

/** Python's value init with `value_initialized`: identity plus 1e-6 everywhere off the diagonal. */
function nearIdentity(n: number): Float32Array {
  const out = new Float32Array(n * n).fill(0.000001);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/** A fusion layer whose temperature can be inspected (Python `BertFusion.T`). */
export interface BertFusionModule extends FusionModule {
  /** Current softmax temperature (50 → 1 in steps of 0.05 per forward with `temperature`, else 1). */
  readonly temperature: number;
  readonly options: FusionOptions;
}

/**
 * Python `BertFusion`: attention over the adapters' (scaled) up-projections with the adapter
 * input as query. Parameters `query.{weight,bias}`, `key.{weight,bias}`, `value.weight` (no bias),
 * and the unused `dense.{weight,bias}` when query, key and value are all off (as Python).
 */
export function createBertFusion(
  site: ResidualSite,
  fusionConfig: Readonly<Record<string, unknown>>,
  rng: Rng,
  model?: ModelInfo,
): BertFusionModule {
  const o = fusionOptions(fusionConfig, model);
  const h = site.hiddenSize;
  const key = `${site.path}.adapter_fusion_layer`;
  const params = new Map<string, tf.Variable>();
  const bertLinear = (name: string, bias: boolean): [tf.Variable, tf.Variable | undefined] => {
    const w = namedVariable(tf.tensor2d(normalInit(rng.fork(name), h * h, 0.02), [h, h]), `${key}.${name}.weight`);
    params.set(`${name}.weight`, w);
    if (!bias) return [w, undefined];
    const b = namedVariable(tf.zeros([h]), `${key}.${name}.bias`);
    params.set(`${name}.bias`, b);
    return [w, b];
  };
  if (!o.query && !o.key && !o.value) {
    const init = defaultLinearInit(rng.fork('dense'), h, 1);
    params.set('dense.weight', namedVariable(tf.tensor2d(init.weight, [1, h]), `${key}.dense.weight`));
    params.set('dense.bias', namedVariable(tf.tensor1d(init.bias), `${key}.dense.bias`));
  }
  const query = o.query ? bertLinear('query', true) : null;
  const keyL = o.key ? bertLinear('key', true) : null;
  let value: tf.Variable | null = null;
  if (o.value) {
    value = bertLinear('value', false)[0];
    if (o.valueInitialized) {
      const t = tf.tensor2d(nearIdentity(h), [h, h]);
      value.assign(t);
      t.dispose();
    }
  }
  // Python: T = 50.0 with temperature, else 1.0; reduction = T / 1000; after each forward T = max(T − reduction, 1).
  let temperature = o.temperature ? 50.0 : 1.0;
  const reduction = temperature / 1000.0;

  return {
    params,
    options: o,
    queryBeforeLn: o.queryBeforeLn,
    get temperature() {
      return temperature;
    },
    forward(q: tf.Tensor, ups: tf.Tensor, residual: tf.Tensor, ctx: ForwardContext): tf.Tensor {
      const [b, t, n, hid] = ups.shape as [number, number, number, number];
      // Python adds the residual to `value` in place; `key` is the same tensor, so it sees it too.
      const v0 = o.residualBefore ? tf.add(ups, tf.expandDims(residual, 2)) : ups;
      const k0 = v0;
      const ql = query ? linearOutIn(q, query[0], query[1]) : q;
      const kl = keyL ? linearOutIn(k0, keyL[0], keyL[1]) : k0;
      const vl = value && o.valueBeforeSoftmax ? linearOutIn(v0, value) : v0;
      const q3 = tf.reshape(ql, [b * t, 1, hid]);
      let scores = tf.matMul(q3, tf.reshape(kl, [b * t, n, hid]), false, true); // [B·T, 1, N]
      scores = ctx.dropout(scores, o.dropoutProb);
      const probs = tf.softmax(tf.div(scores, temperature));
      temperature = Math.max(temperature - reduction, 1.0);
      let context = tf.reshape(tf.matMul(probs, tf.reshape(vl, [b * t, n, hid])), [b, t, hid]);
      if (value && !o.valueBeforeSoftmax) context = linearOutIn(context, value);
      if (!o.residualBefore) context = tf.add(context, residual);
      return context;
    },
  };
}

/** The bottleneck method's AdapterFusion provider (`FuseProvider`). */
export const bertFusionProvider: FuseProvider = {
  createFusionModule(site, fusionConfig, _adapterNames, rng, model) {
    return createBertFusion(site, fusionConfig, rng, model);
  },
};
