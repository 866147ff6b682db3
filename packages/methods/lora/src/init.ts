import type { Rng } from '@adapters/core';

/** PyTorch `kaiming_uniform_(w, a)` for a `[fanOut, fanIn]` matrix: U(−b, b), b = √(6/((1+a²)·fanIn)). */
export function kaimingUniform(rng: Rng, n: number, fanIn: number, a = Math.sqrt(5)): Float32Array {
  const bound = Math.sqrt(6 / ((1 + a * a) * fanIn));
  return rng.fill(n, () => rng.uniform(-bound, bound));
}

/** N(0, std) values. */
export function normal(rng: Rng, n: number, std: number): Float32Array {
  return rng.fill(n, () => rng.normal(0, std));
}
