import {
  type AdapterConfig,
  AdapterConfigError,
  type AttentionSite,
  type JsonValue,
  type Site,
  configValue,
  getActivation,
  pyTruthy,
  toNumber,
} from '@adapters/core';

/** The fields of a Python `PrefixTuningConfig`, read and checked. */
export interface PrefixTuningOptions {
  /** Number of prefix positions prepended to keys and values (`prefix_length`, default 30). */
  readonly prefixLength: number;
  /** Hidden size of the reparametrization MLP (`bottleneck_size`, default 512). */
  readonly bottleneckSize: number;
  /** Activation of the MLP (`non_linearity`, default `tanh`). */
  readonly nonLinearity: string | null;
  /** Dropout on the prefix states (`dropout`, default 0). */
  readonly dropout: number;
  /** Flat prefix (`flat`): a learned vector instead of the MLP. */
  readonly flat: boolean;
  /** Layers without a prefix (`leave_out`). */
  readonly leaveOut: readonly number[];
  /** Prefixes in encoder self-attention of encoder–decoder models (`encoder_prefix`). */
  readonly encoderPrefix: boolean;
  /** Prefixes in cross-attention (`cross_prefix`). */
  readonly crossPrefix: boolean;
  /** Per-layer gates on the prefix keys/values (`use_gating`). */
  readonly useGating: boolean;
  /** One gate for keys and values (`shared_gating`) instead of two. */
  readonly sharedGating: boolean;
  /** Python `init_weights_seed` (falsy: not fixed, as Python's `fix_seed`). */
  readonly initWeightsSeed: number | null;
}

function fail(field: string, message: string): never {
  throw new AdapterConfigError(`PrefixTuningConfig.${field}: ${message}`, field);
}

function positiveInt(c: AdapterConfig, field: string): number {
  const v = toNumber(configValue(c, field));
  if (v === undefined || !Number.isInteger(v) || v < 1) fail(field, `expected a positive integer, got ${JSON.stringify(configValue(c, field))}`);
  return v;
}

function intList(v: JsonValue | undefined, field: string): number[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(field, `expected a list of layer indices, got ${JSON.stringify(v)}`);
  return v.map((x) => {
    const n = toNumber(x);
    if (n === undefined) fail(field, `expected a list of layer indices, got ${JSON.stringify(v)}`);
    return n;
  });
}

/** Reads and validates a `PrefixTuningConfig` (throws {@link AdapterConfigError} naming the field). */
export function prefixTuningOptions(c: AdapterConfig): PrefixTuningOptions {
  const dropout = toNumber(configValue(c, 'dropout')) ?? 0;
  if (!(dropout >= 0 && dropout < 1)) fail('dropout', `expected a probability in [0, 1), got ${dropout}`);
  const nl = configValue(c, 'non_linearity');
  if (nl !== null && nl !== undefined && typeof nl !== 'string') fail('non_linearity', `expected a string, got ${JSON.stringify(nl)}`);
  const nonLinearity = typeof nl === 'string' ? nl.toLowerCase() : null;
  getActivation(nonLinearity, 'non_linearity');
  const seed = configValue(c, 'init_weights_seed');
  if (seed !== undefined && seed !== null && toNumber(seed) === undefined) fail('init_weights_seed', `expected an int or null, got ${JSON.stringify(seed)}`);
  return {
    prefixLength: positiveInt(c, 'prefix_length'),
    bottleneckSize: positiveInt(c, 'bottleneck_size'),
    nonLinearity,
    dropout,
    flat: pyTruthy(configValue(c, 'flat')),
    leaveOut: intList(configValue(c, 'leave_out'), 'leave_out'),
    encoderPrefix: pyTruthy(configValue(c, 'encoder_prefix')),
    crossPrefix: pyTruthy(configValue(c, 'cross_prefix')),
    useGating: pyTruthy(configValue(c, 'use_gating')),
    sharedGating: pyTruthy(configValue(c, 'shared_gating')),
    initWeightsSeed: pyTruthy(seed) ? (toNumber(seed) ?? null) : null,
  };
}

/**
 * Whether a prefix is placed at `site` (Python `PrefixTuningLayer.add_adapter` +
 * `ModelAdaptersConfig.match`): every attention site not in `leave_out`; `encoder_prefix` and
 * `cross_prefix` sites only when the config enables them (`self_prefix` sites always match).
 */
export function prefixPlaced(site: Site, o: PrefixTuningOptions): site is AttentionSite {
  if (site.kind !== 'attention') return false;
  if (o.leaveOut.includes(site.layer)) return false;
  if (site.location === 'encoder_prefix') return o.encoderPrefix;
  if (site.location === 'cross_prefix') return o.crossPrefix;
  return true;
}
