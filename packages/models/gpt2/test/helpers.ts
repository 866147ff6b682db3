import { type AdapterMethod, type AdapterModel, createRandomModel, loadPretrained } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { gpt2 } from '../src';

/** The fixtures' tiny GPT-2 (`models/tiny-gpt2`). */
export function tinyGpt2(methods: AdapterMethod[] = []): Promise<AdapterModel> {
  return loadPretrained(nodeStorage, fixturePath('models', 'tiny-gpt2'), { model: gpt2 as never, methods });
}

/** A small GPT-2 config for conformance tests. */
export const smallConfig = { model_type: 'gpt2', n_embd: 16, n_head: 2, n_layer: 2, n_positions: 32, vocab_size: 30, resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0 };

/** A random 2-layer GPT-2 (hidden 16). */
export function randomGpt2(methods: AdapterMethod[] = [], seed = 7): AdapterModel {
  return createRandomModel(gpt2 as never, smallConfig, { methods, seed, std: 0.2 });
}

/** Inputs for {@link randomGpt2}: batch 2 × 5, row 1 right-padded. */
export function randomGpt2Inputs(): Record<string, tf.Tensor> {
  return {
    input_ids: tf.tensor2d([[2, 5, 9, 4, 3], [2, 7, 3, 0, 0]], [2, 5], 'int32'),
    attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
  };
}
