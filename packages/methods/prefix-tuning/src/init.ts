import type { Rng } from '@adapters/core';

/**
 * PyTorch's default `nn.Linear` init for a `[out, in]` weight or an `[out]` bias: U(−1/√in, 1/√in)
 * (`kaiming_uniform_(a=√5)` for the weight gives the same bound).
 */
export function linearDefault(rng: Rng, n: number, fanIn: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  return rng.fill(n, () => rng.uniform(-bound, bound));
}

/** N(mean, std) values (`nn.Embedding` default: N(0, 1); `torch.randn`). */
export function normalValues(rng: Rng, n: number, std = 1): Float32Array {
  return rng.fill(n, () => rng.normal(0, std));
}
