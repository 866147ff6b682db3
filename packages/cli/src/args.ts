import { parseArgs } from 'node:util';

/** A usage error: names the argument at fault and the accepted values. Exit code 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** Option spec for {@link parseCommand}. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** Parses `argv` strictly: unknown options and missing values become {@link CliUsageError}s. */
export function parseCommand(command: string, argv: string[], options: OptionSpec): Record<string, string | string[] | boolean | undefined> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new CliUsageError(`${command}: unexpected argument "${positionals[0]}"`);
    return values as Record<string, string | string[] | boolean | undefined>;
  } catch (e) {
    if (e instanceof CliUsageError) throw e;
    const known = Object.keys(options).map((o) => `--${o}`).join(', ');
    throw new CliUsageError(`${command}: ${(e as Error).message}. Accepted options: ${known}`);
  }
}

/** A required string option. */
export function requireString(command: string, values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new CliUsageError(`${command}: --${name} is required`);
  return v;
}

/** A string option restricted to `choices`. */
export function choice<T extends string>(command: string, name: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    throw new CliUsageError(`${command}: --${name} must be one of ${choices.join(', ')} (got "${String(value)}")`);
  }
  return value as T;
}
