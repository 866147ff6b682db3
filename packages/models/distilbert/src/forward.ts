import {
  type Hooks,
  type LinearPoint,
  type ModelForwardArgs,
  type ModelOutput,
  attention,
  extendedAttentionMask,
  getActivation,
  layerNorm,
  mergeHeads,
  splitHeads,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { DISTILBERT_LN_EPS, type DistilBertConfig } from './config';
import { sinusoidalPositions } from './positions';

type W = ReadonlyMap<string, tf.Tensor>;

function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`DistilBERT weight ${name} is missing`);
  return t;
}

/** Embeddings: word + position (learned or sinusoidal), LayerNorm, dropout. No token types. */
function embeddings(c: DistilBertConfig, w: W, ids: tf.Tensor, hooks: Hooks): tf.Tensor {
  const [b, t] = ids.shape as [number, number];
  if (t > c.maxPositionEmbeddings) throw new Error(`DistilBERT: sequence length ${t} exceeds max_position_embeddings ${c.maxPositionEmbeddings}`);
  const word = tf.reshape(tf.gather(weight(w, 'embeddings.word_embeddings.weight'), tf.reshape(tf.cast(ids, 'int32'), [-1])), [b, t, c.dim]);
  const pos = c.sinusoidalPosEmbds
    ? sinusoidalPositions(t, c.dim)
    : tf.slice(weight(w, 'embeddings.position_embeddings.weight'), [0, 0], [t, c.dim]);
  const e = layerNorm(tf.add(word, pos), w.get('embeddings.LayerNorm.weight'), w.get('embeddings.LayerNorm.bias'), DISTILBERT_LN_EPS);
  return hooks.dropout(e, c.dropout);
}

/**
 * One `TransformerBlock` with the hook points of Python's `TransformerBlockWithAdapters`:
 * q/k/v LoRA, prefix tuning, `attention_adapters(sa_output, x, sa_layer_norm)`, ffn LoRA and
 * `output_adapters(ffn_output, sa_output, output_layer_norm)`.
 */
function block(c: DistilBertConfig, w: W, i: number, x: tf.Tensor, mask: tf.Tensor, hooks: Hooks): tf.Tensor {
  const p = `transformer.layer.${i}`;
  const lin = (point: LinearPoint, path: string, input: tf.Tensor): tf.Tensor =>
    hooks.linear(point, i, input, weight(w, `${path}.weight`), w.get(`${path}.bias`));
  const norm = (path: string) => (t: tf.Tensor): tf.Tensor => layerNorm(t, w.get(`${path}.weight`), w.get(`${path}.bias`), DISTILBERT_LN_EPS);
  // Python: adjust_tensors_for_parallel_(x, attn_mask) at the block entry.
  const m = hooks.matchBatch(x, mask);
  let q = splitHeads(lin('attn.q', `${p}.attention.q_lin`, x), c.nHeads);
  const k = splitHeads(lin('attn.k', `${p}.attention.k_lin`, x), c.nHeads);
  const v = splitHeads(lin('attn.v', `${p}.attention.v_lin`, x), c.nHeads);
  // Python keeps DistilBERT's mask as 1/0 and calls prefix_tuning with invert_mask=False; the
  // additive form used here (0 = attend) is equivalent: prefixes extend it with 0 ("attend").
  const kv = hooks.attention('attn.self', i, { key: k, value: v, mask: hooks.matchBatch(k, m), hidden: x });
  q = hooks.matchBatch(kv.key, q);
  const ctxt = attention(q, kv.key, kv.value, kv.mask, 1 / Math.sqrt(c.dim / c.nHeads), (t) => hooks.dropout(t, c.attentionDropout));
  const sa = lin('attn.o', `${p}.attention.out_lin`, mergeHeads(ctxt)); // no output dropout in DistilBERT attention
  const xIn = hooks.matchBatch(sa, x);
  const a = hooks.residual('block.attn', i, sa, xIn, norm(`${p}.sa_layer_norm`));
  const act = getActivation(c.activation, 'activation');
  let f = lin('ffn.down', `${p}.ffn.lin2`, act(lin('ffn.up', `${p}.ffn.lin1`, a)));
  f = hooks.dropout(f, c.dropout);
  const y = hooks.residual('block.ffn', i, f, a, norm(`${p}.output_layer_norm`));
  return hooks.layerOutput(i, y);
}

/** DistilBertModel forward: `last_hidden_state`, optional `hidden_states`. */
export function distilBertForward(args: ModelForwardArgs<DistilBertConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  const ids = inputs.input_ids;
  if (!ids) throw new Error('DistilBERT forward needs "input_ids"');
  const [b, t] = ids.shape as [number, number];
  const mask2d = inputs.attention_mask ?? tf.ones([b, t], 'int32');
  const emb = hooks.embedding('embed.out', { hidden: embeddings(c, w, ids, hooks), mask: mask2d });
  let h = emb.hidden;
  const m2 = emb.mask ?? tf.ones([h.shape[0]!, h.shape[1]!], 'int32');
  hooks.ctx.attentionMask = m2;
  // DistilBERT masks with masked_fill(mask == 0, finfo.min); the additive form gives the same softmax.
  const mask = extendedAttentionMask(m2);
  const hidden: tf.Tensor[] = [h];
  for (let i = 0; i < c.nLayers; i++) {
    h = block(c, w, i, h, mask, hooks);
    hidden.push(h);
  }
  const out: ModelOutput = { last_hidden_state: h };
  if (args.outputHiddenStates) out.hidden_states = hidden;
  return out;
}
