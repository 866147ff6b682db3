import {
  type AdapterConfig,
  AdapterConfigError,
  type JsonValue,
  configValue,
  isJsonObject,
  isPythonFloat,
  pyTruthy,
  toNumber,
} from '@adapters/core';
import { bottleneckActivation } from './activations';
import { INIT_SCHEMES, type InitScheme } from './init';
import { pyFloorDiv } from './py-math';

/** Python `scaling`: a float factor, a learned scalar or a learned per-channel vector. */
export type ScalingOption = number | 'learned' | 'channel';

/** Python `residual_before_ln`: `true`, `false` or `"post_add"`. */
export type ResidualBeforeLn = boolean | 'post_add';

/**
 * The fields of a `BnConfig` that shape one adapter module, validated and typed. Everything a
 * projection builder (e.g. Compacter's PHM layers) may need is here too.
 */
export interface BottleneckOptions {
  /** Hidden size of the site (Python `input_size`). */
  readonly inputSize: number;
  /** Bottleneck size: `max(1, int(hidden // reduction_factor))`. */
  readonly downSample: number;
  /** Lower-cased `non_linearity`. */
  readonly nonLinearity: string;
  readonly originalLnBefore: boolean;
  readonly originalLnAfter: boolean;
  readonly lnBefore: boolean;
  readonly lnAfter: boolean;
  readonly residualBeforeLn: ResidualBeforeLn;
  readonly adapterResidualBeforeLn: boolean;
  readonly initWeights: InitScheme;
  /** Python `init_weights_seed` (a falsy seed means "not fixed", as Python's `fix_seed`). */
  readonly initWeightsSeed: number | null;
  readonly isParallel: boolean;
  readonly scaling: ScalingOption;
  readonly useGating: boolean;
  readonly dropout: number;
  readonly stochasticDepth: number;
}

function fail(field: string, msg: string): never {
  throw new AdapterConfigError(msg, field);
}

function numberField(c: AdapterConfig, field: string, fallback: number): number {
  const v = configValue(c, field);
  if (v === undefined || v === null) return fallback;
  const n = toNumber(v);
  if (n === undefined || typeof v === 'boolean') fail(field, `expected a number, got ${JSON.stringify(v)}`);
  return n;
}

/** A probability; Python's `nn.Dropout` rejects p < 0, `stochastic_depth` < 0 simply disables it. */
function probability(c: AdapterConfig, field: string, allowNegative = false): number {
  const p = numberField(c, field, 0);
  if (!(p <= 1) || (!allowNegative && p < 0)) fail(field, `must be a probability in [0, 1], got ${p}`);
  return p;
}

/** Python `isinstance(config["scaling"], float)` / `"learned"` / `"channel"`; anything else (ints included) is an error. */
function scalingOption(c: AdapterConfig): ScalingOption {
  const v = configValue(c, 'scaling');
  if (isPythonFloat(v)) return toNumber(v)!;
  if (v === 'learned' || v === 'channel') return v;
  return fail('scaling', `Unknown scaling type: ${JSON.stringify(v)} (expected a float, "learned" or "channel"; an int is not a float in Python — write pyFloat(${JSON.stringify(v)}) for an integral float)`);
}

function residualBeforeLnOption(c: AdapterConfig): ResidualBeforeLn {
  const v = configValue(c, 'residual_before_ln');
  if (v === true) return true;
  if (v === 'post_add') return 'post_add';
  if (!pyTruthy(v)) return false;
  // Python leaves `residual` unassigned for any other truthy value (UnboundLocalError at forward time).
  return fail('residual_before_ln', `must be true, false or "post_add", got ${JSON.stringify(v)}`);
}

function initScheme(c: AdapterConfig): InitScheme {
  const v = configValue(c, 'init_weights');
  if (typeof v === 'string' && (INIT_SCHEMES as readonly string[]).includes(v)) return v as InitScheme;
  return fail('init_weights', `Unknown init_weights type: ${JSON.stringify(v)} (expected ${INIT_SCHEMES.join(', ')})`);
}

