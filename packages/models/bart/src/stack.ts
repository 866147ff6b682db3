import { type Hooks, type LayerNormFn, getActivation } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type KeyValue, type W, bartAttention, ln, weight } from './attention';
import type { BartConfig } from './config';
import { causalMask, paddingMask } from './masks';
import { decoderLayerIndex } from './sites';

/** transformers' `BartLearnedPositionalEmbedding` offset: position `p` reads row `p + 2`. */
export const POSITION_OFFSET = 2;

/** Token embeddings (`shared.weight`, times `sqrt(d_model)` when `scale_embedding`) plus learned positions from `start`. */
function embed(c: BartConfig, w: W, stack: 'encoder' | 'decoder', ids: tf.Tensor, start: number): tf.Tensor {
  const [b, t] = ids.shape as [number, number];
  if (start + t > c.maxPositionEmbeddings) throw new Error(`${stack} length ${start + t} exceeds max_position_embeddings ${c.maxPositionEmbeddings}`);
  let tok = tf.reshape(tf.gather(weight(w, 'shared.weight'), tf.reshape(tf.cast(ids, 'int32'), [-1])), [b, t, c.dModel]);
  if (c.scaleEmbedding) tok = tf.mul(tok, Math.sqrt(c.dModel));
  const pos = tf.slice(weight(w, `${stack}.embed_positions.weight`), [start + POSITION_OFFSET, 0], [t, c.dModel]);
  return tf.add(tok, pos);
}

/**
 * The pre-/post-LN wiring of one sub-layer: mBART normalises the sub-layer input and calls the
 * bottleneck hook with `layer_norm=None`; BART / PLBart pass the LayerNorm to the hook (post-LN).
 */
