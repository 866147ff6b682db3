import { type AdapterConfig, type LinearSite, type Site, configValue } from '@adapters/core';

/** The `attn_matrices` letter of a q/k/v hook point, or null for other projections. */
function attnKey(point: LinearSite['point']): 'q' | 'k' | 'v' | null {
  if (point === 'attn.q' || point === 'cross.q') return 'q';
  if (point === 'attn.k' || point === 'cross.k') return 'k';
  if (point === 'attn.v' || point === 'cross.v') return 'v';
  return null;
}

/**
 * Whether a LoHa config places a module at `site`: q/k/v per `attn_matrices`, FFN up per
 * `intermediate_loha`, FFN down per `output_loha`, never in `leave_out` layers. Fused q|k|v
 * projections (GPT-2 `c_attn`) are not supported by this example.
 */
export function lohaTargets(site: Site, config: AdapterConfig): site is LinearSite {
  if (site.kind !== 'linear' || site.fusedSizes) return false;
  const leaveOut = ((configValue(config, 'leave_out') as unknown[] | null) ?? []).map(Number);
  if (leaveOut.includes(site.layer)) return false;
  const key = attnKey(site.point);
  if (key !== null) return ((configValue(config, 'attn_matrices') as unknown[] | null) ?? []).includes(key);
  if (site.point === 'ffn.up') return configValue(config, 'intermediate_loha') === true;
  if (site.point === 'ffn.down') return configValue(config, 'output_loha') === true;
  return false;
}

/** A numeric config field (ints and Python floats alike). */
export function num(config: AdapterConfig, key: string): number {
  return Number(configValue(config, key));
}
