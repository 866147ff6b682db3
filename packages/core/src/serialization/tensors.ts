import * as tf from '@tensorflow/tfjs-core';
import type { RawTensor } from '../io/dtypes';
import { float32ToRaw, int32ToRaw, rawToFloat32, rawToInt32 } from '../io/convert';
import { parseSafetensors, serializeSafetensors } from '../io/safetensors';
import { parseTorchBin } from '../io/torch-bin';

/** Reads every tensor of a variable map into raw F32 tensors (for saving). */
export function variablesToRaw(vars: ReadonlyMap<string, tf.Tensor>): Map<string, RawTensor> {
  const out = new Map<string, RawTensor>();
  for (const [k, v] of vars) {
    out.set(k, v.dtype === 'int32' ? int32ToRaw(v.dataSync() as Int32Array, v.shape, 'I64') : float32ToRaw(v.dataSync() as Float32Array, v.shape));
  }
  return out;
}

/** Serialises tensors to safetensors bytes (no metadata, as Python's adapter files). */
export function tensorsToSafetensors(vars: ReadonlyMap<string, tf.Tensor>, metadata: Record<string, string> | null = null): Uint8Array {
  return serializeSafetensors(variablesToRaw(vars), metadata);
}

/** A raw tensor as a tfjs tensor (float32, or int32 for integer dtypes). */
export function rawToTensor(raw: RawTensor, file = '<tensor>', key = ''): tf.Tensor {
  const isInt = raw.dtype === 'I64' || raw.dtype === 'I32' || raw.dtype === 'I16' || raw.dtype === 'I8' || raw.dtype === 'U8' || raw.dtype === 'BOOL';
  if (isInt) return tf.tensor(rawToInt32(raw, { file, key }), [...raw.shape], 'int32');
  return tf.tensor(rawToFloat32(raw, { file, key }), [...raw.shape], 'float32');
}

/** Parses a weights file by name: `.safetensors` or PyTorch `.bin`. */
export function parseWeightsFile(bytes: Uint8Array, file: string): Map<string, RawTensor> {
  if (file.endsWith('.bin') || file.endsWith('.pt') || file.endsWith('.pth')) return parseTorchBin(bytes, file);
  return parseSafetensors(bytes, file).tensors;
}

/** Reads all tensors of a safetensors buffer as tfjs tensors (caller disposes). */
export function readSafetensorsAsTensors(bytes: Uint8Array, file = '<buffer>'): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [k, raw] of parseSafetensors(bytes, file).tensors) out.set(k, rawToTensor(raw, file, k));
  return out;
}
