import * as tf from '@tensorflow/tfjs-core';
import type { ModelDefinition, WeightSpec } from './define-model';
import { AdapterFormatError, ShapeMismatchError } from './errors';
import type { RawTensor } from './io/dtypes';
import { rawToFloat32 } from './io/convert';
import { Rng } from './rng';

/** Looks a tensor up by checkpoint name. */
export type TensorSource = (name: string) => RawTensor | undefined;

let variableCounter = 0;

/**
 * A uniquely named tfjs variable (tfjs requires unique variable names per engine). Takes
 * ownership of `value`: it is disposed once the variable holds its data.
 */
export function namedVariable(value: tf.Tensor, key: string, trainable = true): tf.Variable {
  const v = tf.variable(value, trainable, `${key}#${++variableCounter}`);
  value.dispose();
  return v;
}

/** `[a, b]` → transposed copy of raw float data. */
function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/**
 * Builds the base-weight variables of a model from a checkpoint. Accepts names with or without
 * the base-model prefix (e.g. `bert.`), legacy aliases, and transposes PyTorch `[out, in]` kernels.
 */
export function loadBaseWeights<Cfg>(
  def: ModelDefinition<Cfg>,
  config: Cfg,
  source: TensorSource,
  file = 'model.safetensors',
): Map<string, tf.Variable> {
  const prefix = `${def.basePrefix(config)}.`;
  const out = new Map<string, tf.Variable>();
  const missing: string[] = [];
  for (const spec of def.weightSpecs(config)) {
    const candidates = [spec.name, ...(spec.aliases ?? [])].flatMap((n) => [n, prefix + n]);
    let raw: RawTensor | undefined;
    let found = '';
    for (const n of candidates) {
      raw = source(n);
      if (raw) {
        found = n;
        break;
      }
    }
    if (!raw) {
      if (!spec.optional) missing.push(spec.name);
      continue;
    }
    out.set(spec.name, namedVariable(specTensor(spec, raw, found, file), spec.name, true));
  }
  if (missing.length > 0) {
    for (const v of out.values()) v.dispose();
    throw new AdapterFormatError(file, `missing ${missing.length} weight(s): ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''}`, missing[0]);
  }
  return out;
}

function specTensor(spec: WeightSpec, raw: RawTensor, name: string, file: string): tf.Tensor {
  const expected = spec.transposed ? [...spec.shape].reverse() : [...spec.shape];
  if (raw.shape.length !== expected.length || raw.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeMismatchError(name, expected, raw.shape, file);
  }
  let data = rawToFloat32(raw, { file, key: name });
  if (spec.transposed) data = transpose2d(data, expected[0]!, expected[1]!);
  return tf.tensor(data, [...spec.shape], 'float32');
}

/** Random base weights (N(0, std) matrices, LayerNorm ones/zeros) — for tests and benchmarks. */
export function randomBaseWeights<Cfg>(def: ModelDefinition<Cfg>, config: Cfg, seed = 0, std = 0.02): Map<string, tf.Variable> {
  const rng = new Rng(seed);
  const out = new Map<string, tf.Variable>();
  for (const spec of def.weightSpecs(config)) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const data =
      spec.init === 'ones' ? new Float32Array(n).fill(1) : spec.init === 'zeros' ? new Float32Array(n) : rng.fill(n, () => rng.normal(0, std));
    out.set(spec.name, namedVariable(tf.tensor(data, [...spec.shape], 'float32'), spec.name, true));
  }
  return out;
}
