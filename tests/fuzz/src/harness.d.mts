import type { FuzzRng } from './rng.mjs';

/** One fuzz target (see targets.mjs). */
export interface FuzzTarget<S = unknown, I extends { op: string } = { op: string }> {
  name: string;
  seeds: S[];
  mutate(rng: FuzzRng, seed: S): I;
  run(input: I): unknown;
}

/** Options of {@link fuzzTarget}. */
export interface FuzzOptions {
  iterations: number;
  seed: number;
  isTyped(e: unknown): boolean;
  hangMs?: number;
  maxExamples?: number;
  leakCheck?(): number;
}

/** What a fuzz run found. */
export interface FuzzResult {
  target: string;
  seeds: number;
  inputs: number;
  loaded: number;
  rejected: number;
  crashes: number;
  hangs: number;
  leaks: number;
  maxMs: number;
  meanMs: number;
  errors: Record<string, number>;
  /** Crash counts by error class and throwing frame. */
  crashKinds: Record<string, number>;
  crashExamples: { index: number; seed: string; op: string; error: string }[];
  hangExamples: { index: number; seed: string; op: string; ms: number }[];
}

export function fuzzTarget(target: FuzzTarget<any, any>, opts: FuzzOptions): Promise<FuzzResult>;
