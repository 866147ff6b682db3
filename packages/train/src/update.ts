import { AdaptersError, NonFiniteError, type Optimizer, addMany } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradients summed over the micro-batches of one optimizer step (gradient accumulation). Holds
 * kept tensors between micro-batches; {@link dispose} frees them.
 */
export class GradientAccumulator {
  private sums: Map<string, tf.Tensor> | null = null;
  private lossSum = 0;
  private count = 0;
  private readonly keyOf: Map<string, string>;
  private readonly list: tf.Variable[];

  constructor(readonly vars: ReadonlyMap<string, tf.Variable>) {
    if (vars.size === 0) throw new AdaptersError('No trainable variables: call trainAdapter(...) / trainAdapterFusion(...) first.');
    this.list = [...vars.values()];
    const keys = [...vars.keys()];
    this.keyOf = new Map(this.list.map((v, i) => [v.name, keys[i]!]));
  }

  /** Runs `loss` with autodiff, adds its gradients and returns the loss value (one awaited read). */
  async add(loss: () => tf.Scalar): Promise<number> {
    const { value, grads } = tf.tidy(() => tf.variableGrads(loss, this.list));
    let lossValue: number;
    try {
      lossValue = (await value.data())[0]!;
    } finally {
      value.dispose();
    }
    if (this.sums === null) {
      this.sums = new Map(Object.entries(grads).map(([n, g]) => [this.keyOf.get(n)!, g]));
    } else {
      for (const [n, g] of Object.entries(grads)) {
        const k = this.keyOf.get(n)!;
        const prev = this.sums.get(k);
        this.sums.set(k, prev ? tf.tidy(() => tf.add(prev, g)) : g);
        if (prev) {
          prev.dispose();
          g.dispose();
        }
      }
    }
    this.lossSum += lossValue;
    this.count++;
    return lossValue;
  }

  /** Micro-batches accumulated. */
  get micro(): number {
    return this.count;
  }

  /** Mean loss over the micro-batches. */
  get meanLoss(): number {
    return this.count === 0 ? Number.NaN : this.lossSum / this.count;
  }

  /**
   * Averages the gradients over the micro-batches, checks them (a non-finite loss or gradient
   * throws {@link NonFiniteError} before any update), clips them to `maxGradNorm` (PyTorch
   * `clip_grad_norm_`: factor `max / (norm + 1e-6)` when the norm exceeds it) and applies the
   * optimizer with `lr`. Returns the global gradient norm before clipping. Frees the gradients.
   */
  async apply(optimizer: Optimizer, lr: number, opts: { maxGradNorm?: number | null; step?: number } = {}): Promise<number> {
    const where = opts.step !== undefined ? ` at step ${opts.step}` : '';
    try {
      if (this.sums === null || this.count === 0) throw new AdaptersError(`No gradients accumulated${where}.`);
      if (!Number.isFinite(this.meanLoss)) throw new NonFiniteError(`Loss is ${this.meanLoss}${where}; no update was applied.`);
      const sums = this.sums;
      const scale = 1 / this.count;
      const mean = new Map([...sums].map(([k, g]) => [k, this.count === 1 ? g : tf.tidy(() => tf.mul(g, scale))] as const));
      try {
        const normT = tf.tidy(() => tf.sqrt(addMany([...mean.values()].map((g) => tf.sum(tf.square(g))))));
        let norm: number;
        try {
          norm = (await normT.data())[0]!;
        } finally {
          normT.dispose();
        }
        if (!Number.isFinite(norm)) throw new NonFiniteError(`Non-finite gradient${where}; no update was applied.`);
        const max = opts.maxGradNorm;
        const factor = max === undefined || max === null ? 1 : Math.min(1, max / (norm + 1e-6));
        if (factor < 1) {
          const clipped = new Map([...mean].map(([k, g]) => [k, tf.mul(g, factor)] as const));
          optimizer.apply(this.vars, clipped, lr);
          tf.dispose([...clipped.values()]);
        } else {
          optimizer.apply(this.vars, mean, lr);
        }
        return norm;
      } finally {
        if (this.count !== 1) tf.dispose([...mean.values()]);
      }
    } finally {
      this.dispose();
    }
  }

  /** Frees the accumulated gradients and resets the counters. */
  dispose(): void {
    if (this.sums) tf.dispose([...this.sums.values()]);
    this.sums = null;
    this.lossSum = 0;
    this.count = 0;
  }
}
