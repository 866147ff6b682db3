import { type AdapterModel, tensorsToSafetensors } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/** The base weights in Hugging Face layout (linear kernels back to `[out, in]`) as `model.safetensors` bytes. */
export function baseWeightsSafetensors(model: AdapterModel): Uint8Array {
  const out = new Map<string, tf.Tensor>();
  for (const spec of model.definition.weightSpecs(model.config)) {
    const w = model.weights.get(spec.name);
    if (!w) throw new Error(`missing base weight ${spec.name}`);
    out.set(spec.name, spec.transposed ? tf.transpose(w) : w);
  }
  try {
    return tensorsToSafetensors(out, { format: 'pt' });
  } finally {
    for (const [k, t] of out) if (t !== model.weights.get(k)) t.dispose();
  }
}
