import { bert } from '@adapters/bert';
import { bottleneck } from '@adapters/bottleneck';
import type { AdapterMethod, ModelDefinition } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, readFixtureTensors } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { AutoAdapterModel, type FlexHeadModel } from '../src';

/** The fixtures' tiny BERT as a flex-head model (BertAdapterModel). */
export function tinyBert(methods: AdapterMethod[] = [bottleneck, lora]): Promise<FlexHeadModel> {
  return AutoAdapterModel.fromPretrained(nodeStorage, fixturePath('models', 'tiny-bert'), { model: bert as ModelDefinition<unknown>, methods });
}

/** The fixture inputs (`io/inputs.safetensors`). */
export function fixtureInputs(): Record<string, tf.Tensor> {
  return Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
}

/** A random 2-layer BERT (hidden 16, vocab 30) as a flex-head model. */
export function randomBert(methods: AdapterMethod[] = [lora]): FlexHeadModel {
  return AutoAdapterModel.fromConfig(
    {
      model_type: 'bert',
      hidden_size: 16,
      num_attention_heads: 2,
      num_hidden_layers: 2,
      intermediate_size: 24,
      vocab_size: 30,
      max_position_embeddings: 16,
      hidden_dropout_prob: 0,
      attention_probs_dropout_prob: 0,
    },
    { model: bert as ModelDefinition<unknown>, methods, seed: 7, std: 0.2 },
  );
}

/** Inputs for {@link randomBert}: batch 2 × 5 with padding in row 1. */
export function randomInputs(): Record<string, tf.Tensor> {
  return {
    input_ids: tf.tensor2d([[2, 5, 9, 4, 3], [2, 7, 3, 0, 0]], [2, 5], 'int32'),
    attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
  };
}

/** Disposes every tensor of a record. */
export function disposeAll(r: Record<string, tf.Tensor | tf.Tensor[] | undefined>): void {
  for (const v of Object.values(r)) if (v) tf.dispose(v);
}
