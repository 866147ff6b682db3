import {
  AdapterConfigError,
  type ForwardContext,
  type LinearModule,
  type LinearSite,
  type MethodInitContext,
  configValue,
  namedVariable,
} from '@adapters/core';
import { configNumber, createGate, gateValue, normal } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';

/**
 * An (IA)³ module (Python `IA3`): a learned vector `l = lora_B ∈ R^{out×1}`; forward
 * `h ← (h ⊙ l or l) · alpha` (or · gate) and the layer output is rescaled: `y ← y ⊙ h`.
 * Note (as in Python) the bias is scaled too.
 */
export function createIa3Module(site: LinearSite, ctx: MethodInitContext): LinearModule {
  const c = ctx.config;
  const r = configNumber(c, 'r');
  if (r !== 1) throw new AdapterConfigError("Can only use composition_mode='scale' when r == 1.", 'r');
  if (configNumber(c, 'dropout') > 0) throw new AdapterConfigError('IA3 module does not support dropout.', 'dropout');
  if (configValue(c, 'use_dora')) throw new AdapterConfigError('IA3 module does not support DoRA.', 'use_dora');
  const alpha = configNumber(c, 'alpha');
  const init = String(configValue(c, 'init_weights'));
  const key = `${site.path}.loras.${ctx.adapterName}`;
  const rng = ctx.rng.fork(key);
  let values: Float32Array;
  if (init === 'ia3') values = new Float32Array(site.outFeatures).fill(1);
  else if (init === 'lora') values = new Float32Array(site.outFeatures);
  else if (init === 'bert') values = normal(rng, site.outFeatures, 0.02);
  else throw new AdapterConfigError(`Unknown init_weights type: ${init}`, 'init_weights');
  const loraB = namedVariable(tf.tensor(values, [site.outFeatures, 1]), `${key}.lora_B`);
  const params = new Map<string, tf.Variable>([['lora_B', loraB]]);
  let gate: [tf.Variable, tf.Variable] | null = null;
  if (configValue(c, 'use_gating')) {
    gate = createGate(ctx, site.inFeatures, 1, key);
    params.set('gate.weight', gate[0]);
    params.set('gate.bias', gate[1]);
  }
  const vector = (): tf.Tensor => tf.reshape(loraB, [site.outFeatures]);
  return {
    params,
    forward(hidden: tf.Tensor | null, input: tf.Tensor, fctx: ForwardContext) {
      const rank = input.shape.length;
      const vshape = [...new Array<number>(rank - 1).fill(1), site.outFeatures];
      const v = tf.reshape(loraB, vshape);
      // Python repeats the vector over the batch: [B, 1, out].
      let h = hidden ? tf.mul(hidden, v) : tf.tile(v, [input.shape[0]!, ...new Array<number>(rank - 1).fill(1)]);
      if (gate) {
        const g = gateValue(input, gate[0], gate[1]);
        fctx.storeGatingScore(ctx.adapterName, site.layer, 'selfattn_lora', g);
        h = tf.mul(h, g);
      } else h = tf.mul(h, alpha);
      return h;
    },
    combine: (output, hidden) => tf.mul(output, hidden),
    merge(weight: tf.Tensor, s: LinearSite) {
      if (gate) throw new AdapterConfigError('Cannot merge LoRA layer with gating.', 'use_gating');
      const scale = tf.mul(vector(), alpha);
      // Python scales only the weight rows (out dimension), not the bias.
      return s.weightLayout === 'in_out' ? tf.mul(weight, scale) : tf.mul(weight, tf.reshape(scale, [-1, 1]));
    },
    unmerge(weight: tf.Tensor, s: LinearSite) {
      const scale = tf.mul(vector(), alpha);
      return s.weightLayout === 'in_out' ? tf.div(weight, scale) : tf.div(weight, tf.reshape(scale, [-1, 1]));
    },
  };
}
