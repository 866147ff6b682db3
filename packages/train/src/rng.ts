/**
 * A seeded generator whose whole state is one 32-bit integer (mulberry32), so that a checkpoint can
 * save it and a resumed run continues the exact same sequence (dropout seeds, data order).
 */
export class SeededRng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** The generator state (save it in a checkpoint). */
  get state(): number {
    return this.s;
  }

  /** Restores a state returned by {@link state}. */
  set state(value: number) {
    this.s = value >>> 0;
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A seed for one tfjs random op (dropout): a non-negative integer below 2³¹. */
  nextSeed(): number {
    return this.nextUint32() & 0x7fffffff;
  }
}

/** Mixes numbers and strings into one 32-bit seed (FNV-1a over their text, then avalanche). */
export function mixSeed(...parts: readonly (number | string)[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const s = `${typeof p}:${String(p)}|`;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/** A permutation of `0…n−1` (Fisher–Yates) determined by `seed` alone. */
export function shuffledIndices(n: number, seed: number): number[] {
  const rng = new SeededRng(seed);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** `items` in the order of {@link shuffledIndices}`(items.length, seed)`. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  return shuffledIndices(items.length, seed).map((i) => items[i]!);
}
