import { type Hooks, type ModelForwardArgs, type ModelOutput, extendedAttentionMask, layerNorm } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { BertGenerationConfig } from './config';
import { encoderLayer } from './encoder';

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

/** BertGenerationEncoder forward: `last_hidden_state`, optional `hidden_states` (no pooler). */
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
  const mask = extendedAttentionMask(m2);
  const hidden: tf.Tensor[] = [h];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    h = encoderLayer(c, w, i, h, mask, hooks);
    hidden.push(h);
  }
  const out: ModelOutput = { last_hidden_state: h };
  if (args.outputHiddenStates) out.hidden_states = hidden;
  return out;
}
