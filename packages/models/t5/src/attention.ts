import { type Hooks, mergeHeads, splitHeads } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { T5Config } from './config';
import { computePositionBias } from './position-bias';

/** Weight map of a forward pass. */
export type W = ReadonlyMap<string, tf.Tensor>;

/** A required weight (clear error when missing). */
export function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`T5 weight ${name} is missing`);
  return t;
}

/** `x·W` with `W` as `[in, out]` (T5 linears have no bias), for the projections Python does not wrap. */
export function plainLinear(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
  const y = tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]!]), kernel);
  return tf.reshape(y, [...x.shape.slice(0, -1), kernel.shape[1]!]);
}

/** Keys/values of one attention `[B, heads, T, d_kv]`. */
export interface KeyValue {
  readonly key: tf.Tensor;
  readonly value: tf.Tensor;
}

/** One `T5Attention` call. */
export interface T5AttnCall {
  readonly kind: 'self' | 'cross';
  /** Global layer index (decoder layers continue after the encoder's). */
  readonly layer: number;
  /** Module path, e.g. `encoder.block.0.layer.0.SelfAttention`. */
  readonly path: string;
  /** Query input (after the sub-layer's T5 LayerNorm). */
  readonly hidden: tf.Tensor;
  /** Key/value input: `hidden` for self-attention, the encoder states for cross-attention. */
  readonly kvInput: tf.Tensor;
  /** Additive mask `[B, 1, 1|Tq, Tk]` or null. */
  readonly mask: tf.Tensor | null;
  /** Position bias (mask included) shared from an earlier layer of the stack, or null. */
  readonly positionBias: tf.Tensor | null;
  /** Whether this attention owns the `relative_attention_bias` table (first self-attention of a stack). */
  readonly hasRelativeBias: boolean;
  /** Bidirectional buckets (encoder) or causal ones (decoder). */
  readonly bidirectional: boolean;
  /** Absolute position of the first query (`T_past` when decoding with a cache). */
  readonly queryStart: number;
  /** Cached keys/values to prepend (decoder self-attention). */
  readonly past?: KeyValue | null;
}

/** Output after `o`, the position bias to share with later layers, and keys/values before any prefix. */
export interface T5AttnResult {
  readonly out: tf.Tensor;
  readonly positionBias: tf.Tensor;
  readonly present: KeyValue;
}

/**
 * `T5AttentionWithAdapters.forward` (eager): q/k/v without bias (LoRA sites `attn.*` / `cross.*`),
 * prefix tuning on the keys/values, NO `1/sqrt(d)` scaling, scores + position bias. The position bias
 * (relative bias of the first layer, or zeros, plus the mask) is computed once per stack and reused,
 * and recomputed only when its key length differs from the scores' (Python's AdapterDrop guard). As in
 * Python, when prefix tuning prepends P prefix positions the relative bias is computed for keys
 * `0 … P+Tk−1`, i.e. shifted by P (reproduced as is).
 */
export function t5Attention(c: T5Config, w: W, a: T5AttnCall, hooks: Hooks): T5AttnResult {
  const p = a.path;
  const pre = a.kind === 'self' ? 'attn' : 'cross';
  const lin = (name: 'q' | 'k' | 'v', x: tf.Tensor): tf.Tensor => hooks.linear(`${pre}.${name}`, a.layer, x, weight(w, `${p}.${name}.weight`));
  const [q0, k0, v0] = hooks.matchBatches([lin('q', a.hidden), lin('k', a.kvInput), lin('v', a.kvInput)]) as [tf.Tensor, tf.Tensor, tf.Tensor];
  let key = splitHeads(k0, c.numHeads);
  let value = splitHeads(v0, c.numHeads);
  if (a.past) {
    key = tf.concat([hooks.matchBatch(key, a.past.key), key], 2);
    value = tf.concat([hooks.matchBatch(value, a.past.value), value], 2);
  }
  const present = { key, value };
  let q = splitHeads(q0, c.numHeads);
  const mask = a.mask ? hooks.matchBatch(q, a.mask) : null;
  const kv = hooks.attention(a.kind === 'self' ? 'attn.self' : 'attn.cross', a.layer, { key, value, mask, hidden: a.hidden });
  q = hooks.matchBatch(kv.key, q);
  const scores = tf.matMul(q, kv.key, false, true);
  const tq = q.shape[2]!;
  const tk = kv.key.shape[2]!;
  let bias = a.positionBias;
  if (!bias || bias.shape[3] !== tk) {
    bias = a.hasRelativeBias
      ? computePositionBias(weight(w, `${p}.relative_attention_bias.weight`), a.queryStart, tq, tk, a.bidirectional, c.relativeAttentionMaxDistance)
      : tf.zeros([1, c.numHeads, tq, tk]);
    if (kv.mask) bias = tf.add(bias, tf.slice(kv.mask, [0, 0, 0, 0], [-1, -1, -1, tk]));
  }
  let probs = tf.softmax(tf.add(scores, hooks.matchBatch(scores, bias)), -1);
  probs = hooks.dropout(probs, c.dropoutRate);
  const ctxt = mergeHeads(tf.matMul(probs, kv.value));
  const o = weight(w, `${p}.o.weight`);
  const out = a.kind === 'self' ? hooks.linear('attn.o', a.layer, ctxt, o) : plainLinear(ctxt, o);
  return { out, positionBias: bias, present };
}
