import { type AdapterConfig, AdapterConfigError, configValue, isPythonFloat, pyTruthy, toNumber } from '@adapters/core';

/** Python `hypercomplex_nonlinearity` values accepted by `PHMLayer` (its assert). */
export const HYPERCOMPLEX_INITS = ['phm', 'glorot-normal', 'glorot-uniform', 'normal'] as const;

/** The `hypercomplex_nonlinearity` option: which initialiser the W matrices are meant to get. */
export type HypercomplexInit = (typeof HYPERCOMPLEX_INITS)[number];

/** Python `phm_c_init` values: initialisation of the PHM rule. */
export const PHM_C_INITS = ['normal', 'uniform'] as const;

/** The `phm_c_init` option. */
export type PhmCInit = (typeof PHM_C_INITS)[number];

/** The `phm_*` fields of a Compacter (`BnConfig` with `phm_layer: true`), validated and typed. */
export interface PhmOptions {
  /** `phm_dim` (n): number of Kronecker summands; in/out features must be divisible by it. */
  readonly phmDim: number;
  /** `phm_rank`: inner rank of the factorised W. */
  readonly phmRank: number;
  /** `factorized_phm_W`: W = W_left · W_right (per summand). */
  readonly factorizedW: boolean;
  /** `shared_W_phm`: W lives in the adapter's shared parameters (`W_down_*`, `W_up_*`). */
  readonly sharedW: boolean;
  /** `shared_phm_rule`: the rule lives in the adapter's shared parameters. */
  readonly sharedRule: boolean;
  /** `factorized_phm_rule`: rule = rule_left · rule_right. */
  readonly factorizedRule: boolean;
  /** `phm_c_init`. */
  readonly cInit: PhmCInit;
  /** `phm_init_range`: std of the shared rule's normal init (and of W under the `normal` init). */
  readonly initRange: number;
  /** `learn_phm`: false freezes the rule. */
  readonly learnPhm: boolean;
  /** `hypercomplex_nonlinearity`. */
  readonly wInit: HypercomplexInit;
  /** `phm_bias`: the layer has a bias `b`. */
  readonly bias: boolean;
}

function fail(field: string, msg: string): never {
  throw new AdapterConfigError(msg, field);
}

/** A Python `int` field ≥ 1 (Python builds tensors of that size: floats raise a TypeError there). */
function positiveInt(c: AdapterConfig, field: string, fallback: number): number {
  const v = configValue(c, field);
  if (v === undefined) return fallback;
  const n = toNumber(v);
  if (n === undefined || isPythonFloat(v) || typeof v === 'boolean' || !Number.isInteger(n) || n < 1) {
    fail(field, `expected a positive int, got ${JSON.stringify(v)}`);
  }
  return n;
}

function choice<T extends string>(c: AdapterConfig, field: string, allowed: readonly T[], fallback: T): T {
  const v = configValue(c, field);
  if (v === undefined) return fallback;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  // Python: `assert config[...] in [...]` in PHMLayer.__init__.
  return fail(field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)}`);
}

function flag(c: AdapterConfig, field: string, fallback: boolean): boolean {
  const v = configValue(c, field);
  return v === undefined ? fallback : pyTruthy(v);
}

/** Reads and validates the `phm_*` fields (defaults as Python's `BnConfig`); throws {@link AdapterConfigError} naming the field. */
export function phmOptions(c: AdapterConfig): PhmOptions {
  const range = configValue(c, 'phm_init_range');
  const initRange = range === undefined ? 0.0001 : toNumber(range);
  if (initRange === undefined || typeof range === 'boolean') fail('phm_init_range', `expected a number, got ${JSON.stringify(range)}`);
  return {
    phmDim: positiveInt(c, 'phm_dim', 4),
    phmRank: positiveInt(c, 'phm_rank', 1),
    factorizedW: flag(c, 'factorized_phm_W', true),
    sharedW: flag(c, 'shared_W_phm', false),
    sharedRule: flag(c, 'shared_phm_rule', true),
    factorizedRule: flag(c, 'factorized_phm_rule', false),
    cInit: choice(c, 'phm_c_init', PHM_C_INITS, 'normal'),
    initRange,
    learnPhm: flag(c, 'learn_phm', true),
    wInit: choice(c, 'hypercomplex_nonlinearity', HYPERCOMPLEX_INITS, 'glorot-uniform'),
    bias: flag(c, 'phm_bias', true),
  };
}

/** Python's `assert features % phm_dim == 0` of `PHMLayer`, as an {@link AdapterConfigError} naming `phm_dim`. */
export function checkDivisible(features: number, phmDim: number, which: 'in_features' | 'out_features', where: string): void {
  if (features % phmDim !== 0) {
    fail(
      'phm_dim',
      `${which}=${features} of the PHM layer at ${where} is not divisible by phm_dim=${phmDim} ` +
        '(the bottleneck size is max(1, hidden // reduction_factor): lower reduction_factor or change phm_dim)',
    );
  }
}
