import { type AdapterMethod, type AdapterModel, createRandomModel } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { gptj } from '../src';

/** A small GPT-J config (head 8, partial rotary 4) for conformance tests. */
export const smallConfig = { model_type: 'gptj', n_embd: 16, n_head: 2, n_layer: 2, n_positions: 32, n_inner: 24, rotary_dim: 4, vocab_size: 30 };

/** A random 2-layer GPT-J (hidden 16). */
export function randomGptj(methods: AdapterMethod[] = [], seed = 7, config: Record<string, unknown> = smallConfig): AdapterModel {
  return createRandomModel(gptj as never, config, { methods, seed, std: 0.2 });
}

/** Inputs for {@link randomGptj}: batch 2 × 5, row 1 right-padded. */
export function randomGptjInputs(): Record<string, tf.Tensor> {
  return {
    input_ids: tf.tensor2d([[2, 5, 9, 4, 3], [2, 7, 3, 0, 0]], [2, 5], 'int32'),
    attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
  };
}
