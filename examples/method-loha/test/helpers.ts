import { bert } from '@adapters/bert';
import { type AdapterMethod, type AdapterModel, createRandomModel } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/** A random 2-layer BERT (hidden 16) with the given methods. */
export function randomBert(methods: AdapterMethod[]): AdapterModel {
  return createRandomModel(
    bert as never,
    { model_type: 'bert', hidden_size: 16, num_attention_heads: 2, num_hidden_layers: 2, intermediate_size: 24, vocab_size: 30, max_position_embeddings: 16, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 },
    { methods, seed: 7, std: 0.2 },
  );
}

/** Inputs for {@link randomBert}: batch 2 × 5 with padding in row 1. */
export function randomBertInputs(): Record<string, tf.Tensor> {
  return {
    input_ids: tf.tensor2d([[2, 5, 9, 4, 3], [2, 7, 3, 0, 0]], [2, 5], 'int32'),
    attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
  };
}