/**
 * The reduction factor at a layer (Python `BottleneckLayer.add_adapter`): a number, or a mapping
 * with string layer keys and an optional `"default"`.
 */
export function reductionFactorAt(c: AdapterConfig, layer: number): number {
  const v = configValue(c, 'reduction_factor');
  let rf: JsonValue | undefined = v;
  if (isJsonObject(v)) {
    const key = String(layer);
    if (Object.prototype.hasOwnProperty.call(v, key)) rf = v[key];
    else if (Object.prototype.hasOwnProperty.call(v, 'default')) rf = v.default;
    else {
      fail(
        'reduction_factor',
        'The given reduction factor mapping does not give a default value and does not specify each reduction factor ' +
          `individually (no entry for layer ${layer}). You need to provide a default value like this: {"1": 16, "default": 16}`,
      );
    }
  }
  const n = toNumber(rf);
  if (n === undefined || typeof rf === 'boolean') fail('reduction_factor', `expected a number or a mapping, got ${JSON.stringify(rf)}`);
  if (n === 0) fail('reduction_factor', 'must not be 0 (division by zero)');
  return n;
}

/** `max(1, int(hidden // rf))` with Python's floor division (ints and floats alike). */
export function bottleneckSize(hidden: number, rf: number): number {
  const d = Math.trunc(pyFloorDiv(hidden, rf));
  return d < 1 ? 1 : d;
}

/** Validates the layer-independent fields of a bottleneck config (throws {@link AdapterConfigError} naming the field). */
export function validateBottleneckConfig(c: AdapterConfig): void {
  bottleneckActivation(configValue(c, 'non_linearity'));
  initScheme(c);
  scalingOption(c);
  residualBeforeLnOption(c);
  probability(c, 'dropout');
  probability(c, 'stochastic_depth', true);
  const rf = configValue(c, 'reduction_factor');
  if (!isJsonObject(rf)) reductionFactorAt(c, 0);
  else for (const [k, x] of Object.entries(rf)) if (toNumber(x) === undefined) fail('reduction_factor', `entry "${k}" is not a number`);
  const seed = configValue(c, 'init_weights_seed');
  if (seed !== undefined && seed !== null && toNumber(seed) === undefined) fail('init_weights_seed', `expected an int or null, got ${JSON.stringify(seed)}`);
}

/** Reads the options of the module at one layer (see {@link BottleneckOptions}). */
export function bottleneckOptions(c: AdapterConfig, layer: number, hiddenSize: number): BottleneckOptions {
  const nonLinearity = configValue(c, 'non_linearity');
  bottleneckActivation(nonLinearity);
  const seed = configValue(c, 'init_weights_seed');
  const seedNum = seed === undefined || seed === null ? null : (toNumber(seed) ?? null);
  return {
    inputSize: hiddenSize,
    downSample: bottleneckSize(hiddenSize, reductionFactorAt(c, layer)),
    nonLinearity: String(nonLinearity).toLowerCase(),
    originalLnBefore: pyTruthy(configValue(c, 'original_ln_before')),
    originalLnAfter: pyTruthy(configValue(c, 'original_ln_after')),
    lnBefore: pyTruthy(configValue(c, 'ln_before')),
    lnAfter: pyTruthy(configValue(c, 'ln_after')),
    residualBeforeLn: residualBeforeLnOption(c),
    adapterResidualBeforeLn: pyTruthy(configValue(c, 'adapter_residual_before_ln')),
    initWeights: initScheme(c),
    initWeightsSeed: seedNum ? seedNum : null,
    isParallel: pyTruthy(configValue(c, 'is_parallel')),
    scaling: scalingOption(c),
    useGating: pyTruthy(configValue(c, 'use_gating')),
    dropout: probability(c, 'dropout'),
    stochasticDepth: probability(c, 'stochastic_depth', true),
  };
}
