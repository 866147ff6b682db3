import { type AdapterModel, type AdapterSetup, Parallel, SGD, createRandomModel, trainStep } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { TinyModel } from './models';
import { METHODS } from './plugins';
import type { MethodColumn } from './table';

/** What one supported pair did. */
export interface PairRun {
  /** Forward output before training (eval mode) was finite, with shape `[B', T', H]`. */
  forwardShape: number[];
  forwardFinite: boolean;
  loss: number;
  /** State-dict keys whose values changed in the step. */
  changed: string[];
  /** Keys of the trained adapters' trainable parameters. */
  trainable: Set<string>;
  /** Adapter keys that must not move (frozen shared matrices, buffers). */
  frozen: Set<string>;
  /** Base-weight keys. */
  baseKeys: Set<string>;
}

/** Builds the tiny model with every method plugin. */
export function buildModel(m: TinyModel): AdapterModel {
  return createRandomModel(m.def, m.config, { methods: METHODS, seed: 3, std: 0.2 });
}

/** Adds the column's adapter(s) and returns the setup to activate. */
export function addColumn(model: AdapterModel, col: MethodColumn): AdapterSetup {
  if (col.composition === 'Parallel') {
    model.addAdapter('a', col.config, { seed: 1 });
    model.addAdapter('b', col.config, { seed: 2 });
    return Parallel('a', 'b');
  }
  model.addAdapter('a', col.config, { seed: 1 });
  return 'a';
}

function snapshot(vars: Iterable<[string, tf.Variable]>): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [k, v] of vars) out.set(k, Float32Array.from(v.dataSync() as Float32Array));
  return out;
}

function allVariables(model: AdapterModel): [string, tf.Variable][] {
  const out: [string, tf.Variable][] = [...model.weights];
  for (const name of model.adapterNames) out.push(...model.adapterParameters(name));
  return out;
}

/**
 * `mean((h·P)²)` with a fixed random `P` (`[H, 3]`). Not `mean(h²)`: after a final LayerNorm or
 * RMSNorm with unit gain, `mean(h²)` is constant (≈ 1) and its gradient vanishes.
 */
export function projectionLoss(h: tf.Tensor): tf.Scalar {
  const size = h.shape[h.rank - 1]!;
  const p = tf.randomNormal([size, 3], 0, 1, 'float32', 11);
  return tf.mean(tf.square(tf.matMul(tf.reshape(h, [-1, size]), p)));
}

/** Forward (eval), then `trainAdapter` and one SGD step (lr 0.1) on {@link projectionLoss}. */
export function runPair(m: TinyModel, col: MethodColumn): PairRun {
  const model = buildModel(m);
  const inputs = m.inputs();
  try {
    const setup = addColumn(model, col);
    model.setActiveAdapters(setup);
    const outputs = model.forward(inputs, { training: false });
    const out = outputs.last_hidden_state;
    const forwardShape = out.shape;
    const forwardFinite = tf.tidy(() => tf.all(tf.isFinite(out)).dataSync()[0] === 1);
    tf.dispose(Object.values(outputs).flat().filter((t): t is tf.Tensor => t !== undefined));

    model.trainAdapter(setup);
    const trainable = new Set(model.trainableVariables().keys());
    const frozen = new Set<string>();
    for (const name of model.adapterNames) {
      for (const k of model.frozenAdapterParameters(name)) frozen.add(k);
      for (const k of model.adapterBuffers(name)) frozen.add(k);
    }
    const vars = allVariables(model);
    const before = snapshot(vars);
    const lossOf = (): tf.Scalar => {
      const o = model.forward(inputs);
      const keys = m.lossOutputs ?? ['last_hidden_state'];
      return tf.addN(keys.map((k) => projectionLoss(o[k] as tf.Tensor))) as tf.Scalar;
    };
    const { loss } = trainStep(model, lossOf, new SGD(0.1));
    const after = snapshot(vars);
    const changed = [...before].filter(([k, v]) => after.get(k)!.some((x, i) => x !== v[i])).map(([k]) => k);
    return { forwardShape, forwardFinite, loss, changed, trainable, frozen, baseKeys: new Set(model.weights.keys()) };
  } finally {
    tf.dispose(Object.values(inputs));
    model.dispose();
  }
}

/** Adds and activates the column on the model, expecting a throw; returns the error. */
export function rejectPair(m: TinyModel, col: MethodColumn): unknown {
  const model = buildModel(m);
  try {
    const setup = addColumn(model, col);
    model.setActiveAdapters(setup);
    return undefined;
  } catch (e) {
    return e;
  } finally {
    model.dispose();
  }
}
