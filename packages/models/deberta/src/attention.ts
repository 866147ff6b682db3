import { type Hooks, dense, mergeHeads, splitHeads } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { DebertaConfig } from './config';
import { type RelativeContext, disentangledBiasV1, disentangledBiasV2 } from './disentangled';

type W = ReadonlyMap<string, tf.Tensor>;

function get(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`DeBERTa weight ${name} is missing`);
  return t;
}

/** Python's `scale_factor`: v1 `1 + len(pos_att_type)`, v2 `1 + [c2p] + [p2c]`. */
function scaleFactor(c: DebertaConfig): number {
  if (c.version === 1) return 1 + c.posAttType.length;
  return 1 + (c.posAttType.includes('c2p') ? 1 : 0) + (c.posAttType.includes('p2c') ? 1 : 0);
}

/** Applies a `[heads, heads]` (in→out) head-mixing projection over axis 1 of `[B, H, Tq, Tk]` (v1 talking heads). */
function mixHeads(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
  return tf.transpose(dense(tf.transpose(x, [0, 2, 3, 1]), kernel), [0, 3, 1, 2]);
}

/** v1 fused projection: `in_proj` (no bias) → per-head interleaved `[q_h | k_h | v_h]` blocks. */
function qkvV1(c: DebertaConfig, w: W, i: number, x: tf.Tensor, hooks: Hooks): tf.Tensor[] {
  const p = `encoder.layer.${i}.attention.self`;
  // The Python adapters wrap in_proj with LoRAMergedLinear, which adds a randomly initialised bias
  // that is neither in the checkpoint nor in saved adapters (upstream bug, see README): no bias here.
  const qkv = hooks.linear('attn.qkv', i, x, get(w, `${p}.in_proj.weight`));
  const [b, t] = qkv.shape as [number, number, number];
  const heads = c.numAttentionHeads;
  // transformers: transpose_for_scores(qp).chunk(3, dim=-1) — the output columns are grouped by head.
  const perHead = tf.transpose(tf.reshape(qkv, [b, t, heads, -1]), [0, 2, 1, 3]);
  return tf.split(perHead, 3, -1);
}

/** v2: separate `query_proj` / `key_proj` / `value_proj` with biases. */
function qkvV2(c: DebertaConfig, w: W, i: number, x: tf.Tensor, hooks: Hooks): tf.Tensor[] {
  const p = `encoder.layer.${i}.attention.self`;
  const lin = (point: 'attn.q' | 'attn.k' | 'attn.v', name: string): tf.Tensor =>
    splitHeads(hooks.linear(point, i, x, get(w, `${p}.${name}.weight`), w.get(`${p}.${name}.bias`)), c.numAttentionHeads);
  return [lin('attn.q', 'query_proj'), lin('attn.k', 'key_proj'), lin('attn.v', 'value_proj')];
}

/**
 * DeBERTa disentangled self-attention as Python's `DisentangledSelfAttentionWithAdapters`
 * (v1 and v2): q/k/v (LoRA sites), Parallel batch matching, v1 `q_bias`/`v_bias`, prefix tuning
 * on keys/values (the relative terms use the keys *before* the prefix and are zero for prefix
 * columns), content + c2p + p2c scores, mask, softmax, dropout. `mask` is additive
 * `[B, 1, T, T]` (0 = attend). Returns the context `[B, T, H]`.
 */
export function disentangledSelfAttention(
  c: DebertaConfig,
  w: W,
  i: number,
  x: tf.Tensor,
  mask: tf.Tensor,
  rel: RelativeContext | null,
  hooks: Hooks,
): tf.Tensor {
  const p = `encoder.layer.${i}.attention.self`;
  const heads = c.numAttentionHeads;
  let [q, k, v] = hooks.matchBatches(c.version === 1 ? qkvV1(c, w, i, x, hooks) : qkvV2(c, w, i, x, hooks)) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const m = hooks.matchBatch(q, mask);
  if (c.version === 1) {
    const d = q.shape[3]!;
    q = tf.add(q, tf.reshape(get(w, `${p}.q_bias`), [1, heads, 1, d]));
    v = tf.add(v, tf.reshape(get(w, `${p}.v_bias`), [1, heads, 1, d]));
  }
  const kv = hooks.attention('attn.self', i, { key: k, value: v, mask: m, hidden: x });
  q = hooks.matchBatch(kv.key, q);
  const origKey = hooks.matchBatch(kv.key, k);
  const sf = scaleFactor(c);
  const scale = Math.sqrt(q.shape[3]! * sf);
  let scores: tf.Tensor;
  let relScores: tf.Tensor | null = null;
  if (c.version === 1) {
    q = tf.div(q, scale);
    scores = tf.matMul(q, kv.key, false, true);
    if (c.relativeAttention && rel) relScores = disentangledBiasV1(c, w, i, q, origKey, rel, sf, hooks);
  } else {
    scores = tf.matMul(q, tf.div(kv.key, scale), false, true);
    if (c.relativeAttention && rel) relScores = disentangledBiasV2(c, w, i, q, origKey, rel, sf, hooks);
  }
  if (relScores) {
    // adapters: rel_att_padded[..., -T:] = rel_att (prefix columns get no relative term).
    const extra = scores.shape[3]! - relScores.shape[3]!;
    if (extra > 0) relScores = tf.pad(relScores, [[0, 0], [0, 0], [0, 0], [extra, 0]]);
    scores = tf.add(scores, relScores);
  }
  if (c.talkingHead) scores = mixHeads(scores, get(w, `${p}.head_logits_proj.weight`));
  if (kv.mask) scores = tf.add(scores, kv.mask);
  let probs = hooks.dropout(tf.softmax(scores, -1), c.attentionProbsDropoutProb);
  if (c.talkingHead) probs = mixHeads(probs, get(w, `${p}.head_weights_proj.weight`));
  return mergeHeads(tf.matMul(probs, kv.value));
}
