import {
  type Hooks,
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
import type { BertConfig } from './config';

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

/** One encoder layer with every adapter hook point of Python's BERT integration. */
function encoderLayer(c: BertConfig, w: W, i: number, x: tf.Tensor, mask: tf.Tensor | null, hooks: Hooks): tf.Tensor {
  const p = `encoder.layer.${i}`;
  const heads = c.numAttentionHeads;
  const lin = (point: Parameters<Hooks['linear']>[0], path: string, input: tf.Tensor): tf.Tensor =>
    hooks.linear(point, i, input, weight(w, `${path}.weight`), w.get(`${path}.bias`));
  // Self-attention
  // Parallel LoRA may replicate the batch of some projections only (Python match_attn_matrices_for_parallel).
  const [q0, k0, v0] = hooks.matchBatches([
    lin('attn.q', `${p}.attention.self.query`, x),
    lin('attn.k', `${p}.attention.self.key`, x),
    lin('attn.v', `${p}.attention.self.value`, x),
  ]) as [tf.Tensor, tf.Tensor, tf.Tensor];
  let q = splitHeads(q0, heads);
  const k = splitHeads(k0, heads);
  const v = splitHeads(v0, heads);
  const kv = hooks.attention('attn.self', i, { key: k, value: v, mask: mask ? hooks.matchBatch(k, mask) : null, hidden: x });
  q = hooks.matchBatch(kv.key, q);
  const ctxt = attention(q, kv.key, kv.value, kv.mask, 1 / Math.sqrt(c.hiddenSize / heads), (t) =>
    hooks.dropout(t, c.attentionProbsDropoutProb),
  );
  const xIn = hooks.matchBatch(kv.key, x);
  let attnOut = lin('attn.o', `${p}.attention.output.dense`, mergeHeads(ctxt));
  attnOut = hooks.dropout(attnOut, c.hiddenDropoutProb);
  const ln1 = (t: tf.Tensor): tf.Tensor =>
    layerNorm(t, w.get(`${p}.attention.output.LayerNorm.weight`), w.get(`${p}.attention.output.LayerNorm.bias`), c.layerNormEps);
  const a = hooks.residual('block.attn', i, attnOut, xIn, ln1);
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

/** BertModel / RobertaModel forward: `last_hidden_state`, `pooler_output`, optional `hidden_states`. */
export function bertForward(args: ModelForwardArgs<BertConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  const ids = inputs.input_ids!;
  const [b, t] = ids.shape as [number, number];
  const mask2d = inputs.attention_mask ?? tf.ones([b, t], 'int32');
  const emb = hooks.embedding('embed.out', { hidden: embeddings(c, w, inputs, hooks), mask: mask2d });
  let h = emb.hidden;
  const m2 = emb.mask ?? tf.ones([h.shape[0]!, h.shape[1]!], 'int32');
  hooks.ctx.attentionMask = m2;
  const mask = extendedAttentionMask(m2);
  const hidden: tf.Tensor[] = [h];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    h = encoderLayer(c, w, i, h, mask, hooks);
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
