import { bert } from '@adapters/bert';
import { bottleneck } from '@adapters/bottleneck';
import type { ModelDefinition } from '@adapters/core';
import { AutoAdapterModel, type FlexHeadModel } from '@adapters/heads';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { type Batch, SeededRng } from '../src';

/** A random 2-layer BERT (hidden 16, vocab 30) with flexible heads; dropout on by default. */
export function tinyModel(dropout = 0.1): FlexHeadModel {
  return AutoAdapterModel.fromConfig(
    {
      model_type: 'bert',
      hidden_size: 16,
      num_attention_heads: 2,
      num_hidden_layers: 2,
      intermediate_size: 24,
      vocab_size: 30,
      max_position_embeddings: 16,
      hidden_dropout_prob: dropout,
      attention_probs_dropout_prob: dropout,
    },
    { model: bert as ModelDefinition<unknown>, methods: [lora, bottleneck], seed: 3, std: 0.2 },
  );
}

/** A token-id example: label 1 when token 7 occurs. */
export interface IdsExample {
  ids: number[];
  label: number;
}

/** `n` random examples of length 3–8 (ids 4…29), label = contains token 7. */
export function idsData(n: number, seed = 1): IdsExample[] {
  const rng = new SeededRng(seed);
  return Array.from({ length: n }, () => {
    const len = 3 + rng.int(6);
    const ids = [2, ...Array.from({ length: len }, () => 4 + rng.int(26)), 3];
    return { ids, label: ids.includes(7) ? 1 : 0 };
  });
}

/** Pads to the longest example (pad id 0). */
export function idsCollate(examples: readonly IdsExample[]): Batch {
  const T = Math.max(...examples.map((e) => e.ids.length));
  const ids = examples.map((e) => [...e.ids, ...new Array<number>(T - e.ids.length).fill(0)]);
  const mask = examples.map((e) => e.ids.map(() => 1).concat(new Array<number>(T - e.ids.length).fill(0)));
  const targets = examples.map((e) => e.label);
  return {
    inputs: {
      input_ids: tf.tensor2d(ids, [examples.length, T], 'int32'),
      attention_mask: tf.tensor2d(mask, [examples.length, T], 'int32'),
    },
    labels: tf.tensor1d(targets, 'int32'),
    targets,
    size: examples.length,
  };
}

/** Copies of variables' values. */
export function snapshot(vars: ReadonlyMap<string, tf.Variable>): Map<string, Float32Array> {
  return new Map([...vars].map(([k, v]) => [k, v.dataSync().slice() as Float32Array]));
}

/** Largest absolute difference between two snapshots with the same keys. */
export function maxDiff(a: ReadonlyMap<string, Float32Array>, b: ReadonlyMap<string, Float32Array>): number {
  let m = 0;
  for (const [k, x] of a) {
    const y = b.get(k);
    if (!y) throw new Error(`missing ${k}`);
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  }
  return m;
}
