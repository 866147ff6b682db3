import {
  type AttentionModule,
  type AttentionPadding,
  type AttentionSite,
  type AttentionState,
  type ForwardContext,
  type MethodInitContext,
  linearOutIn,
  namedVariable,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { linearDefault, normalValues } from './init';
import type { PrefixTuningOptions } from './options';
import { locationScope } from './layout';
import type { PrefixPool } from './pool';

/** Container of the per-layer gates in state-dict keys (`<site>.prefix_tuning.prefix_gates.<name>.weight`). */
export const PREFIX_GATES_CONTAINER = 'prefix_tuning.prefix_gates';

/**
 * The per-layer part of a prefix (Python `PrefixTuningLayer.compose_single`): takes this layer's
 * keys/values from the adapter's pool, optionally gates them, prepends them to the attention
 * keys/values `[B, H, T, D]` and extends the additive mask with zeros ("attend") for the prefix.
 */
export function createPrefixModule(
  site: AttentionSite,
  ctx: MethodInitContext,
  pool: PrefixPool,
  prefixId: number,
  o: PrefixTuningOptions,
  padding: AttentionPadding | undefined,
): AttentionModule {
  const params = new Map<string, tf.Variable>();
  let gate: [tf.Variable, tf.Variable] | null = null;
  if (o.useGating) {
    // Python: nn.Linear(hidden, 1 if shared_gating else 2) with weight ~ N(0, 0.02), default bias init.
    const outs = o.sharedGating ? 1 : 2;
    const key = `${site.path}.${PREFIX_GATES_CONTAINER}.${ctx.adapterName}`;
    const rng = ctx.rng.fork(key);
    gate = [
      namedVariable(tf.tensor(normalValues(rng, outs * site.hiddenSize, 0.02), [outs, site.hiddenSize]), `${key}.weight`),
      namedVariable(tf.tensor(linearDefault(rng, outs, site.hiddenSize), [outs]), `${key}.bias`),
    ];
    params.set('weight', gate[0]);
    params.set('bias', gate[1]);
  }
  return {
    params,
    ...(padding ? { padding } : {}),
    forward(state: AttentionState, fctx: ForwardContext, s: AttentionSite): AttentionState {
      const b = state.key.shape[0]!;
      let [pk, pv] = pool.states(locationScope(s), prefixId, b, fctx);
      if (gate) {
        // mean over the sequence of sigmoid(gate(hidden)) → [B, 1|2]; keys × column 0, values × last column.
        const g = tf.mean(tf.sigmoid(linearOutIn(state.hidden, gate[0], gate[1])), 1);
        fctx.storeGatingScore(ctx.adapterName, s.layer, s.location, g);
        const n = g.shape[1]!;
        const col = (i: number): tf.Tensor => tf.reshape(tf.slice(g, [0, i], [-1, 1]), [-1, 1, 1, 1]);
        pk = tf.mul(pk, col(0));
        pv = tf.mul(pv, col(n - 1));
      }
      const L = pk.shape[2]!;
      let mask = state.mask;
      if (mask) {
        // Python: 1 − ones (inverted masks) → 0 = attend for every prefix position.
        const shape = mask.shape.map((d, i) => (i === mask!.shape.length - 1 ? L : d));
        mask = tf.concat([tf.zeros(shape, mask.dtype), mask], -1);
      }
      return { key: tf.concat([pk, state.key], 2), value: tf.concat([pv, state.value], 2), mask, hidden: state.hidden };
    },
  };
}
