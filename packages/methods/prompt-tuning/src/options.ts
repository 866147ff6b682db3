import { type AdapterConfig, AdapterConfigError, configValue, pyTruthy, toNumber } from '@adapters/core';

/** Prompt initialisations: Python's two plus the TypeScript extension `from_array`. */
export type PromptInit = 'random_uniform' | 'from_string' | 'from_array';

/** How the prompt is combined with the embedded input (Python `combine`). */
export type PromptCombine = 'prefix' | 'prefix_after_bos';

/** The fields of a Python `PromptTuningConfig`, read and checked. */
export interface PromptTuningOptions {
  /** Number of prompt positions (`prompt_length`, default 10). */
  readonly promptLength: number;
  /** Initialisation (`prompt_init`, default `random_uniform`). */
  readonly promptInit: PromptInit;
  /** Text tokenised for `from_string` (`prompt_init_text`). */
  readonly promptInitText: string | null;
  /** `prefix` (default) or `prefix_after_bos`. */
  readonly combine: PromptCombine;
  /** Class attribute `random_uniform_scale` (0.5): U(−scale, scale) init. */
  readonly randomUniformScale: number;
  /** Python `init_weights_seed` (falsy: not fixed, as Python's `fix_seed`). */
  readonly initWeightsSeed: number | null;
}

function fail(field: string, message: string): never {
  throw new AdapterConfigError(`PromptTuningConfig.${field}: ${message}`, field);
}

/** Reads and validates a `PromptTuningConfig` (throws {@link AdapterConfigError} naming the field). */
export function promptTuningOptions(c: AdapterConfig): PromptTuningOptions {
  const length = toNumber(configValue(c, 'prompt_length'));
  if (length === undefined || !Number.isInteger(length) || length < 1) {
    fail('prompt_length', `expected a positive integer, got ${JSON.stringify(configValue(c, 'prompt_length'))}`);
  }
  const init = configValue(c, 'prompt_init');
  if (init !== 'random_uniform' && init !== 'from_string' && init !== 'from_array') {
    fail('prompt_init', `Unknown prompt initialization: ${String(init)} (accepted: random_uniform, from_string, from_array)`);
  }
  const text = configValue(c, 'prompt_init_text');
  if (text !== null && text !== undefined && typeof text !== 'string') fail('prompt_init_text', `expected a string, got ${JSON.stringify(text)}`);
  if (init === 'from_string' && typeof text !== 'string') fail('prompt_init_text', "Prompt text must be provided when using prompt_init='from_string'.");
  const combine = configValue(c, 'combine');
  if (combine !== 'prefix' && combine !== 'prefix_after_bos') {
    fail('combine', `Unknown combination function: ${String(combine)}. Must be one of 'prefix' or 'prefix_after_bos'.`);
  }
  const scale = toNumber(configValue(c, 'random_uniform_scale')) ?? 0.5;
  const seed = configValue(c, 'init_weights_seed');
  if (seed !== undefined && seed !== null && toNumber(seed) === undefined) fail('init_weights_seed', `expected an int or null, got ${JSON.stringify(seed)}`);
  return {
    promptLength: length,
    promptInit: init,
    promptInitText: typeof text === 'string' ? text : null,
    combine,
    randomUniformScale: scale,
    initWeightsSeed: pyTruthy(seed) ? (toNumber(seed) ?? null) : null,
  };
}
