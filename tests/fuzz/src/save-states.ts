/**
 * Deterministic save states for the crash test: state `k` is an adapter (LoRA whose rank cycles
 * 2 → 4 → 8, so a config from one state never fits the weights of the next), an AdapterFusion
 * (dynamic/static alternately: different parameter sets) and a training-checkpoint-like pair
 * (`trainer_state.json` + `optimizer.safetensors`), every value derived from `k`. The child process
 * saves states k, k+1, … in a loop; the test recomputes any state to check what it loads.
 */
import {
  type AdapterModel,
  type Storage,
  configToDict,
  createRandomModel,
  float32ToRaw,
  resolveFusionConfig,
  saveAdapter,
  serializeSafetensors,
  utf8,
  writeFilePair,
} from '@adapters/core';
import { bert } from '@adapters/bert';
import { bottleneck, saveAdapterFusion } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';

/** Folders of the three pairs inside the save directory. */
export const PAIRS = { adapter: 'adapter', fusion: 'fusion', checkpoint: 'checkpoint' } as const;

/** File names of the checkpoint-like pair. */
export const CHECKPOINT_FILES = { config: 'trainer_state.json', weights: ['optimizer.safetensors'] } as const;

/** A random 2-layer BERT (hidden 16) with two fixed bottleneck adapters `x`, `y` for the fusion. */
export function makeModel(): AdapterModel {
  const model = createRandomModel(
    bert as never,
    { model_type: 'bert', hidden_size: 16, num_attention_heads: 2, num_hidden_layers: 2, intermediate_size: 24, vocab_size: 30, max_position_embeddings: 16, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 },
    { methods: [lora, bottleneck], seed: 3, std: 0.2 },
  );
  model.addAdapter('x', 'seq_bn', { seed: 1 });
  model.addAdapter('y', 'seq_bn', { seed: 2 });
  return model;
}

/** LoRA rank of state k. */
export const rankOf = (k: number): number => [2, 4, 8][k % 3]!;

/** Values of a tensor of state k (salt: which tensor). */
export function fill(n: number, k: number, salt: number): Float32Array {
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) out[j] = Math.sin(k * 7.13 + salt * 1.7 + j * 0.37) * 0.5;
  return out;
}

function assignAll(vars: ReadonlyMap<string, tf.Variable>, k: number): void {
  [...vars.keys()].sort().forEach((key, i) => {
    const v = vars.get(key)!;
    const t = tf.tensor(fill(v.size, k, i), v.shape, 'float32');
    v.assign(t);
    t.dispose();
  });
}

/** Adapter `a` of state k (replacing any previous one). */
export function applyAdapterState(model: AdapterModel, k: number): void {
  const r = rankOf(k);
  model.addAdapter('a', `lora[r=${r}, alpha=${2 * r}]`, { overwriteOk: true });
  assignAll(model.adapterParameters('a'), k);
}

/** Fusion `x,y` of state k. */
export function applyFusionState(model: AdapterModel, k: number): void {
  const config = configToDict(resolveFusionConfig(k % 2 ? 'dynamic' : 'static'));
  model.addAdapterFusion(['x', 'y'], config, { overwriteOk: true });
  assignAll(model.fusionParameters('x,y'), k);
}

/** The checkpoint-like pair of state k: JSON text and safetensors bytes. */
export function checkpointFiles(k: number): { json: Uint8Array; weights: Uint8Array } {
  const tensors = new Map([
    ['exp_avg', float32ToRaw(fill(64, k, 1), [8, 8])],
    ['exp_avg_sq', float32ToRaw(fill(64 + (k % 3) * 8, k, 2), [8 + (k % 3), 8])],
  ]);
  return { json: utf8.encode(JSON.stringify({ global_step: k, rank: rankOf(k) })), weights: serializeSafetensors(tensors) };
}

/** Saves state k: the adapter, the fusion and the checkpoint pair, each crash-consistently. */
export async function saveState(model: AdapterModel, storage: Storage, dir: string, k: number): Promise<void> {
  applyAdapterState(model, k);
  await saveAdapter(model, storage, `${dir}/${PAIRS.adapter}`, 'a', { metaDict: { iteration: k } });
  applyFusionState(model, k);
  await saveAdapterFusion(model, storage, `${dir}/${PAIRS.fusion}`, 'x,y', { metaDict: { iteration: k } });
  const ck = checkpointFiles(k);
  await writeFilePair(storage, `${dir}/${PAIRS.checkpoint}`, CHECKPOINT_FILES, ck.json, ck.weights);
}

/** Fixed inputs for comparing outputs. */
export function inputs(): Record<string, tf.Tensor> {
  return {
    input_ids: tf.tensor2d([[2, 5, 9, 4, 3], [2, 7, 3, 0, 0]], [2, 5], 'int32'),
    attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
  };
}
