import * as tf from '@tensorflow/tfjs-core';

/** A tiny BART config (post-LN) for closed-form tests. */
export const tinyBart = {
  model_type: 'bart',
  d_model: 16,
  encoder_layers: 2,
  decoder_layers: 3,
  encoder_attention_heads: 2,
  decoder_attention_heads: 4,
  encoder_ffn_dim: 20,
  decoder_ffn_dim: 24,
  max_position_embeddings: 12,
  vocab_size: 30,
  dropout: 0.1,
  pad_token_id: 1,
  decoder_start_token_id: 2,
};

/** A tiny mBART config (pre-LN, final layer norms, scaled embeddings). */
export const tinyMbart = { ...tinyBart, model_type: 'mbart', scale_embedding: true, decoder_layers: 2 };

/** A tiny PLBart config (post-LN, scaled embeddings by default). */
export const tinyPlbart = { ...tinyBart, model_type: 'plbart' };

/** Inputs for the tiny configs: encoder row 1 padded, decoder row 1 padded at the end. */
export const tinyInputs = (): Record<string, tf.Tensor> => ({
  input_ids: tf.tensor2d([[5, 9, 4, 7, 11, 3], [8, 6, 2, 1, 1, 1]], [2, 6], 'int32'),
  attention_mask: tf.tensor2d([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0]], [2, 6], 'int32'),
  decoder_input_ids: tf.tensor2d([[2, 5, 9, 4, 7], [2, 7, 6, 1, 1]], [2, 5], 'int32'),
  decoder_attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
});
