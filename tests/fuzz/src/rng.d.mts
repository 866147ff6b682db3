/** Seeded PRNG of the fuzzer. */
export class FuzzRng {
  constructor(seed: number);
  u32(): number;
  float(): number;
  int(n: number): number;
  range(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  weighted(weights: readonly number[]): number;
  fork(salt: number): FuzzRng;
}
