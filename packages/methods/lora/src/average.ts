import type { AverageInput, AverageStrategy } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { jacobiSvd, thinQr } from './svd';

const rows = (t: tf.Tensor): number[][] => t.arraySync() as number[][];

/**
 * `lora_linear_only_negate_b` (Zhang et al. 2023): like `linear`, but a negative weight negates
 * only B; A is combined with |w|.
 */
export const negateBAverage: AverageStrategy = (inputs) => {
  const out = new Map<string, tf.Tensor>();
  for (const [k] of inputs[0]!.params) {
    if (!k.includes('lora_A') && !k.includes('lora_B')) throw new Error(`Key must either contain 'lora_A' or 'lora_B' but is ${k}.`);
    const w = (i: AverageInput): number => (k.includes('lora_A') ? Math.abs(i.weight) : i.weight);
    out.set(k, tf.addN(inputs.map((i) => tf.mul(i.params.get(k)!, w(i)))));
  }
  return out;
};

/**
 * `lora_delta_w_svd`: ΔW = Σ wᵢ·Bᵢ·Aᵢ, then the rank-`svdRank` SVD split A = Vᵀ[:r], B = U[:, :r]·S[:r]
 * (as Python). ΔW has rank ≤ Σ rᵢ, so the SVD is computed exactly from QR factors of the stacked
 * B's and A's (no dense out×in SVD).
 */
export const deltaWSvdAverage: AverageStrategy = (inputs, { svdRank }) => {
  if (svdRank === undefined) throw new Error("svd_rank must be set when using 'lora_delta_w_svd'.");
  // Bcat = [w₁B₁ | w₂B₂ | …] (out × R), Acat = [A₁; A₂; …] (R × in): ΔW = Bcat·Acat.
  const bcat = tf.concat(inputs.map((i) => tf.mul(i.params.get('lora_B')!, i.weight)), 1);
  const acat = tf.concat(inputs.map((i) => i.params.get('lora_A')!), 0);
  const qb = thinQr(rows(bcat));
  const qa = thinQr(rows(tf.transpose(acat)));
  // M = Rb·Raᵀ (R × R); ΔW = Qb·M·Qaᵀ
  const R = qb.r.length;
  const m = qb.r.map((row) => Array.from({ length: R }, (_, j) => row.reduce((acc, x, k) => acc + x * qa.r[j]![k]!, 0)));
  const { u, s, v } = jacobiSvd(m);
  const r = Math.min(svdRank, R);
  const out = qb.q.length;
  const inF = qa.q.length;
  const bNew = new Float32Array(out * svdRank);
  const aNew = new Float32Array(svdRank * inF);
  for (let c = 0; c < r; c++) {
    for (let i = 0; i < out; i++) {
      let x = 0;
      for (let k = 0; k < R; k++) x += qb.q[i]![k]! * u[k]![c]!;
      bNew[i * svdRank + c] = x * s[c]!;
    }
    for (let j = 0; j < inF; j++) {
      let x = 0;
      for (let k = 0; k < R; k++) x += qa.q[j]![k]! * v[k]![c]!;
      aNew[c * inF + j] = x;
    }
  }
  return new Map([
    ['lora_A', tf.tensor2d(aNew, [svdRank, inF])],
    ['lora_B', tf.tensor2d(bNew, [out, svdRank])],
  ]);
};

/** LoRA's averaging strategies beyond `linear`. */
export const LORA_AVERAGE_STRATEGIES = {
  lora_linear_only_negate_b: negateBAverage,
  lora_delta_w_svd: deltaWSvdAverage,
} as const;
