import { AdaptersError, type Hooks, type ModelForwardArgs, type ModelOutput, extendedAttentionMask, layerNorm } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { XmodConfig } from './config';
import { languageIds } from './language-adapter';
import { xmodLayer } from './layer';

type W = ReadonlyMap<string, tf.Tensor>;

/** RoBERTa position ids: `cumsum(ids != pad) · (ids != pad) + pad` (transformers' create_position_ids_from_input_ids). */
function positionIds(inputIds: tf.Tensor, padId: number): tf.Tensor {
  const mask = tf.cast(tf.notEqual(inputIds, padId), 'int32');
  return tf.add(tf.mul(tf.cumsum(mask, 1), mask), padId);
}

/** `XmodEmbeddings` (RoBERTa-style): word + absolute position (from the padding) + token type, LayerNorm, dropout. */
function embeddings(c: XmodConfig, w: W, inputs: Readonly<Record<string, tf.Tensor>>, hooks: Hooks): tf.Tensor {
  const ids = inputs.input_ids!;
  const [b, t] = ids.shape as [number, number];
  const flat = (x: tf.Tensor): tf.Tensor => tf.reshape(tf.cast(x, 'int32'), [-1]);
  const pos = inputs.position_ids ?? positionIds(tf.cast(ids, 'int32'), c.padTokenId);
  const types = inputs.token_type_ids ?? tf.zeros([b, t], 'int32');
  let e = tf.gather(w.get('embeddings.word_embeddings.weight')!, flat(ids));
  e = tf.add(e, tf.gather(w.get('embeddings.token_type_embeddings.weight')!, flat(types)));
  e = tf.add(e, tf.gather(w.get('embeddings.position_embeddings.weight')!, flat(pos)));
  e = layerNorm(tf.reshape(e, [b, t, c.hiddenSize]), w.get('embeddings.LayerNorm.weight'), w.get('embeddings.LayerNorm.bias'), c.layerNormEps);
  return hooks.dropout(e, c.hiddenDropoutProb);
}

/**
 * `XmodModel` forward: `last_hidden_state`, `pooler_output` (when the checkpoint has a pooler)
 * and, on request, `hidden_states`. In the Python adapters behaviour (default) `lang_ids` is
 * refused, as `XmodModelAdaptersMixin.forward` does; with `languageAdapters` each row runs through
 * its language adapter (`lang_ids`, else `default_language`).
 */
export function xmodForward(args: ModelForwardArgs<XmodConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  const ids = inputs.input_ids;
  if (!ids) throw new Error('X-MOD forward needs "input_ids"');
  const [b, t] = ids.shape as [number, number];
  if (!c.languageAdapters && inputs.lang_ids) {
    throw new AdaptersError(
      'XmodModel with adapters does not support `lang_ids` as an argument (Python adapters removes the X-MOD language adapters). Use set_active_adapters instead, or load the model with xmodWithLanguageAdapters for the transformers behaviour.',
    );
  }
  const langs = c.languageAdapters ? languageIds(c, inputs.lang_ids, b) : null;
  const mask2d = inputs.attention_mask ?? tf.ones([b, t], 'int32');
  const emb = hooks.embedding('embed.out', { hidden: embeddings(c, w, inputs, hooks), mask: mask2d });
  let h = emb.hidden;
  const m2 = emb.mask ?? tf.ones([h.shape[0]!, h.shape[1]!], 'int32');
  hooks.ctx.attentionMask = m2;
  const mask = extendedAttentionMask(m2);
  const hidden: tf.Tensor[] = [];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    hidden.push(h);
    h = xmodLayer(c, w, i, h, mask, langs, hooks);
  }
  if (c.preNorm) h = layerNorm(h, w.get('encoder.LayerNorm.weight'), w.get('encoder.LayerNorm.bias'), c.layerNormEps);
  hidden.push(h);
  const out: ModelOutput = { last_hidden_state: h };
  const pw = w.get('pooler.dense.weight');
  if (pw) {
    const first = tf.squeeze(tf.slice(h, [0, 0, 0], [-1, 1, -1]), [1]);
    out.pooler_output = tf.tanh(tf.add(tf.matMul(first, pw), w.get('pooler.dense.bias')!));
  }
  if (args.outputHiddenStates) out.hidden_states = hidden;
  return out;
}
