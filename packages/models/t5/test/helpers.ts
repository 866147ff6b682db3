import * as tf from '@tensorflow/tfjs-core';

/** A tiny T5 (v1.0: ReLU `wi`) config for closed-form tests. */
export const tinyT5 = {
  model_type: 't5',
  d_model: 16,
  d_kv: 6,
  d_ff: 20,
  num_layers: 2,
  num_decoder_layers: 3,
  num_heads: 2,
  relative_attention_num_buckets: 8,
  relative_attention_max_distance: 12,
  dropout_rate: 0.1,
  feed_forward_proj: 'relu',
  vocab_size: 30,
};

/** A tiny mT5 (gated-gelu `wi_0` / `wi_1`) config. */
export const tinyMt5 = { ...tinyT5, model_type: 'mt5', feed_forward_proj: 'gated-gelu', num_decoder_layers: 2 };

/** Inputs for the tiny configs: encoder row 1 padded, decoder row 1 padded at the end. */
export const tinyInputs = (): Record<string, tf.Tensor> => ({
  input_ids: tf.tensor2d([[5, 9, 4, 7, 11, 3], [8, 6, 2, 0, 0, 0]], [2, 6], 'int32'),
  attention_mask: tf.tensor2d([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0]], [2, 6], 'int32'),
  decoder_input_ids: tf.tensor2d([[0, 5, 9, 4, 7], [0, 7, 6, 0, 0]], [2, 5], 'int32'),
  decoder_attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
});
