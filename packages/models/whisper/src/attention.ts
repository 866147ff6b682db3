import { type Hooks, attention, mergeHeads, splitHeads } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { WhisperConfig } from './config';

/** Weight map of a forward pass. */
export type W = ReadonlyMap<string, tf.Tensor>;

/** A required weight (clear error when missing). */
export function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`Whisper weight ${name} is missing`);
  return t;
}

/** Options of one attention call. */
export interface AttnCall {
  readonly kind: 'self' | 'cross';
  readonly layer: number;
  /** Module path, e.g. `decoder.layers.0.encoder_attn`. */
  readonly path: string;
  readonly heads: number;
  /** Query input (after the pre-attention LayerNorm). */
  readonly hidden: tf.Tensor;
  /** Key/value input (encoder states for cross-attention; `hidden` for self-attention). */
  readonly kvInput: tf.Tensor;
  /** Additive mask with the key axis last, or null. */
  readonly mask: tf.Tensor | null;
  /** Cached keys/values `[B, heads, T_past, d]` to prepend (decoder self-attention). */
  readonly past?: { key: tf.Tensor; value: tf.Tensor } | null;
}

/** Result: output after `out_proj` and the present keys/values (before any prefix). */
export interface AttnResult {
  readonly out: tf.Tensor;
  readonly present: { key: tf.Tensor; value: tf.Tensor };
}

/**
 * `WhisperAttentionWithAdapters.forward` (eager). Query scaling: with `queryScaling: 'adapters'`
 * (default) the query is NOT multiplied by `head_dim**-0.5` — adapters 1.1.0/1.2.0 bug, see the
 * fixtures README — and with `'hf'` it is (transformers' math, applied after LoRA like Python's fix).
 */
export function whisperAttention(c: WhisperConfig, w: W, a: AttnCall, hooks: Hooks): AttnResult {
  const p = a.path;
  const self = a.kind === 'self';
  const lin = (name: 'q' | 'k' | 'v', x: tf.Tensor): tf.Tensor =>
    hooks.linear(`${self ? 'attn' : 'cross'}.${name}`, a.layer, x, weight(w, `${p}.${name}_proj.weight`), w.get(`${p}.${name}_proj.bias`));
  const [q0, k0, v0] = hooks.matchBatches([lin('q', a.hidden), lin('k', a.kvInput), lin('v', a.kvInput)]) as [tf.Tensor, tf.Tensor, tf.Tensor];
  let key = splitHeads(k0, a.heads);
  let value = splitHeads(v0, a.heads);
  if (a.past) {
    key = concat(hooks.matchBatch(key, a.past.key), key);
    value = concat(hooks.matchBatch(value, a.past.value), value);
  }
  const present = { key, value };
  let q = splitHeads(q0, a.heads);
  const mask = a.mask ? hooks.matchBatch(q, a.mask) : null;
  const kv = hooks.attention(self ? 'attn.self' : 'attn.cross', a.layer, { key, value, mask, hidden: a.hidden });
  q = hooks.matchBatch(kv.key, q);
  const headDim = c.dModel / a.heads;
  // Python bug reproduced by default: adapters' eager attention runs softmax(q·kᵀ + mask) without head_dim**-0.5.
  const scale = c.queryScaling === 'hf' ? headDim ** -0.5 : 1;
  const ctxt = attention(q, kv.key, kv.value, kv.mask, scale, (t) => hooks.dropout(t, c.attentionDropout));
  const merged = mergeHeads(ctxt);
  const out = self
    ? hooks.linear('attn.o', a.layer, merged, weight(w, `${p}.out_proj.weight`), w.get(`${p}.out_proj.bias`))
    : denseOut(merged, weight(w, `${p}.out_proj.weight`), w.get(`${p}.out_proj.bias`));
  return { out, present };
}

function concat(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.concat([a, b], 2);
}

/** Cross-attention `out_proj`: a plain linear in Python (not wrapped by LoRA). */
function denseOut(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const y = tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]!]), kernel);
  const r = tf.reshape(y, [...x.shape.slice(0, -1), kernel.shape[1]!]);
  return bias ? tf.add(r, bias) : r;
}
