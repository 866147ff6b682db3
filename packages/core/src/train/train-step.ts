import * as tf from '@tensorflow/tfjs-core';
import type { AdapterModel } from '../adapter-model';
import { NonFiniteError } from '../errors';
import { type Optimizer, clipGradNorm } from './optimizers';

/** Options of {@link trainStep}. */
export interface TrainStepOptions {
  /** Clip gradients to this global L2 norm. */
  maxGradNorm?: number;
  /** Learning rate for this step (schedules). */
  lr?: number;
  /** Step number, used in error messages. */
  step?: number;
}

/** Result of one training step. */
export interface TrainStepResult {
  loss: number;
  gradNorm?: number;
}

/**
 * One optimisation step over the model's trainable variables: computes `loss()` and its gradients
 * with tfjs autodiff, optionally clips them, and applies the optimizer. A non-finite loss or
 * gradient throws {@link NonFiniteError} (with the step number) before any update is applied.
 */
export function trainStep(model: AdapterModel, loss: () => tf.Scalar, optimizer: Optimizer, opts: TrainStepOptions = {}): TrainStepResult {
  const vars = model.trainableVariables();
  if (vars.size === 0) throw new Error('No trainable variables: call trainAdapter(...) first.');
  const list = [...vars.values()];
  const keyOf = new Map(list.map((v, i) => [v.name, [...vars.keys()][i]!]));
  const { value, grads } = tf.variableGrads(loss, list);
  const named = new Map<string, tf.Tensor>();
  for (const [vname, g] of Object.entries(grads)) named.set(keyOf.get(vname)!, g);
  try {
    const lossValue = value.dataSync()[0]!;
    const where = opts.step !== undefined ? ` at step ${opts.step}` : '';
    if (!Number.isFinite(lossValue)) throw new NonFiniteError(`Loss is ${lossValue}${where}; no update was applied.`);
    let toApply = named;
    let gradNorm: number | undefined;
    if (opts.maxGradNorm !== undefined) {
      const clipped = clipGradNorm(named, opts.maxGradNorm);
      toApply = clipped.grads;
      gradNorm = clipped.norm;
    }
    const finite = tf.tidy(() => tf.all(tf.stack([...toApply.values()].map((g) => tf.all(tf.isFinite(g))))).dataSync()[0]);
    if (!finite) {
      if (toApply !== named) for (const g of toApply.values()) g.dispose();
      throw new NonFiniteError(`Non-finite gradient${where}; no update was applied.`);
    }
    optimizer.apply(vars, toApply, opts.lr);
    if (toApply !== named) for (const g of toApply.values()) g.dispose();
    return gradNorm === undefined ? { loss: lossValue } : { loss: lossValue, gradNorm };
  } finally {
    value.dispose();
    for (const g of named.values()) g.dispose();
  }
}
