import { dense, layerNorm } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { DebertaConfig } from './config';

type W = ReadonlyMap<string, tf.Tensor>;

/**
 * `DebertaEmbeddingsWithAdapters` / `DebertaV2EmbeddingsWithAdapters`: word embeddings, plus
 * absolute positions when `position_biased_input`, plus token types when `type_vocab_size > 0`,
 * `embed_proj` (no bias) when `embedding_size != hidden_size`, LayerNorm, then multiplied by the
 * attention mask (padded positions become 0). Dropout is applied by the caller.
 */
export function debertaEmbeddings(c: DebertaConfig, w: W, inputs: Readonly<Record<string, tf.Tensor>>, mask: tf.Tensor): tf.Tensor {
  const ids = inputs.input_ids;
  if (!ids) throw new Error('DeBERTa forward needs "input_ids"');
  const [b, t] = ids.shape as [number, number];
  const flat = (x: tf.Tensor): tf.Tensor => tf.reshape(tf.cast(x, 'int32'), [-1]);
  let e = tf.gather(w.get('embeddings.word_embeddings.weight')!, flat(ids));
  if (c.positionBiasedInput) {
    const pos = inputs.position_ids ?? tf.broadcastTo(tf.reshape(tf.range(0, t, 1, 'int32'), [1, t]), [b, t]);
    e = tf.add(e, tf.gather(w.get('embeddings.position_embeddings.weight')!, flat(pos)));
  }
  if (c.typeVocabSize > 0) {
    const types = inputs.token_type_ids ?? tf.zeros([b, t], 'int32');
    e = tf.add(e, tf.gather(w.get('embeddings.token_type_embeddings.weight')!, flat(types)));
  }
  e = tf.reshape(e, [b, t, c.embeddingSize]);
  if (c.embeddingSize !== c.hiddenSize) e = dense(e, w.get('embeddings.embed_proj.weight')!);
  e = layerNorm(e, w.get('embeddings.LayerNorm.weight'), w.get('embeddings.LayerNorm.bias'), c.layerNormEps);
  return tf.mul(e, tf.expandDims(tf.cast(mask, 'float32'), 2));
}
