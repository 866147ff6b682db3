import { type Hooks, dense, splitHeads } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type DebertaConfig, hasPosAtt, posEmbeddingSize } from './config';
import { disentangledIndices, relativePositions } from './relative-position';

type W = ReadonlyMap<string, tf.Tensor>;

/** Per-forward relative-position data shared by all layers (square `T×T` attention). */
export interface RelativeContext {
  /** Rows of the relative embedding table the layers use (after the encoder's LayerNorm in v2): `[2·span, H]`. */
  readonly embeddings: tf.Tensor;
  /** Number of relative positions on each side used by the layers (`att_span`). */
  readonly span: number;
  /** Flat gather indices (see {@link disentangledIndices}), int32 `[T·T]`. */
  readonly c2p: tf.Tensor;
  readonly p2c: tf.Tensor;
  readonly length: number;
}

/**
 * Builds the relative-position context of a forward pass for sequence length `t`:
 * v1 `att_span = min(t, max_relative_positions)` and the centred slice of the table; v2
 * `att_span = pos_ebd_size` (`position_buckets` or `max_relative_positions`) and the first
 * `2·att_span` rows, with log-bucketed positions when `position_buckets > 0`.
 */
export function relativeContext(c: DebertaConfig, table: tf.Tensor, t: number): RelativeContext {
  if (c.version === 1) {
    const span = Math.min(t, c.maxRelativePositions);
    const rel = relativePositions(t, t);
    const idx = disentangledIndices(rel, t, span);
    const emb = tf.slice(table, [c.maxRelativePositions - span, 0], [2 * span, -1]);
    return { embeddings: emb, span, c2p: tf.tensor1d(idx.c2p, 'int32'), p2c: tf.tensor1d(idx.p2c, 'int32'), length: t };
  }
  const span = posEmbeddingSize(c);
  const rel = relativePositions(t, t, c.positionBuckets, c.maxRelativePositions);
  const idx = disentangledIndices(rel, t, span);
  const emb = tf.slice(table, [0, 0], [2 * span, -1]);
  return { embeddings: emb, span, c2p: tf.tensor1d(idx.c2p, 'int32'), p2c: tf.tensor1d(idx.p2c, 'int32'), length: t };
}

/** `scores [B, H, T, 2·span]` gathered at flat `[T·T]` indices → `[B, H, T, T]` (transformers `torch.gather`). */
function gatherRelative(scores: tf.Tensor, idx: tf.Tensor, t: number): tf.Tensor {
  const [b, h] = scores.shape as [number, number, number, number];
  return tf.reshape(tf.gather(tf.reshape(scores, [b * h, -1]), idx, 1), [b, h, t, t]);
}

/** `[N, 2·span, H]` (or `[2·span, H]`) projected relative embeddings → `[N, heads, 2·span, d]`. */
function posHeads(x: tf.Tensor, heads: number): tf.Tensor {
  return splitHeads(x.rank === 2 ? tf.expandDims(x, 0) : x, heads);
}

/**
 * Repeats a `[1|N, …]` positional tensor to the batch of `ref`, as transformers' `.repeat(batch, 1, 1)`
 * (explicitly: tfjs' broadcasting batch matMul has no matching gradient).
 */
function matchPositional(pos: tf.Tensor, ref: tf.Tensor): tf.Tensor {
  const n = pos.shape[0]!;
  const b = ref.shape[0]!;
  if (n === b) return pos;
  if (n === 1) return tf.tile(pos, [b, 1, 1, 1]);
  throw new Error(`DeBERTa: relative embeddings with batch ${n} cannot be combined with a batch of ${b} (a Parallel block on the shared q/k projections fails in Python too)`);
}

/**
 * DeBERTa (v1) `disentangled_att_bias` (transformers 4.47): `q` is already divided by
 * `sqrt(d·scale_factor)`; c2p uses `pos_proj` (no bias), p2c uses `pos_q_proj` divided by the same
 * scale. Returns `[B, H, T, T]`.
 */
