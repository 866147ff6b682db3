import type * as tf from '@tensorflow/tfjs-core';
import type { KeyValue } from './attention';

/** Input name of a past key/value tensor of decoder block `j` (decoder-local index). */
export const pastKey = (j: number, kind: 'key' | 'value'): string => `past_key_values.${j}.${kind}`;
/** Output name of a present key/value tensor of decoder block `j` (decoder-local index). */
export const presentKey = (j: number, kind: 'key' | 'value'): string => `present_key_values.${j}.${kind}`;

type Inputs = Readonly<Record<string, tf.Tensor>>;

/** The `past_key_values.<j>.key|value` inputs of every decoder block (all or none), or nulls. */
export function readPast(inputs: Inputs, layers: number): (KeyValue | null)[] {
  const out: (KeyValue | null)[] = [];
  let given = 0;
  for (let j = 0; j < layers; j++) {
    const key = inputs[pastKey(j, 'key')];
    const value = inputs[pastKey(j, 'value')];
    if (!key !== !value) throw new Error(`${pastKey(j, key ? 'value' : 'key')} is missing`);
    if (key && value) given++;
    out.push(key && value ? { key, value } : null);
  }
  if (given !== 0 && given !== layers) throw new Error(`past_key_values given for ${given} of ${layers} decoder layers; give all or none`);
  return out;
}

/** A scalar flag input such as `use_cache` (absent → false). */
export function flag(inputs: Inputs, name: string): boolean {
  const t = inputs[name];
  if (!t) return false;
  if (t.size !== 1) throw new Error(`"${name}" must be a scalar tensor`);
  return t.dataSync()[0] !== 0;
}
