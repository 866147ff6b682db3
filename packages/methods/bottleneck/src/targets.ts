import { type AdapterConfig, type ResidualPoint, type ResidualSite, type Site, configValue, pyTruthy } from '@adapters/core';

/** Python's `location_key` of each residual hook point. */
export const LOCATION_KEYS: Readonly<Record<ResidualPoint, 'mh_adapter' | 'output_adapter' | 'cross_adapter'>> = {
  'block.attn': 'mh_adapter',
  'block.ffn': 'output_adapter',
  'block.cross': 'cross_adapter',
};

/** Python's `location_key` of a residual site: its own `locationKey`, else the point's default. */
export function locationKeyOf(site: ResidualSite): 'mh_adapter' | 'output_adapter' | 'cross_adapter' {
  return site.locationKey ?? LOCATION_KEYS[site.point];
}

/**
 * Whether a bottleneck config places a module at `site` (Python `ModelAdaptersConfig.match` with
 * `BnConfig`): residual sites whose location key (`mh_adapter` / `output_adapter` /
 * `cross_adapter`) is truthy, except layers in `leave_out`.
 */
export function bottleneckTargets(site: Site, config: AdapterConfig): site is ResidualSite {
  if (site.kind !== 'residual') return false;
  const leaveOut = configValue(config, 'leave_out');
  if (Array.isArray(leaveOut) && leaveOut.some((l) => Number(l) === site.layer)) return false;
  return pyTruthy(configValue(config, locationKeyOf(site)));
}
