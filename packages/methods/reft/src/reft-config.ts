import { type AdapterConfig, AdapterConfigError, configValue, pyTruthy, toNumber } from '@adapters/core';

/** The fields of a `ReftConfig` as the module uses them. */
export interface ReftSettings {
  /** `"all"` or the layer indices that get an intervention. */
  readonly layers: 'all' | readonly number[];
  readonly prefixPositions: number;
  readonly suffixPositions: number;
  readonly r: number;
  readonly orthogonality: boolean;
  readonly tiedWeights: boolean;
  readonly dropout: number;
  readonly nonLinearity: string | null;
  /** Class attribute (true; DiReFT: false) — not saved by Python, see the package README. */
  readonly subtractProjection: boolean;
  /** Python location key `output_reft`: without it no layer gets a module. */
  readonly outputReft: boolean;
  readonly initWeightsSeed: number | null;
}

function intField(c: AdapterConfig, key: string, min: number): number {
  const v = toNumber(configValue(c, key));
  if (v === undefined || !Number.isInteger(v) || v < min) throw new AdapterConfigError(`must be an integer ≥ ${min}, got ${String(configValue(c, key))}`, key);
  return v;
}

/** Reads and checks a `ReftConfig` (LoReFT / NoReFT / DiReFT or a custom one). */
export function readReftConfig(c: AdapterConfig): ReftSettings {
  const layersRaw = configValue(c, 'layers');
  let layers: 'all' | number[];
  if (layersRaw === 'all') layers = 'all';
  else if (Array.isArray(layersRaw)) layers = layersRaw.map((x) => toNumber(x) ?? Number.NaN);
  else throw new AdapterConfigError(`must be "all" or a list of layer indices, got ${JSON.stringify(layersRaw)}`, 'layers');
  if (layers !== 'all' && layers.some((x) => !Number.isInteger(x))) throw new AdapterConfigError('must be "all" or a list of integers', 'layers');
  const nl = configValue(c, 'non_linearity');
  if (nl !== null && nl !== undefined && typeof nl !== 'string') throw new AdapterConfigError('must be an activation name or null', 'non_linearity');
  const seed = configValue(c, 'init_weights_seed');
  return {
    layers,
    prefixPositions: intField(c, 'prefix_positions', 0),
    suffixPositions: intField(c, 'suffix_positions', 0),
    r: intField(c, 'r', 1),
    orthogonality: pyTruthy(configValue(c, 'orthogonality')),
    tiedWeights: pyTruthy(configValue(c, 'tied_weights')),
    dropout: toNumber(configValue(c, 'dropout')) ?? 0,
    nonLinearity: nl ?? null,
    subtractProjection: pyTruthy(configValue(c, 'subtract_projection') ?? true),
    outputReft: pyTruthy(configValue(c, 'output_reft') ?? true),
    initWeightsSeed: seed === null || seed === undefined ? null : (toNumber(seed) ?? null),
  };
}

/** Python `ReftLayer.add_adapter`: `layers == "all" or layer_idx in layers` (and the `output_reft` location). */
export function reftTargetsLayer(s: ReftSettings, layer: number): boolean {
  return s.outputReft && (s.layers === 'all' || s.layers.includes(layer));
}
