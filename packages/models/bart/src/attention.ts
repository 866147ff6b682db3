import { type Hooks, attention, layerNorm, mergeHeads, splitHeads } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { BartConfig } from './config';

/** Weight map of a forward pass. */
export type W = ReadonlyMap<string, tf.Tensor>;

/** A required weight (clear error when missing). */
export function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`BART weight ${name} is missing`);
  return t;
}

/** `nn.LayerNorm` (eps 1e-5) at module path `path`. */
export function ln(w: W, path: string, x: tf.Tensor): tf.Tensor {
  return layerNorm(x, weight(w, `${path}.weight`), weight(w, `${path}.bias`), 1e-5);
}

/** `x·W + b` with `W` as `[in, out]`, for the projections Python does not wrap. */
export function plainLinear(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const y = tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]!]), kernel);
  const r = tf.reshape(y, [...x.shape.slice(0, -1), kernel.shape[1]!]);
  return bias ? tf.add(r, bias) : r;
}

/** Keys/values of one attention `[B, heads, T, head_dim]`. */
export interface KeyValue {
  readonly key: tf.Tensor;
  readonly value: tf.Tensor;
}

/** One `BartAttention` call. */
export interface BartAttnCall {
  readonly kind: 'self' | 'cross';
  /** Global layer index (decoder layers continue after the encoder's). */
  readonly layer: number;
  /** Module path, e.g. `decoder.layers.0.encoder_attn`. */
  readonly path: string;
  readonly heads: number;
  /** Query input. */
  readonly hidden: tf.Tensor;
  /** Key/value input: `hidden` for self-attention, the encoder states for cross-attention. */
  readonly kvInput: tf.Tensor;
  /** Additive mask `[B, 1, 1|Tq, Tk]` or null. */
  readonly mask: tf.Tensor | null;
  /** Cached keys/values to prepend (decoder self-attention). */
  readonly past?: KeyValue | null;
}

/** Output after `out_proj` and the keys/values before any prefix (the cache to return). */
export interface BartAttnResult {
  readonly out: tf.Tensor;
  readonly present: KeyValue;
}

/**
 * `BartAttentionWithAdapters.forward` (eager, adapters 1.1.0 / transformers 4.47): `q_proj(h)·head_dim^−½`
 * (LoRA inside `q_proj`), k/v of `kvInput` (past prepended), prefix tuning on keys/values,
 * `softmax(q·kᵀ + mask)`, dropout, `out_proj`. Self-attention `out_proj` is the `attn.o` site;
 * cross-attention's is a plain linear (Python wraps only q/k/v of `encoder_attn`).
 */
export function bartAttention(c: BartConfig, w: W, a: BartAttnCall, hooks: Hooks): BartAttnResult {
  const p = a.path;
  const self = a.kind === 'self';
  const lin = (name: 'q' | 'k' | 'v', x: tf.Tensor): tf.Tensor =>
    hooks.linear(`${self ? 'attn' : 'cross'}.${name}`, a.layer, x, weight(w, `${p}.${name}_proj.weight`), w.get(`${p}.${name}_proj.bias`));
  const headDim = c.dModel / a.heads;
  const [q0, k0, v0] = hooks.matchBatches([tf.mul(lin('q', a.hidden), headDim ** -0.5), lin('k', a.kvInput), lin('v', a.kvInput)]) as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
  let key = splitHeads(k0, a.heads);
  let value = splitHeads(v0, a.heads);
  if (a.past) {
    key = tf.concat([hooks.matchBatch(key, a.past.key), key], 2);
    value = tf.concat([hooks.matchBatch(value, a.past.value), value], 2);
  }
  const present = { key, value };
  let q = splitHeads(q0, a.heads);
  const mask = a.mask ? hooks.matchBatch(q, a.mask) : null;
  const kv = hooks.attention(self ? 'attn.self' : 'attn.cross', a.layer, { key, value, mask, hidden: a.hidden });
  q = hooks.matchBatch(kv.key, q);
  const ctxt = mergeHeads(attention(q, kv.key, kv.value, kv.mask, 1, (t) => hooks.dropout(t, c.attentionDropout)));
  const ow = weight(w, `${p}.out_proj.weight`);
  const ob = w.get(`${p}.out_proj.bias`);
  const out = self ? hooks.linear('attn.o', a.layer, ctxt, ow, ob) : plainLinear(ctxt, ow, ob);
  return { out, present };
}
