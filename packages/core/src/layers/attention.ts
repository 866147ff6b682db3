import * as tf from '@tensorflow/tfjs-core';
import type { BlockType, SetupNode } from '../composition/blocks';
import type { AttentionModule, AttentionPadding, AttentionState } from '../define-method';
import type { ForwardContext } from '../forward-context';
import type { AttentionSite } from '../hook-points';
import { type ComposableOps, CompositionEngine, batchOps } from './compose';

/**
 * The attention-site layer (Python `PrefixTuningLayer`): prefix modules prepend keys/values
 * (Stack: later adapters' prefixes go in front of earlier ones) and extend the mask.
 */
export function runAttentionSite(
  site: AttentionSite,
  modules: ReadonlyMap<string, AttentionModule>,
  setup: SetupNode,
  ctx: ForwardContext,
  state: AttentionState,
  supported: readonly BlockType[],
): AttentionState {
  type S = AttentionState;
  const sliceOpt = (t: tf.Tensor | null, a: number, b: number): tf.Tensor | null => (t ? batchOps.slice(t, a, b) : null);
  const ops: ComposableOps<S> = {
    label: `attention site ${site.point}@${site.layer} (${site.path})`,
    supported,
    allowMultiParallelize: false,
    // A Parallel child without a prefix here keeps its keys; padAndConcat pads them (as Python).
    parallelPassThrough: true,
    batchSize: (s) => s.key.shape[0]!,
    vslice: (s, a, b) => ({
      key: batchOps.slice(s.key, a, b),
      value: batchOps.slice(s.value, a, b),
      mask: sliceOpt(s.mask, a, b),
      hidden: batchOps.slice(s.hidden, a, b),
    }),
    gatherRows: (s, idx) => ({
      key: batchOps.gather(s.key, idx),
      value: batchOps.gather(s.value, idx),
      mask: s.mask ? batchOps.gather(s.mask, idx) : null,
      hidden: batchOps.gather(s.hidden, idx),
    }),
    padAndConcat: (states) => padAndConcatPrefixStates(states, [...modules.values()].find((m) => m.padding)?.padding),
    repeat: (s, n) => ({
      key: batchOps.repeat(s.key, n),
      value: batchOps.repeat(s.value, n),
      mask: s.mask ? batchOps.repeat(s.mask, n) : null,
      hidden: batchOps.repeat(s.hidden, n),
    }),
    mean: () => {
      throw new Error('Average is not supported by prefix tuning');
    },
    preBlock: (_s, s) => s,
    composeSingle: (name, s) => modules.get(name)!.forward(s, ctx, site),
  };
  return new CompositionEngine(ops, new Set(modules.keys()), ctx).compose(setup, state);
}

/**
 * Concatenates children states along the batch, left-padding shorter key/value sequences with
 * zeros and their masks with "masked" entries (Python `PrefixTuningLayer.pad_and_concat`). Masks
 * here are additive (0 = attend, large negative = masked) with the key axis last. A module's
 * {@link AttentionPadding} overrides both values (prefix tuning uses it to reproduce Python, which
 * pads keys/values with `pad_token_id` and the additive mask with `1.0`).
 */
function padAndConcatPrefixStates(states: AttentionState[], padding?: AttentionPadding): AttentionState {
  const maxLen = Math.max(...states.map((s) => s.key.shape[2]!));
  const padded = states.map((s) => {
    const pad = maxLen - s.key.shape[2]!;
    if (pad === 0) return s;
    const padKV = (t: tf.Tensor): tf.Tensor => tf.pad(t, [[0, 0], [0, 0], [pad, 0], [0, 0]], padding?.keyValue ?? 0);
    let mask = s.mask;
    if (mask) {
      const widths = mask.shape.map((_, i) => (i === mask!.shape.length - 1 ? ([pad, 0] as [number, number]) : ([0, 0] as [number, number])));
      mask = tf.pad(mask, widths, padding?.mask ?? -1e9);
    }
    return { ...s, key: padKV(s.key), value: padKV(s.value), mask };
  });
  return {
    key: tf.concat(padded.map((s) => s.key), 0),
    value: tf.concat(padded.map((s) => s.value), 0),
    mask: padded[0]!.mask ? tf.concat(padded.map((s) => s.mask!), 0) : null,
    hidden: tf.concat(padded.map((s) => s.hidden), 0),
  };
}
