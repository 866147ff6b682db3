import {
  type AttentionPoint,
  type Hooks,
  type LinearPoint,
  type ResidualPoint,
  attention,
  dense,
  layerNorm,
  mergeHeads,
  splitHeads,
} from '@adapters/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from './config';

type W = ReadonlyMap<string, tf.Tensor>;

/** Hook points of one `BertAttention` module (`attention` or a decoder's `crossattention`). */
export interface BertAttentionKind {
  /** Module name in the layer: `attention` or `crossattention`. */
  readonly module: 'attention' | 'crossattention';
  readonly q: LinearPoint;
  readonly k: LinearPoint;
  readonly v: LinearPoint;
  readonly site: AttentionPoint;
  readonly residual: ResidualPoint;
  /** Hook point of `output.dense`; null where it is a plain linear (cross-attention). */
  readonly out: LinearPoint | null;
}

/** Self-attention: `attention.self` / `attention.output`. */
export const SELF_ATTENTION: BertAttentionKind = {
  module: 'attention',
  q: 'attn.q',
  k: 'attn.k',
  v: 'attn.v',
  site: 'attn.self',
  residual: 'block.attn',
  out: 'attn.o',
};

/** Cross-attention of decoders: `crossattention.self` / `crossattention.output`. */
export const CROSS_ATTENTION: BertAttentionKind = {
  module: 'crossattention',
  q: 'cross.q',
  k: 'cross.k',
  v: 'cross.v',
  site: 'attn.cross',
  residual: 'block.cross',
  out: null,
};

function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`BERT weight ${name} is missing`);
  return t;
}

/**
 * One `BertAttention` sub-layer with the hooks of Python's `BertSelfAttentionWithAdapters` and
 * `BertSelfOutputWithAdapters`: queries from `x`, keys/values from `kvInput` (`x` for
 * self-attention, the encoder states for cross-attention), the prefix hook on the keys/values and
 * the additive `mask`, then `output.dense`, dropout and the residual hook with the LayerNorm.
 */
export function bertAttention(
  c: BertConfig,
  w: W,
  i: number,
  kind: BertAttentionKind,
  x: tf.Tensor,
  kvInput: tf.Tensor,
  mask: tf.Tensor | null,
  hooks: Hooks,
): tf.Tensor {
  const p = `encoder.layer.${i}.${kind.module}`;
  const heads = c.numAttentionHeads;
  const lin = (point: LinearPoint, path: string, input: tf.Tensor): tf.Tensor =>
    hooks.linear(point, i, input, weight(w, `${path}.weight`), w.get(`${path}.bias`));
  // Parallel LoRA may replicate the batch of some projections only (Python match_attn_matrices_for_parallel).
  const [q0, k0, v0] = hooks.matchBatches([
    lin(kind.q, `${p}.self.query`, x),
    lin(kind.k, `${p}.self.key`, kvInput),
    lin(kind.v, `${p}.self.value`, kvInput),
  ]) as [tf.Tensor, tf.Tensor, tf.Tensor];
  let q = splitHeads(q0, heads);
  const k = splitHeads(k0, heads);
  const v = splitHeads(v0, heads);
  const kv = hooks.attention(kind.site, i, { key: k, value: v, mask: mask ? hooks.matchBatch(k, mask) : null, hidden: x });
  q = hooks.matchBatch(kv.key, q);
  const ctxt = attention(q, kv.key, kv.value, kv.mask, 1 / Math.sqrt(c.hiddenSize / heads), (t) =>
    hooks.dropout(t, c.attentionProbsDropoutProb),
  );
  const xIn = hooks.matchBatch(kv.key, x);
  const merged = mergeHeads(ctxt);
  const outPath = `${p}.output.dense`;
  let out = kind.out
    ? lin(kind.out, outPath, merged)
    : dense(merged, weight(w, `${outPath}.weight`), w.get(`${outPath}.bias`));
  out = hooks.dropout(out, c.hiddenDropoutProb);
  const ln = (t: tf.Tensor): tf.Tensor =>
    layerNorm(t, w.get(`${p}.output.LayerNorm.weight`), w.get(`${p}.output.LayerNorm.bias`), c.layerNormEps);
  return hooks.residual(kind.residual, i, out, xIn, ln);
}
