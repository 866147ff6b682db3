import {
  AdapterConfigError,
  type ForwardContext,
  type LinearModule,
  type LinearSite,
  type MethodInitContext,
  configValue,
  namedVariable,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { kaimingUniform, normal } from './init';
import { num } from './targets';

/** The gate of a gated LoRA/(IA)³ module: `mean_seq(sigmoid(x·Wᵀ + b))` → `[B, 1, heads]`. */
export function gateValue(input: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const shape = input.shape;
  const x2 = tf.reshape(input, [-1, shape[shape.length - 1]!]);
  const g = tf.sigmoid(tf.add(tf.matMul(x2, w, false, true), b));
  const g3 = tf.reshape(g, [shape[0]!, -1, w.shape[0]!]);
  return tf.expandDims(tf.mean(g3, 1), 1);
}

/** Creates the gate parameters (`gate.weight` N(0, 0.02), `gate.bias` zeros — PyTorch Linear bias init is replaced by the fixture/loader). */
export function createGate(ctx: MethodInitContext, inFeatures: number, heads: number, key: string): [tf.Variable, tf.Variable] {
  const rng = ctx.rng.fork(`${key}/gate`);
  const w = namedVariable(tf.tensor(normal(rng, heads * inFeatures, 0.02), [heads, inFeatures]), `${key}.gate.weight`);
  const bound = 1 / Math.sqrt(inFeatures);
  const b = namedVariable(tf.tensor(rng.fill(heads, () => rng.uniform(-bound, bound)), [heads]), `${key}.gate.bias`);
  return [w, b];
}

/**
 * A LoRA module (Python `LoRA`): `A ∈ R^{r×in}`, `B ∈ R^{out×r}`; forward
 * `h ← dropout(h ?? x)·Aᵀ·Bᵀ · (alpha/r)` (or · gate); combined by addition.
 */
export function createLoraModule(site: LinearSite, ctx: MethodInitContext): LinearModule {
  const c = ctx.config;
  const r = num(c, 'r');
  const alpha = num(c, 'alpha');
  if (!(r > 0) || !Number.isInteger(r)) throw new AdapterConfigError(`r must be a positive integer, got ${r}`, 'r');
  const dropout = num(c, 'dropout');
  const useGating = !!configValue(c, 'use_gating');
  const init = String(configValue(c, 'init_weights'));
  const key = `${site.path}.loras.${ctx.adapterName}`;
  const rng = ctx.rng.fork(key);
  const nA = r * site.inFeatures;
  const nB = site.outFeatures * r;
  let a: Float32Array;
  let b: Float32Array;
  switch (init) {
    case 'lora':
      a = kaimingUniform(rng, nA, site.inFeatures);
      b = new Float32Array(nB);
      break;
    case 'bert':
      a = normal(rng, nA, 0.02);
      b = normal(rng, nB, 0.02);
      break;
    case 'ia3':
      a = new Float32Array(nA).fill(1);
      b = new Float32Array(nB).fill(1);
      break;
    case 'vera':
      a = kaimingUniform(rng, nA, site.inFeatures, 0);
      b = kaimingUniform(rng, nB, r, 0);
      break;
    default:
      throw new AdapterConfigError(`Unknown init_weights type: ${init}`, 'init_weights');
  }
  const loraA = namedVariable(tf.tensor(a, [r, site.inFeatures]), `${key}.lora_A`);
  const loraB = namedVariable(tf.tensor(b, [site.outFeatures, r]), `${key}.lora_B`);
  const params = new Map<string, tf.Variable>([
    ['lora_A', loraA],
    ['lora_B', loraB],
  ]);
  let gate: [tf.Variable, tf.Variable] | null = null;
  if (useGating) {
    gate = createGate(ctx, site.inFeatures, 1, key);
    params.set('gate.weight', gate[0]);
    params.set('gate.bias', gate[1]);
  }
  const scaling = alpha / r;
  const deltaInOut = (): tf.Tensor => tf.mul(tf.matMul(loraA, loraB, true, true), scaling); // (B·A)ᵀ·s  [in, out]
  return {
    params,
    forward(hidden: tf.Tensor | null, input: tf.Tensor, fctx: ForwardContext) {
      let h = fctx.dropout(hidden ?? input, dropout);
      const shape = h.shape;
      const h2 = tf.reshape(h, [-1, shape[shape.length - 1]!]);
      h = tf.matMul(tf.matMul(h2, loraA, false, true), loraB, false, true);
      h = tf.reshape(h, [...shape.slice(0, -1), site.outFeatures]);
      if (gate) {
        const g = gateValue(input, gate[0], gate[1]);
        fctx.storeGatingScore(ctx.adapterName, site.layer, 'selfattn_lora', g);
        return tf.mul(h, g);
      }
      return tf.mul(h, scaling);
    },
    combine: (output, hidden) => tf.add(output, hidden),
    merge(weight: tf.Tensor, s: LinearSite) {
      if (gate) throw new AdapterConfigError('Cannot merge LoRA layer with gating.', 'use_gating');
      const d = deltaInOut();
      return tf.add(weight, s.weightLayout === 'in_out' ? d : tf.transpose(d));
    },
    unmerge(weight: tf.Tensor, s: LinearSite) {
      const d = deltaInOut();
      return tf.sub(weight, s.weightLayout === 'in_out' ? d : tf.transpose(d));
    },
  };
}
