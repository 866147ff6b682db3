import { type AdapterMethod, type AdapterModel, createRandomModel } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { tinyTransformer } from '../src';

/** A 2-layer tiny transformer (width 16, 2 heads) `config.json`. */
export const smallConfig = { model_type: 'tiny-transformer', vocab_size: 30, d_model: 16, n_heads: 2, n_layers: 2, d_ff: 24, max_positions: 16, dropout: 0 };

/** A random tiny transformer with the given methods. */
export function randomTiny(methods: AdapterMethod[]): AdapterModel {
  return createRandomModel(tinyTransformer as never, smallConfig, { methods, seed: 3, std: 0.2 });
}

/** Batch 2 × 5, row 1 padded. */
export function tinyInputs(): Record<string, tf.Tensor> {
  return {
    input_ids: tf.tensor2d([[2, 5, 9, 4, 3], [2, 7, 3, 0, 0]], [2, 5], 'int32'),
    attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
  };
}
