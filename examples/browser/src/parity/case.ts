/**
 * The backend-parity case (browser-safe, also run in Node): a tiny random BERT with one adapter,
 * a forward pass on fixed inputs, one SGD step on a fixed loss, and the forward pass again. Every
 * number comes from seeded generators, so the same case on any backend must give the same outputs
 * up to that backend's float error. Runs on the active tfjs backend.
 */
import { bert } from '@adapters/bert';
import { bottleneck } from '@adapters/bottleneck';
import { type AdapterModel, type ConfigInput, type ModelDefinition, SGD, createRandomModel, trainStep, trainStepAsync } from '@adapters/core';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';

/** The adapter of a case. */
export type ParityMethod = 'lora' | 'seq_bn';

/** Every case, in the order the page runs them. */
export const PARITY_METHODS: readonly ParityMethod[] = ['lora', 'seq_bn'];

/** The base model: BERT, hidden 32, 2 layers, no dropout; random weights N(0, 0.1), seed 1234. */
export const PARITY_MODEL_CONFIG: Readonly<Record<string, unknown>> = {
  model_type: 'bert',
  hidden_size: 32,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  intermediate_size: 64,
  vocab_size: 50,
  max_position_embeddings: 16,
  type_vocab_size: 2,
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
};
const MODEL_SEED = 1234;
const MODEL_STD = 0.1;

/**
 * The adapters (Python config dicts). LoRA keeps Python's default init (B = 0, so its first forward
 * equals the base model's and the step moves B only); seq_bn's up-projection is non-zero from the
 * start, so every one of its weights moves.
 */
export const PARITY_ADAPTER_CONFIGS: Readonly<Record<ParityMethod, ConfigInput>> = {
  lora: { architecture: 'lora', r: 4, alpha: 8, selfattn_lora: true, intermediate_lora: true, output_lora: true, attn_matrices: ['q', 'k', 'v'] },
  seq_bn: 'seq_bn[reduction_factor=4]',
};
const ADAPTER_SEED = 99;
/** SGD learning rate of the one step (large enough that the step changes the outputs visibly). */
export const PARITY_LR = 0.5;

/** The outputs of one forward pass (flattened Float32 values). */
export interface ParityForward {
  last_hidden_state: number[];
  pooler_output: number[];
}

/** Everything a case publishes. */
export interface ParityCaseResult {
  method: ParityMethod;
  /** The tfjs backend it ran on. */
  backend: string;
  /** Forward before the step. */
  before: ParityForward;
  /** The loss of the step (before the update). */
  loss: number;
  /** Forward after the step. */
  after: ParityForward;
  /** The adapter's weights after the step, by state-dict key (flattened). */
  weights: Record<string, number[]>;
  /** Max |weight after − weight before| over the adapter's weights: how far the step moved them. */
  weightUpdate: number;
}

/** Deterministic values in [−scale, scale) (an LCG; the same numbers everywhere). */
export function seededValues(n: number, seed: number, scale = 1): Float32Array {
  const v = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return v;
}

/** Fixed inputs: batch 2 × 7, the second row padded after 4 tokens, both segment ids used. */
function inputs(): Record<string, tf.Tensor> {
  return {
    input_ids: tf.tensor2d([[2, 17, 33, 5, 41, 9, 3], [2, 44, 12, 3, 0, 0, 0]], [2, 7], 'int32'),
    attention_mask: tf.tensor2d([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0, 0]], [2, 7], 'int32'),
    token_type_ids: tf.tensor2d([[0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0]], [2, 7], 'int32'),
  };
}

/** The fixed loss: mean squared error of `last_hidden_state` to a seeded target, plus the pooler's to another. */
function fixedLoss(model: AdapterModel, x: Readonly<Record<string, tf.Tensor>>, target: tf.Tensor, pooledTarget: tf.Tensor): tf.Scalar {
  const out = model.forward(x);
  return tf.add(tf.mean(tf.squaredDifference(out.last_hidden_state, target)), tf.mean(tf.squaredDifference(out.pooler_output!, pooledTarget))) as tf.Scalar;
}

async function forward(model: AdapterModel, x: Readonly<Record<string, tf.Tensor>>): Promise<ParityForward> {
  const out = model.forward(x);
  try {
    return {
      last_hidden_state: Array.from(await out.last_hidden_state.data()),
      pooler_output: Array.from(await out.pooler_output!.data()),
    };
  } finally {
    tf.dispose([out.last_hidden_state, out.pooler_output!]);
  }
}

/**
 * Runs one case on the active backend: forward, one SGD step (`trainStepAsync` where `async`, as
 * WebGPU needs; `trainStep` otherwise), forward again; returns plain arrays.
 */
export async function runParityCase(method: ParityMethod, opts: { async?: boolean } = {}): Promise<ParityCaseResult> {
  const model = createRandomModel(bert as ModelDefinition<unknown>, PARITY_MODEL_CONFIG, { methods: [lora, bottleneck], seed: MODEL_SEED, std: MODEL_STD, modelName: 'parity-bert' });
  const x = inputs();
  const h = Number(PARITY_MODEL_CONFIG.hidden_size);
  const target = tf.tensor3d(seededValues(2 * 7 * h, 7), [2, 7, h]);
  const pooledTarget = tf.tensor2d(seededValues(2 * h, 8), [2, h]);
  const optimizer = new SGD(PARITY_LR);
  try {
    model.addAdapter(method, PARITY_ADAPTER_CONFIGS[method], { seed: ADAPTER_SEED });
    model.trainAdapter([method]);
    const params = model.adapterParameters(method);
    const keys = [...params.keys()].sort();
    const initial = await Promise.all(keys.map(async (k) => params.get(k)!.data()));
    const before = await forward(model, x);
    const loss = () => fixedLoss(model, x, target, pooledTarget);
    const step = opts.async ? await trainStepAsync(model, loss, optimizer) : trainStep(model, loss, optimizer);
    const after = await forward(model, x);
    const weights: Record<string, number[]> = {};
    let weightUpdate = 0;
    for (const [i, key] of keys.entries()) {
      const w = Array.from(await params.get(key)!.data());
      weights[key] = w;
      w.forEach((v, j) => (weightUpdate = Math.max(weightUpdate, Math.abs(v - initial[i]![j]!))));
    }
    return { method, backend: tf.getBackend(), before, loss: step.loss, after, weights, weightUpdate };
  } finally {
    optimizer.dispose();
    tf.dispose([...Object.values(x), target, pooledTarget]);
    model.dispose();
  }
}
