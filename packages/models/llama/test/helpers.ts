import * as tf from '@tensorflow/tfjs-core';

/** A tiny Llama config (GQA: 4 query heads, 2 kv heads, head_dim 4). */
export const tinyConfig = {
  model_type: 'llama',
  vocab_size: 40,
  hidden_size: 16,
  intermediate_size: 24,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 64,
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
} as const;

/** Fixed token ids `[B, T]` with values in [3, 40). */
export function ids(rows: number[][]): tf.Tensor {
  return tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');
}

/** Two rows of 7 tokens, the second right-padded by 2. */
export const tinyInputs = (): Record<string, tf.Tensor> => ({
  input_ids: ids([
    [5, 9, 12, 3, 33, 7, 21],
    [8, 4, 17, 30, 11, 0, 0],
  ]),
  attention_mask: ids([
    [1, 1, 1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1, 0, 0],
  ]),
});

/** `x[:, a:b]` along the sequence axis (axis 1 for `[B, T, H]`, axis 2 for `[B, heads, T, d]`). */
export function seqSlice(x: tf.Tensor, a: number, b: number, axis = 1): tf.Tensor {
  const begin = x.shape.map((_, i) => (i === axis ? a : 0));
  const size = x.shape.map((d, i) => (i === axis ? b - a : d));
  return tf.slice(x, begin, size);
}
