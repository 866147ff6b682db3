import {
  type Hooks,
  type ModelForwardArgs,
  type ModelOutput,
  extendedAttentionMask,
  getActivation,
  layerNorm,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { CROSS_ATTENTION, SELF_ATTENTION, bertAttention } from './attention';
import type { BertConfig } from './config';
import { causalMask } from './masks';

type W = ReadonlyMap<string, tf.Tensor>;

function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`BERT weight ${name} is missing`);
  return t;
}

/** RoBERTa position ids: `cumsum(ids != pad) * (ids != pad) + pad` (transformers' create_position_ids_from_input_ids). */
function robertaPositionIds(inputIds: tf.Tensor, padId: number): tf.Tensor {
  const mask = tf.cast(tf.notEqual(inputIds, padId), 'int32');
  return tf.add(tf.mul(tf.cumsum(mask, 1), mask), padId);
}

/** Embeddings: word + position + token type, LayerNorm, dropout. */
function embeddings(c: BertConfig, w: W, inputs: Readonly<Record<string, tf.Tensor>>, hooks: Hooks): tf.Tensor {
  const ids = inputs.input_ids;
  if (!ids) throw new Error('BERT forward needs "input_ids"');
  const [b, t] = ids.shape as [number, number];
  const positionIds =
    inputs.position_ids ??
    (c.modelType === 'bert'
      ? tf.broadcastTo(tf.reshape(tf.range(0, t, 1, 'int32'), [1, t]), [b, t])
      : robertaPositionIds(ids, c.padTokenId));
  const tokenTypes = inputs.token_type_ids ?? tf.zeros([b, t], 'int32');
  const flat = (x: tf.Tensor): tf.Tensor => tf.reshape(tf.cast(x, 'int32'), [-1]);
  const h = c.hiddenSize;
  let e = tf.gather(weight(w, 'embeddings.word_embeddings.weight'), flat(ids));
  e = tf.add(e, tf.gather(weight(w, 'embeddings.position_embeddings.weight'), flat(positionIds)));
  e = tf.add(e, tf.gather(weight(w, 'embeddings.token_type_embeddings.weight'), flat(tokenTypes)));
  e = tf.reshape(e, [b, t, h]);
  e = layerNorm(e, w.get('embeddings.LayerNorm.weight'), w.get('embeddings.LayerNorm.bias'), c.layerNormEps);
  return hooks.dropout(e, c.hiddenDropoutProb);
}

/**
 * One `BertLayer` with every adapter hook point of Python's BERT integration: self-attention,
 * in decoders with `add_cross_attention` the cross-attention over `encoder` (skipped, as in
 * transformers, when no encoder states are given), then the feed-forward block.
 */
function bertLayer(c: BertConfig, w: W, i: number, x: tf.Tensor, mask: tf.Tensor | null, encoder: CrossInput | null, hooks: Hooks): tf.Tensor {
  const p = `encoder.layer.${i}`;
  const lin = (point: Parameters<Hooks['linear']>[0], path: string, input: tf.Tensor): tf.Tensor =>
    hooks.linear(point, i, input, weight(w, `${path}.weight`), w.get(`${path}.bias`));
  let a = bertAttention(c, w, i, SELF_ATTENTION, x, x, mask, hooks);
  if (encoder) a = bertAttention(c, w, i, CROSS_ATTENTION, a, encoder.states, encoder.mask, hooks);
  // Feed-forward
  const act = getActivation(c.hiddenAct, 'hidden_act');
  const inter = act(lin('ffn.up', `${p}.intermediate.dense`, a));
  let out = lin('ffn.down', `${p}.output.dense`, inter);
  out = hooks.dropout(out, c.hiddenDropoutProb);
  const ln2 = (t: tf.Tensor): tf.Tensor =>
    layerNorm(t, w.get(`${p}.output.LayerNorm.weight`), w.get(`${p}.output.LayerNorm.bias`), c.layerNormEps);
  const y = hooks.residual('block.ffn', i, out, a, ln2);
  return hooks.layerOutput(i, y);
}

/** Encoder states and their additive `[B, 1, 1, Tk]` mask for the cross-attention of decoders. */
interface CrossInput {
  readonly states: tf.Tensor;
  readonly mask: tf.Tensor;
}

/** transformers' `invert_attention_mask` of `encoder_attention_mask` (all ones when absent), or null without cross-attention. */
function crossInput(c: BertConfig, inputs: Readonly<Record<string, tf.Tensor>>): CrossInput | null {
  const states = inputs.encoder_hidden_states;
  if (!c.addCrossAttention || !states) return null;
  const [b, t] = states.shape as [number, number, number];
  if (states.shape[2] !== c.hiddenSize) {
    throw new Error(`encoder_hidden_states must have hidden size ${c.hiddenSize} (the decoder's), got ${states.shape[2]}`);
  }
  return { states, mask: extendedAttentionMask(inputs.encoder_attention_mask ?? tf.ones([b, t], 'int32')) };
}

/**
 * BertModel / RobertaModel forward: `last_hidden_state`, `pooler_output`, optional `hidden_states`.
 * Decoders (`is_decoder`) use a causal self-attention mask; with `add_cross_attention` they read
 * `encoder_hidden_states` and the optional `encoder_attention_mask` (1 = token, 0 = padding).
 */
export function bertForward(args: ModelForwardArgs<BertConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  const ids = inputs.input_ids!;
  const [b, t] = ids.shape as [number, number];
  const mask2d = inputs.attention_mask ?? tf.ones([b, t], 'int32');
  const emb = hooks.embedding('embed.out', { hidden: embeddings(c, w, inputs, hooks), mask: mask2d });
  let h = emb.hidden;
  const m2 = emb.mask ?? tf.ones([h.shape[0]!, h.shape[1]!], 'int32');
  hooks.ctx.attentionMask = m2;
  const mask = c.isDecoder ? causalMask(m2) : extendedAttentionMask(m2);
  const encoder = crossInput(c, inputs);
  const hidden: tf.Tensor[] = [h];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    h = bertLayer(c, w, i, h, mask, encoder, hooks);
    hidden.push(h);
  }
  const out: ModelOutput = { last_hidden_state: h };
  const pw = w.get('pooler.dense.weight');
  if (pw) {
    const first = tf.squeeze(tf.slice(h, [0, 0, 0], [h.shape[0]!, 1, c.hiddenSize]), [1]);
    out.pooler_output = tf.tanh(tf.add(tf.matMul(first, pw), w.get('pooler.dense.bias')!));
  }
  if (args.outputHiddenStates) out.hidden_states = hidden;
  return out;
}
