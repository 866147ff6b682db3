import * as tf from '@tensorflow/tfjs-core';

/** A tiny Whisper config for closed-form tests. */
export const tinyConfig = {
  model_type: 'whisper',
  d_model: 16,
  encoder_layers: 2,
  decoder_layers: 2,
  encoder_attention_heads: 2,
  decoder_attention_heads: 2,
  encoder_ffn_dim: 24,
  decoder_ffn_dim: 24,
  num_mel_bins: 8,
  max_source_positions: 6,
  max_target_positions: 20,
  vocab_size: 30,
  decoder_start_token_id: 3,
  eos_token_id: 2,
  pad_token_id: 1,
};
export const tinyInputs = (): Record<string, tf.Tensor> => ({
  input_features: tf.randomNormal([2, 8, 12], 0, 1, 'float32', 7),
  decoder_input_ids: tf.tensor2d([[3, 5, 9, 4, 7], [3, 7, 6, 1, 1]], [2, 5], 'int32'),
  decoder_attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
});
