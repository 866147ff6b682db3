import { FLOAT32_MIN, type Hooks, getActivation, layerNorm } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { WhisperConfig } from './config';
import { type W, weight, whisperAttention } from './attention';
import { decoderLayerIndex } from './sites';

/** Keys/values of one decoder self-attention layer `[B, heads, T, head_dim]`. */
export interface LayerCache {
  readonly key: tf.Tensor;
  readonly value: tf.Tensor;
}

/**
 * Additive `[B, 1, Tq, Tk]` decoder self-attention mask: key `k` is visible from query `q` when
 * `k ≤ T_past + q` and `mask2d[b, k] = 1` (transformers 4.47 `_update_causal_mask`, eager).
 */
export function decoderMask(mask2d: tf.Tensor, tq: number): tf.Tensor {
  const [b, tk] = mask2d.shape as [number, number];
  const qPos = tf.reshape(tf.range(tk - tq, tk, 1, 'int32'), [1, 1, tq, 1]);
  const kPos = tf.reshape(tf.range(0, tk, 1, 'int32'), [1, 1, 1, tk]);
  const visible = tf.logicalAnd(tf.lessEqual(kPos, qPos), tf.reshape(tf.cast(mask2d, 'bool'), [b, 1, 1, tk]));
  return tf.mul(tf.sub(1, tf.cast(visible, 'float32')), FLOAT32_MIN);
}

/** Result of the decoder: last hidden state and the present self-attention cache per decoder layer. */
export interface DecoderResult {
  readonly lastHiddenState: tf.Tensor;
  readonly present: LayerCache[];
  readonly hidden: tf.Tensor[];
}

/**
 * `WhisperDecoder.forward`: token + learned positions (continuing after `T_past`), pre-LN layers with
 * self-attention (causal + padding mask, KV cache), cross-attention over `encoderStates` and FFN, then
 * `layer_norm`. Hook points as Python's `WhisperDecoderLayerWithAdapters`.
 */
export function whisperDecoder(
  c: WhisperConfig,
  w: W,
  ids0: tf.Tensor,
  mask2d: tf.Tensor | undefined,
  encoderStates: tf.Tensor,
  past: readonly (LayerCache | null)[],
  hooks: Hooks,
): DecoderResult {
  // Python WhisperDecoderAdaptersMixin: adjust_tensors_for_parallel(encoder_hidden_states, input_ids).
  const ids = hooks.matchBatch(encoderStates, ids0);
  const [b, t] = ids.shape as [number, number];
  const tPast = past[0] ? past[0].key.shape[2]! : 0;
  if (tPast + t > c.maxTargetPositions) throw new Error(`decoder length ${tPast + t} exceeds max_target_positions ${c.maxTargetPositions}`);
  const d = c.dModel;
  const tok = tf.gather(weight(w, 'decoder.embed_tokens.weight'), tf.reshape(tf.cast(ids, 'int32'), [-1]));
  const pos = tf.slice(weight(w, 'decoder.embed_positions.weight'), [tPast, 0], [t, d]);
  let h = hooks.dropout(tf.add(tf.reshape(tok, [b, t, d]), pos), c.dropout);
  const m2 = mask2d ? hooks.matchBatch(h, mask2d) : tf.ones([b, tPast + t], 'int32');
  if (m2.shape[1] !== tPast + t) throw new Error(`decoder_attention_mask must cover past + new positions (${tPast + t}), got ${m2.shape[1]}`);
  const selfMask = decoderMask(m2, t);
  const act = getActivation(c.activationFunction, 'activation_function');
  const present: LayerCache[] = [];
  const hidden = [h];
  for (let j = 0; j < c.decoderLayers; j++) {
    const layer = decoderLayerIndex(c, j);
    const l = `decoder.layers.${j}`;
    const ln = (name: string, v: tf.Tensor): tf.Tensor => layerNorm(v, w.get(`${l}.${name}.weight`), w.get(`${l}.${name}.bias`), 1e-5);
    const hn = ln('self_attn_layer_norm', h);
    const sa = whisperAttention(c, w, { kind: 'self', layer, path: `${l}.self_attn`, heads: c.decoderAttentionHeads, hidden: hn, kvInput: hn, mask: selfMask, past: past[j] ?? null }, hooks);
    present.push(sa.present);
    const r1 = hooks.residual('block.attn', layer, hooks.dropout(sa.out, c.dropout), hooks.matchBatch(sa.out, h), null);
    const cn = ln('encoder_attn_layer_norm', r1);
    const enc = hooks.matchBatch(cn, encoderStates);
    const ca = whisperAttention(c, w, { kind: 'cross', layer, path: `${l}.encoder_attn`, heads: c.decoderAttentionHeads, hidden: cn, kvInput: enc, mask: null }, hooks);
    const r2 = hooks.residual('block.cross', layer, hooks.dropout(ca.out, c.dropout), hooks.matchBatch(ca.out, r1), null);
    const up = hooks.dropout(act(hooks.linear('ffn.up', layer, ln('final_layer_norm', r2), weight(w, `${l}.fc1.weight`), w.get(`${l}.fc1.bias`))), c.activationDropout);
    const down = hooks.dropout(hooks.linear('ffn.down', layer, up, weight(w, `${l}.fc2.weight`), w.get(`${l}.fc2.bias`)), c.dropout);
    h = hooks.layerOutput(layer, hooks.residual('block.ffn', layer, down, r2, null));
    hidden.push(h);
  }
  const last = layerNorm(h, w.get('decoder.layer_norm.weight'), w.get('decoder.layer_norm.bias'), 1e-5);
  return { lastHiddenState: last, present, hidden };
}
