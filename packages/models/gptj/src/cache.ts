import type * as tf from '@tensorflow/tfjs-core';

/**
 * The KV-cache convention shared by the decoder packages: inputs `past_key_values.<layer>.key` /
 * `.value` `[B, heads, T_past, headDim]`, outputs `present_key_values.<layer>.key` / `.value`
 * (past ++ new, before any prefix-tuning prefix) whenever the scalar input `use_cache` is non-zero
 * or a past is given.
 */
export interface LayerCache {
  readonly key: tf.Tensor;
  readonly value: tf.Tensor;
}

/** Input name of a past key/value tensor. */
export const pastKey = (layer: number, kind: 'key' | 'value'): string => `past_key_values.${layer}.${kind}`;
/** Output name of a present key/value tensor. */
export const presentKey = (layer: number, kind: 'key' | 'value'): string => `present_key_values.${layer}.${kind}`;

/** Reads the past of every layer (all or none must be given). */
export function readPast(inputs: Readonly<Record<string, tf.Tensor>>, layers: number): (LayerCache | null)[] {
  const out: (LayerCache | null)[] = [];
  let given = 0;
  for (let i = 0; i < layers; i++) {
    const key = inputs[pastKey(i, 'key')];
    const value = inputs[pastKey(i, 'value')];
    if (!key !== !value) throw new Error(`${pastKey(i, key ? 'value' : 'key')} is missing`);
    if (key && value) {
      if (key.rank !== 4 || value.rank !== 4) throw new Error(`${pastKey(i, 'key')}: expected [B, heads, T_past, head_dim]`);
      given++;
      out.push({ key, value });
    } else out.push(null);
  }
  if (given !== 0 && given !== layers) throw new Error(`past_key_values given for ${given} of ${layers} layers; give all or none`);
  return out;
}

/** Whether a scalar flag input (`use_cache`) is present and non-zero. */
export function flag(inputs: Readonly<Record<string, tf.Tensor>>, name: string): boolean {
  const t = inputs[name];
  if (!t) return false;
  if (t.size !== 1) throw new Error(`"${name}" must be a scalar tensor`);
  return t.dataSync()[0] !== 0;
}
