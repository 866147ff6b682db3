import * as tf from '@tensorflow/tfjs-core';
import { addMany } from '../nn';

/** A named-gradient optimizer over variables keyed by state-dict name. */
export interface Optimizer {
  /** Applies one update. `grads` keys match `vars` keys. */
  apply(vars: ReadonlyMap<string, tf.Variable>, grads: ReadonlyMap<string, tf.Tensor>, lr?: number): void;
  /** Serialisable state (moments, step) for checkpoints. */
  state(): Map<string, tf.Tensor>;
  /** Restores {@link state}. */
  loadState(state: ReadonlyMap<string, tf.Tensor>): void;
  /** Current base learning rate. */
  readonly lr: number;
  dispose(): void;
}

/** Plain SGD (PyTorch `torch.optim.SGD` with momentum 0): `p ← p − lr·g`. */
export class SGD implements Optimizer {
  constructor(readonly lr: number) {}
  apply(vars: ReadonlyMap<string, tf.Variable>, grads: ReadonlyMap<string, tf.Tensor>, lr = this.lr): void {
    tf.tidy(() => {
      for (const [k, g] of grads) {
        const v = vars.get(k);
        if (v) v.assign(tf.sub(v, tf.mul(g, lr)));
      }
    });
  }
  state(): Map<string, tf.Tensor> {
    return new Map();
  }
  loadState(): void {}
  dispose(): void {}
}

/** Options of {@link AdamW}. */
export interface AdamWOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay (PyTorch AdamW default 0.01). */
  weightDecay?: number;
}

/**
 * AdamW with decoupled weight decay, exactly PyTorch's `torch.optim.AdamW` update:
 * `p ← p·(1 − lr·wd)`; `m ← β1·m + (1−β1)·g`; `v ← β2·v + (1−β2)·g²`;
 * `p ← p − lr·(m/(1−β1ᵗ)) / (sqrt(v/(1−β2ᵗ)) + eps)`.
 */
export class AdamW implements Optimizer {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(opts: AdamWOptions) {
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0.01;
  }

  apply(vars: ReadonlyMap<string, tf.Variable>, grads: ReadonlyMap<string, tf.Tensor>, lr = this.lr): void {
    this.step++;
    const bc1 = 1 - this.beta1 ** this.step;
    const bc2 = 1 - this.beta2 ** this.step;
    tf.tidy(() => {
      for (const [k, g] of grads) {
        const p = vars.get(k);
        if (!p) continue;
        let m = this.m.get(k);
        let v = this.v.get(k);
        if (!m) this.m.set(k, (m = tf.variable(tf.zerosLike(p), false)));
        if (!v) this.v.set(k, (v = tf.variable(tf.zerosLike(p), false)));
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const decayed = this.weightDecay ? tf.mul(p, 1 - lr * this.weightDecay) : p;
        const denom = tf.add(tf.sqrt(tf.div(v, bc2)), this.eps);
        p.assign(tf.sub(decayed, tf.mul(tf.div(tf.div(m, bc1), denom), lr)));
      }
    });
  }

  state(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    out.set('step', tf.scalar(this.step, 'int32'));
    for (const [k, t] of this.m) out.set(`exp_avg.${k}`, t.clone());
    for (const [k, t] of this.v) out.set(`exp_avg_sq.${k}`, t.clone());
    return out;
  }

  loadState(state: ReadonlyMap<string, tf.Tensor>): void {
    this.dispose();
    for (const [k, t] of state) {
      if (k === 'step') this.step = t.dataSync()[0]!;
      else if (k.startsWith('exp_avg_sq.')) this.v.set(k.slice(11), tf.variable(t.clone(), false));
      else if (k.startsWith('exp_avg.')) this.m.set(k.slice(8), tf.variable(t.clone(), false));
    }
  }

  /** Number of updates applied. */
  get steps(): number {
    return this.step;
  }

  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}

/**
 * Scales gradients so their global L2 norm is at most `maxNorm` (PyTorch `clip_grad_norm_`,
 * factor `maxNorm / (norm + 1e-6)` when the norm exceeds it). Returns the new gradients and the
 * norm before clipping.
 */
export function clipGradNorm(grads: ReadonlyMap<string, tf.Tensor>, maxNorm: number): { grads: Map<string, tf.Tensor>; norm: number } {
  const norm = tf.tidy(() => tf.sqrt(addMany([...grads.values()].map((g) => tf.sum(tf.square(g))))).dataSync()[0]!);
  const factor = Math.min(1, maxNorm / (norm + 1e-6));
  const out = new Map<string, tf.Tensor>();
  for (const [k, g] of grads) out.set(k, factor < 1 ? tf.mul(g, factor) : g.clone());
  return { grads: out, norm };
}
