import * as tf from '@tensorflow/tfjs-core';
import { addMany } from '../nn';
import type { AdapterModel } from '../adapter-model';
import { asBackendOutOfMemoryError, rethrowOutOfMemory } from '../backend/out-of-memory';
import { AdaptersError, NonFiniteError } from '../errors';
import type { Optimizer } from './optimizers';

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
 * gradient throws {@link NonFiniteError} (with the step number) before any update is applied. A
 * backend that runs out of memory throws {@link BackendOutOfMemoryError} (instead of the backend's
 * raw abort).
 */
export function trainStep(model: AdapterModel, loss: () => tf.Scalar, optimizer: Optimizer, opts: TrainStepOptions = {}): TrainStepResult {
  const doing = stepLabel(opts);
  const step = rethrowOutOfMemory(doing, () => computeStep(model, loss));
  let stats: Float32Array;
  try {
    stats = step.stats.dataSync() as Float32Array;
  } catch (e) {
    disposeStep(step);
    throw asBackendOutOfMemoryError(e, doing) ?? e;
  }
  return rethrowOutOfMemory(doing, () => finishStep(step, stats, optimizer, opts));
}

function stepLabel(opts: TrainStepOptions): string {
  return opts.step !== undefined ? `training step ${opts.step}` : 'a training step';
}

/**
 * {@link trainStep} for backends that cannot read tensors synchronously (WebGPU in Node, WebGL
 * without sync reads): the one scalar read per step is awaited.
 */
export async function trainStepAsync(model: AdapterModel, loss: () => tf.Scalar, optimizer: Optimizer, opts: TrainStepOptions = {}): Promise<TrainStepResult> {
  const doing = stepLabel(opts);
  const step = rethrowOutOfMemory(doing, () => computeStep(model, loss));
  let stats: Float32Array;
  try {
    stats = (await step.stats.data()) as Float32Array;
  } catch (e) {
    disposeStep(step);
    throw asBackendOutOfMemoryError(e, doing) ?? e;
  }
  return rethrowOutOfMemory(doing, () => finishStep(step, stats, optimizer, opts));
}

interface PendingStep {
  vars: Map<string, tf.Variable>;
  value: tf.Scalar;
  grads: Map<string, tf.Tensor>;
  /** [loss, global grad L2 norm, 1 if every gradient is finite else 0] — read with ONE sync. */
  stats: tf.Tensor1D;
}

function computeStep(model: AdapterModel, loss: () => tf.Scalar): PendingStep {
  const vars = model.trainableVariables();
  if (vars.size === 0) throw new AdaptersError('No trainable variables: call trainAdapter(...) first.');
  const list = [...vars.values()];
  const keys = [...vars.keys()];
  const keyOf = new Map(list.map((v, i) => [v.name, keys[i]!]));
  const { value, grads } = tf.variableGrads(loss, list);
  const named = new Map<string, tf.Tensor>();
  for (const [vname, g] of Object.entries(grads)) named.set(keyOf.get(vname)!, g);
  const stats = tf.tidy(() => {
    const gs = [...named.values()];
    const norm = tf.sqrt(addMany(gs.map((g) => tf.sum(tf.square(g)))));
    // Any NaN/Inf gradient element makes the sum of squares non-finite (so do gradients beyond
    // ~1e19, whose squares overflow float32 — rejected as well). One reduction, no many-input stack.
    const finite = tf.cast(tf.isFinite(norm), 'float32');
    return tf.stack([tf.reshape(value, []), norm, finite]) as tf.Tensor1D;
  });
  return { vars, value, grads: named, stats };
}

function disposeStep(step: PendingStep): void {
  step.value.dispose();
  step.stats.dispose();
  for (const g of step.grads.values()) g.dispose();
}

function finishStep(step: PendingStep, stats: Float32Array, optimizer: Optimizer, opts: TrainStepOptions): TrainStepResult {
  try {
    const [lossValue, norm, finite] = [stats[0]!, stats[1]!, stats[2]!];
    const where = opts.step !== undefined ? ` at step ${opts.step}` : '';
    if (!Number.isFinite(lossValue)) throw new NonFiniteError(`Loss is ${lossValue}${where}; no update was applied.`);
    if (finite !== 1 || !Number.isFinite(norm)) throw new NonFiniteError(`Non-finite gradient${where}; no update was applied.`);
    if (opts.maxGradNorm === undefined) {
      optimizer.apply(step.vars, step.grads, opts.lr);
      return { loss: lossValue };
    }
    // PyTorch clip_grad_norm_: scale by maxNorm / (norm + 1e-6) when the norm exceeds maxNorm.
    const factor = Math.min(1, opts.maxGradNorm / (norm + 1e-6));
    if (factor < 1) {
      const scaled = new Map([...step.grads].map(([k, g]) => [k, tf.mul(g, factor)] as const));
      optimizer.apply(step.vars, scaled, opts.lr);
      for (const g of scaled.values()) g.dispose();
    } else optimizer.apply(step.vars, step.grads, opts.lr);
    return { loss: lossValue, gradNorm: norm };
  } finally {
    disposeStep(step);
  }
}
