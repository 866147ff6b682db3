import { AdaptersError } from '@adapters/core';

/** Learning-rate schedules of `transformers` (`SchedulerType`) implemented here. */
export const SCHEDULE_NAMES = ['constant', 'constant_with_warmup', 'linear', 'cosine'] as const;

/** A learning-rate schedule name. */
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** Options of {@link lrLambda}. */
export interface ScheduleOptions {
  /** Default `'linear'` (the `transformers` Trainer default). */
  name?: ScheduleName;
  /** Linear warm-up steps from 0 to the base rate (ignored by `'constant'`, as in `transformers`). Default 0. */
  warmupSteps?: number;
  /** Total optimizer steps (needed by `'linear'` and `'cosine'`). */
  totalSteps: number;
  /** Cosine: number of waves (default 0.5 = decrease from the peak to 0 once). */
  numCycles?: number;
}

/**
 * The multiplier of the base learning rate at optimizer step `step` (0-based; the first update
 * uses `step = 0`), with exactly the formulas of `transformers`' `get_constant_schedule`,
 * `get_constant_schedule_with_warmup`, `get_linear_schedule_with_warmup` and
 * `get_cosine_schedule_with_warmup` (as with `transformers`, warm-up gives the first update rate 0).
 */
export function lrLambda(opts: ScheduleOptions): (step: number) => number {
  const name = opts.name ?? 'linear';
  const warmup = opts.warmupSteps ?? 0;
  const total = opts.totalSteps;
  const cycles = opts.numCycles ?? 0.5;
  if (!(SCHEDULE_NAMES as readonly string[]).includes(name)) {
    throw new AdaptersError(`Unknown schedule "${name}". Accepted: ${SCHEDULE_NAMES.join(', ')}.`);
  }
  if (!Number.isInteger(warmup) || warmup < 0) throw new AdaptersError(`warmupSteps must be a non-negative integer, got ${warmup}.`);
  const warm = (s: number): number => s / Math.max(1, warmup);
  switch (name) {
    case 'constant':
      return () => 1;
    case 'constant_with_warmup':
      return (s) => (s < warmup ? warm(s) : 1);
    case 'linear':
      return (s) => (s < warmup ? warm(s) : Math.max(0, (total - s) / Math.max(1, total - warmup)));
    case 'cosine':
      return (s) => {
        if (s < warmup) return warm(s);
        const progress = (s - warmup) / Math.max(1, total - warmup);
        return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * cycles * 2 * progress)));
      };
  }
}

/** `transformers`' `get_warmup_steps`: `warmupSteps` when > 0, else `ceil(totalSteps · warmupRatio)`. */
export function warmupStepsFor(totalSteps: number, warmupSteps = 0, warmupRatio = 0): number {
  return warmupSteps > 0 ? warmupSteps : Math.ceil(totalSteps * warmupRatio);
}
