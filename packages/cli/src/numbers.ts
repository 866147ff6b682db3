import { CliUsageError } from './args';

/** An integer option (`undefined` when absent); names the option and the accepted range. */
export function intOption(command: string, name: string, value: unknown, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new CliUsageError(`${command}: --${name} must be an integer ≥ ${min} (got "${String(value)}")`);
  }
  return n;
}

/** A finite number option, optionally bounded below (`undefined` when absent). */
export function numberOption(command: string, name: string, value: unknown, opts: { min?: number; exclusiveMin?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  const min = opts.min ?? Number.NEGATIVE_INFINITY;
  const bad = !Number.isFinite(n) || (opts.exclusiveMin ? n <= min : n < min);
  if (bad) {
    const range = opts.min === undefined ? 'a number' : `a number ${opts.exclusiveMin ? '>' : '≥'} ${opts.min}`;
    throw new CliUsageError(`${command}: --${name} must be ${range} (got "${String(value)}")`);
  }
  return n;
}
