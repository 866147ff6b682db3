import { type Hooks, type ModelForwardArgs, type ModelOutput, extendedAttentionMask, layerNorm } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { BertGenerationConfig } from './config';
import { type CrossInput, encoderLayer } from './encoder';
import { causalMask } from './masks';

type W = ReadonlyMap<string, tf.Tensor>;

function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`BERT-Generation weight ${name} is missing`);
  return t;
}

/** Embeddings: word + position (no token types), LayerNorm, dropout. */
function embeddings(c: BertGenerationConfig, w: W, inputs: Readonly<Record<string, tf.Tensor>>, ids: tf.Tensor, hooks: Hooks): tf.Tensor {
  const [b, t] = ids.shape as [number, number];
  const positionIds = inputs.position_ids ?? tf.broadcastTo(tf.reshape(tf.range(0, t, 1, 'int32'), [1, t]), [b, t]);
  const flat = (x: tf.Tensor): tf.Tensor => tf.reshape(tf.cast(x, 'int32'), [-1]);
  let e = tf.gather(weight(w, 'embeddings.word_embeddings.weight'), flat(ids));
  e = tf.add(e, tf.gather(weight(w, 'embeddings.position_embeddings.weight'), flat(positionIds)));
  e = tf.reshape(e, [b, t, c.hiddenSize]);
  e = layerNorm(e, w.get('embeddings.LayerNorm.weight'), w.get('embeddings.LayerNorm.bias'), c.layerNormEps);
  return hooks.dropout(e, c.hiddenDropoutProb);
}

/** transformers' `invert_attention_mask` of `encoder_attention_mask` (all ones when absent), or null without cross-attention. */
function crossInput(c: BertGenerationConfig, inputs: Readonly<Record<string, tf.Tensor>>): CrossInput | null {
  const states = inputs.encoder_hidden_states;
  if (!c.addCrossAttention || !states) return null;
  const [b, t] = states.shape as [number, number, number];
  if (states.shape[2] !== c.hiddenSize) {
    throw new Error(`encoder_hidden_states must have hidden size ${c.hiddenSize} (the decoder's), got ${states.shape[2]}`);
  }
  return { states, mask: extendedAttentionMask(inputs.encoder_attention_mask ?? tf.ones([b, t], 'int32')) };
}

/**
 * BertGenerationEncoder forward: `last_hidden_state`, optional `hidden_states` (no pooler). As the
 * base model of `BertGenerationDecoder` (`is_decoder`) the self-attention is causal; with
 * `add_cross_attention` it reads `encoder_hidden_states` and the optional `encoder_attention_mask`.
 */
export function bertGenerationForward(args: ModelForwardArgs<BertGenerationConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  const ids = inputs.input_ids;
  if (!ids) throw new Error('BERT-Generation forward needs "input_ids"');
  const [b, t] = ids.shape as [number, number];
  const mask2d = inputs.attention_mask ?? tf.ones([b, t], 'int32');
  const emb = hooks.embedding('embed.out', { hidden: embeddings(c, w, inputs, ids, hooks), mask: mask2d });
  let h = emb.hidden;
  const m2 = emb.mask ?? tf.ones([h.shape[0]!, h.shape[1]!], 'int32');
  hooks.ctx.attentionMask = m2;
  const mask = c.isDecoder ? causalMask(m2) : extendedAttentionMask(m2);
  const cross = crossInput(c, inputs);
  const hidden: tf.Tensor[] = [h];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    h = encoderLayer(c, w, i, h, mask, hooks, cross);
    hidden.push(h);
  }
  const out: ModelOutput = { last_hidden_state: h };
  if (args.outputHiddenStates) out.hidden_states = hidden;
  return out;
}
