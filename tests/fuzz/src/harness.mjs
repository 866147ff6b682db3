/**
 * Runs a fuzz target: `iterations` mutated inputs derived from `seed` (input i is reproducible from
 * (seed, i) alone). An input passes when the loader returns or throws one of the typed errors
 * (`isTyped`); anything else is a crash. Inputs taking longer than `hangMs` are hangs.
 */
import { FuzzRng } from './rng.mjs';

/**
 * @param {{ name: string, seeds: any[], mutate: (rng: FuzzRng, seed: any) => any, run: (input: any) => unknown }} target
 * @param {{ iterations: number, seed: number, isTyped: (e: unknown) => boolean, hangMs?: number, maxExamples?: number, leakCheck?: () => number }} opts
 */
export async function fuzzTarget(target, opts) {
  const { iterations, seed, isTyped } = opts;
  const hangMs = opts.hangMs ?? 1000;
  const maxExamples = opts.maxExamples ?? 5;
  const result = {
    target: target.name,
    seeds: target.seeds.length,
    inputs: 0,
    loaded: 0,
    rejected: 0,
    crashes: 0,
    hangs: 0,
    leaks: 0,
    maxMs: 0,
    meanMs: 0,
    errors: /** @type {Record<string, number>} */ ({}),
    crashKinds: /** @type {Record<string, number>} */ ({}),
    crashExamples: /** @type {{ index: number, seed: string, op: string, error: string }[]} */ ([]),
    hangExamples: /** @type {{ index: number, seed: string, op: string, ms: number }[]} */ ([]),
  };
  if (target.seeds.length === 0) return result;
  let total = 0;
  for (let i = 0; i < iterations; i++) {
    const rng = new FuzzRng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
    const s = rng.pick(target.seeds);
    const input = target.mutate(rng, s);
    const before = opts.leakCheck?.();
    const t0 = performance.now();
    let error;
    let ok = false;
    try {
      await target.run(input);
      ok = true;
    } catch (e) {
      error = e;
    }
    const ms = performance.now() - t0;
    result.inputs++;
    total += ms;
    if (ms > result.maxMs) result.maxMs = ms;
    if (ms > hangMs) {
      result.hangs++;
      if (result.hangExamples.length < maxExamples) result.hangExamples.push({ index: i, seed: s.name, op: input.op, ms: Math.round(ms) });
    }
    if (before !== undefined && opts.leakCheck() !== before) result.leaks++;
    if (ok) {
      result.loaded++;
      continue;
    }
    const name = error instanceof Error ? error.constructor.name : typeof error;
    result.errors[name] = (result.errors[name] ?? 0) + 1;
    if (isTyped(error)) {
      result.rejected++;
      continue;
    }
    result.crashes++;
    const msg = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error);
    const where = error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim()).join(' < ') : '';
    const kind = `${name} @ ${(where.split(' < ')[0] ?? '').replace(/^at /, '')}`;
    result.crashKinds[kind] = (result.crashKinds[kind] ?? 0) + 1;
    if (result.crashExamples.length < maxExamples) {
      result.crashExamples.push({ index: i, seed: s.name, op: input.op, error: `${msg} @ ${where}` });
    }
  }
  result.meanMs = total / Math.max(1, result.inputs);
  return result;
}