export function disentangledBiasV1(
  c: DebertaConfig,
  w: W,
  layer: number,
  qScaled: tf.Tensor,
  key: tf.Tensor,
  rel: RelativeContext,
  scaleFactor: number,
  hooks: Hooks,
): tf.Tensor | null {
  const p = `encoder.layer.${layer}.attention.self`;
  const heads = c.numAttentionHeads;
  const t = rel.length;
  const emb = hooks.dropout(rel.embeddings, c.hiddenDropoutProb); // pos_dropout (StableDropout)
  let score: tf.Tensor | null = null;
  if (hasPosAtt(c, 'c2p')) {
    const posKey = posHeads(dense(emb, w.get(`${p}.pos_proj.weight`)!), heads);
    const c2p = gatherRelative(tf.matMul(qScaled, matchPositional(posKey, qScaled), false, true), rel.c2p, t);
    score = c2p;
  }
  if (hasPosAtt(c, 'p2c')) {
    let posQuery = posHeads(dense(emb, w.get(`${p}.pos_q_proj.weight`)!, w.get(`${p}.pos_q_proj.bias`)), heads);
    posQuery = tf.div(posQuery, Math.sqrt(posQuery.shape[3]! * scaleFactor));
    const p2c = gatherRelative(tf.matMul(key, matchPositional(posQuery, key), false, true), rel.p2c, t);
    score = score ? tf.add(score, p2c) : p2c;
  }
  return score;
}

/**
 * DeBERTa-v2 `disentangled_attention_bias` (transformers 4.47, as called by adapters with the
 * key before prefix tuning). With `share_att_key` the relative embeddings go through the layer's
 * own `query_proj` / `key_proj` — which Python has wrapped with LoRA — so the `attn.q` / `attn.k`
 * hooks run a second time here (Python applies LoRA / (IA)³ to the relative embeddings as well).
 * `q` is unscaled; each term is divided by `sqrt(d·scale_factor)`. Returns `[B, H, T, T]`.
 */
export function disentangledBiasV2(
  c: DebertaConfig,
  w: W,
  layer: number,
  q: tf.Tensor,
  key: tf.Tensor,
  rel: RelativeContext,
  scaleFactor: number,
  hooks: Hooks,
): tf.Tensor | null {
  const p = `encoder.layer.${layer}.attention.self`;
  const heads = c.numAttentionHeads;
  const t = rel.length;
  const emb = tf.expandDims(hooks.dropout(rel.embeddings, c.hiddenDropoutProb), 0); // pos_dropout
  let posQuery: tf.Tensor | null = null;
  let posKey: tf.Tensor | null = null;
  if (c.shareAttKey) {
    posQuery = posHeads(hooks.linear('attn.q', layer, emb, w.get(`${p}.query_proj.weight`)!, w.get(`${p}.query_proj.bias`)), heads);
    posKey = posHeads(hooks.linear('attn.k', layer, emb, w.get(`${p}.key_proj.weight`)!, w.get(`${p}.key_proj.bias`)), heads);
  } else {
    if (hasPosAtt(c, 'c2p')) posKey = posHeads(dense(emb, w.get(`${p}.pos_key_proj.weight`)!, w.get(`${p}.pos_key_proj.bias`)), heads);
    if (hasPosAtt(c, 'p2c')) posQuery = posHeads(dense(emb, w.get(`${p}.pos_query_proj.weight`)!, w.get(`${p}.pos_query_proj.bias`)), heads);
  }
  let score: tf.Tensor | null = null;
  if (hasPosAtt(c, 'c2p')) {
    const pk = matchPositional(posKey!, q);
    const scale = Math.sqrt(pk.shape[3]! * scaleFactor);
    score = tf.div(gatherRelative(tf.matMul(q, pk, false, true), rel.c2p, t), scale);
  }
  if (hasPosAtt(c, 'p2c')) {
    const pq = matchPositional(posQuery!, key);
    const scale = Math.sqrt(pq.shape[3]! * scaleFactor);
    const p2c = tf.div(gatherRelative(tf.matMul(key, pq, false, true), rel.p2c, t), scale);
    score = score ? tf.add(score, p2c) : p2c;
  }
  return score;
}
