import type { Rng } from '@adapters/core';

/** Options of {@link pickToken} (the logits warpers of transformers' `generate`, in its order). */
export interface SamplingOptions {
  /** `greedy`: argmax; `sample`: draw from the warped distribution. */
  readonly strategy: 'greedy' | 'sample';
  /** Divides the logits (`sample` only; must be > 0). */
  readonly temperature: number;
  /** Keep the `topK` highest logits (ties with the k-th kept, as transformers); 0 = off. */
  readonly topK: number;
  /** Nucleus: keep the smallest set of top tokens whose probability mass exceeds `topP`; 1 = off. */
  readonly topP: number;
}

/** Index of the largest value (the first on ties, as `torch.argmax`). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** transformers `TopKLogitsWarper`: logits below the k-th largest become −∞. */
export function topKFilter(scores: Float64Array, k: number): void {
  if (k <= 0 || k >= scores.length) return;
  const sorted = Float64Array.from(scores).sort().reverse();
  const threshold = sorted[k - 1]!;
  for (let i = 0; i < scores.length; i++) if (scores[i]! < threshold) scores[i] = -Infinity;
}

/**
 * transformers `TopPLogitsWarper`: sort ascending, cumulative softmax; tokens whose cumulative
 * probability is ≤ `1 − p` become −∞ (the most likely token is always kept).
 */
export function topPFilter(scores: Float64Array, p: number): void {
  if (p >= 1) return;
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  const probs = softmax(order.map((i) => scores[i]!));
  let cum = 0;
  for (let j = 0; j < order.length - 1; j++) {
    cum += probs[j]!;
    if (cum <= 1 - p) scores[order[j]!] = -Infinity;
  }
}

/** Numerically stable softmax (−∞ entries get probability 0). */
export function softmax(values: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  const out = new Float64Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += out[i] = Math.exp(values[i]! - max);
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** One draw from a categorical distribution with a uniform `u ∈ [0, 1)`. */
export function drawCategorical(probs: Float64Array, u: number): number {
  let cum = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i]! <= 0) continue;
    last = i;
    cum += probs[i]!;
    if (u < cum) return i;
  }
  return last; // rounding: u ≥ Σp
}

/** Chooses the next token from one row of logits: argmax, or temperature → top-k → top-p → sample. */
export function pickToken(logits: ArrayLike<number>, opts: SamplingOptions, rng: Rng): number {
  if (opts.strategy === 'greedy') return argmax(logits);
  const scores = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) scores[i] = logits[i]! / opts.temperature;
  topKFilter(scores, opts.topK);
  topPFilter(scores, opts.topP);
  return drawCategorical(softmax(scores), rng.next());
}