function subLayer(
  c: BartConfig,
  w: W,
  hooks: Hooks,
  point: 'block.attn' | 'block.cross' | 'block.ffn',
  layer: number,
  lnPath: string,
  h: tf.Tensor,
  body: (x: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const norm: LayerNormFn = (x) => ln(w, lnPath, x);
  const out = hooks.dropout(body(c.preLayerNorm ? norm(h) : h), c.dropout);
  return hooks.residual(point, layer, out, h, c.preLayerNorm ? null : norm);
}

/** `fc2(dropout(act(fc1(x))))` with LoRA sites `ffn.up` / `ffn.down`. */
function feedForward(c: BartConfig, w: W, hooks: Hooks, layer: number, l: string, x: tf.Tensor): tf.Tensor {
  const act = getActivation(c.activationFunction, 'activation_function');
  const up = act(hooks.linear('ffn.up', layer, x, weight(w, `${l}.fc1.weight`), w.get(`${l}.fc1.bias`)));
  return hooks.linear('ffn.down', layer, hooks.dropout(up, c.activationDropout), weight(w, `${l}.fc2.weight`), w.get(`${l}.fc2.bias`));
}

/** Result of the encoder. */
export interface EncoderResult {
  readonly lastHiddenState: tf.Tensor;
  readonly hidden: tf.Tensor[];
}

/**
 * `BartEncoder` / `MBartEncoder` / `PLBartEncoder`: embeddings + positions, `layernorm_embedding`, the
 * embedding hook (Python's forward hook on `layernorm_embedding`: invertible adapters), dropout, layers,
 * and mBART's final `layer_norm`.
 */
export function bartEncoder(c: BartConfig, w: W, ids: tf.Tensor, mask2d: tf.Tensor, hooks: Hooks): EncoderResult {
  const e = ln(w, 'encoder.layernorm_embedding', embed(c, w, 'encoder', ids, 0));
  const emb = hooks.embedding('embed.out', { hidden: e, mask: mask2d });
  let h = hooks.dropout(emb.hidden, c.dropout);
  const mask = paddingMask(emb.mask ?? mask2d);
  const hidden = [h];
  for (let i = 0; i < c.encoderLayers; i++) {
    const l = `encoder.layers.${i}`;
    h = subLayer(c, w, hooks, 'block.attn', i, `${l}.self_attn_layer_norm`, h, (x) =>
      bartAttention(c, w, { kind: 'self', layer: i, path: `${l}.self_attn`, heads: c.encoderAttentionHeads, hidden: x, kvInput: x, mask }, hooks).out,
    );
    h = subLayer(c, w, hooks, 'block.ffn', i, `${l}.final_layer_norm`, h, (x) => feedForward(c, w, hooks, i, l, x));
    h = hooks.layerOutput(i, h);
    hidden.push(h);
  }
  if (c.preLayerNorm) {
    h = ln(w, 'encoder.layer_norm', h);
    // transformers' hidden_states end with the output after mBART's final layer_norm.
    hidden[hidden.length - 1] = h;
  }
  return { lastHiddenState: h, hidden };
}

/** Result of the decoder: last hidden state and the present self-attention cache per decoder layer. */
export interface DecoderResult {
  readonly lastHiddenState: tf.Tensor;
  readonly present: KeyValue[];
  readonly hidden: tf.Tensor[];
}

/**
 * `BartDecoder` / `MBartDecoder` / `PLBartDecoder`: embeddings + positions continuing after `T_past`,
 * `layernorm_embedding`, dropout, layers of [causal self-attention with KV cache, cross-attention over
 * `encoderStates`, FFN], and mBART's final `layer_norm`. No embedding hook (as Python).
 */
export function bartDecoder(
  c: BartConfig,
  w: W,
  ids0: tf.Tensor,
  mask2d: tf.Tensor | undefined,
  encoderStates: tf.Tensor,
  encoderMask2d: tf.Tensor,
  past: readonly (KeyValue | null)[],
  hooks: Hooks,
): DecoderResult {
  // Python BartDecoderAdaptersMixin: adjust_tensors_for_parallel(encoder_hidden_states, input_ids).
  const ids = hooks.matchBatch(encoderStates, ids0);
  const [b, t] = ids.shape as [number, number];
  const tPast = past[0] ? past[0].key.shape[2]! : 0;
  let h = hooks.dropout(ln(w, 'decoder.layernorm_embedding', embed(c, w, 'decoder', ids, tPast)), c.dropout);
  const m2 = mask2d ? hooks.matchBatch(h, mask2d) : tf.ones([b, tPast + t], 'int32');
  if (m2.shape[1] !== tPast + t) throw new Error(`decoder_attention_mask must cover past + new positions (${tPast + t}), got ${m2.shape[1]}`);
  const selfMask = causalMask(m2, t);
  const crossMask = paddingMask(hooks.matchBatch(encoderStates, encoderMask2d));
  const heads = c.decoderAttentionHeads;
  const present: KeyValue[] = [];
  const hidden = [h];
  for (let j = 0; j < c.decoderLayers; j++) {
    const layer = decoderLayerIndex(c, j);
    const l = `decoder.layers.${j}`;
    h = subLayer(c, w, hooks, 'block.attn', layer, `${l}.self_attn_layer_norm`, h, (x) => {
      const sa = bartAttention(c, w, { kind: 'self', layer, path: `${l}.self_attn`, heads, hidden: x, kvInput: x, mask: selfMask, past: past[j] ?? null }, hooks);
      present.push(sa.present);
      return sa.out;
    });
    h = subLayer(c, w, hooks, 'block.cross', layer, `${l}.encoder_attn_layer_norm`, h, (x) =>
      bartAttention(c, w, { kind: 'cross', layer, path: `${l}.encoder_attn`, heads, hidden: x, kvInput: encoderStates, mask: crossMask }, hooks).out,
    );
    h = subLayer(c, w, hooks, 'block.ffn', layer, `${l}.final_layer_norm`, h, (x) => feedForward(c, w, hooks, layer, l, x));
    h = hooks.layerOutput(layer, h);
    hidden.push(h);
  }
  if (c.preLayerNorm) {
    h = ln(w, 'decoder.layer_norm', h);
    hidden[hidden.length - 1] = h;
  }
  return { lastHiddenState: h, present, hidden };
}
