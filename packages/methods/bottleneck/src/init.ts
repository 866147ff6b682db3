import type { Rng } from '@adapters/core';

/** The initialisation schemes of Python's `Adapter` (`init_weights`). */
export type InitScheme = 'bert' | 'mam_adapter' | 'houlsby';

/** The accepted `init_weights` values. */
export const INIT_SCHEMES: readonly InitScheme[] = ['bert', 'mam_adapter', 'houlsby'];

/** N(0, std) values (`init_bert_weights`: std 0.02). */
export function normalInit(rng: Rng, n: number, std: number): Float32Array {
  return rng.fill(n, () => rng.normal(0, std));
}

/**
 * PyTorch `kaiming_uniform_(w, a)` for a `[fanOut, fanIn]` matrix: U(−b, b) with
 * b = √(6 / ((1 + a²)·fanIn)). With a = √5 (nn.Linear's default) b = 1/√fanIn.
 */
export function kaimingUniformInit(rng: Rng, n: number, fanIn: number, a = Math.sqrt(5)): Float32Array {
  const bound = Math.sqrt(6 / ((1 + a * a) * fanIn));
  return rng.fill(n, () => rng.uniform(-bound, bound));
}

/** nn.Linear's default bias init: U(−1/√fanIn, 1/√fanIn). */
export function linearBiasInit(rng: Rng, n: number, fanIn: number): Float32Array {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return rng.fill(n, () => rng.uniform(-bound, bound));
}

/** PyTorch `trunc_normal_(w, mean, std, a, b)`: N(mean, std) restricted to [a, b] (rejection sampling). */
export function truncNormalInit(rng: Rng, n: number, std: number, lo: number, hi: number, mean = 0): Float32Array {
  return rng.fill(n, () => {
    for (;;) {
      const v = rng.normal(mean, std);
      if (v >= lo && v <= hi) return v;
    }
  });
}
