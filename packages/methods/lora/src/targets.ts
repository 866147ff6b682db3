import { type AdapterConfig, type LinearSite, type Site, configValue } from '@adapters/core';

/** Python's `attn_key` of a linear hook point (`q`, `k`, `v`) or null for FFN projections. */
function attnKey(point: LinearSite['point']): string | null {
  switch (point) {
    case 'attn.q':
    case 'cross.q':
      return 'q';
    case 'attn.k':
    case 'cross.k':
      return 'k';
    case 'attn.v':
    case 'cross.v':
      return 'v';
    default:
      return null;
  }
}

/**
 * Whether a LoRA-family config places a module at `site` (Python `LoRALayer._check_lora_location`
 * + `ModelAdaptersConfig.match`): `selfattn_lora` → q/k/v in `attn_matrices` (self- and
 * cross-attention), `intermediate_lora` → FFN up, `output_lora` → FFN down; `leave_out` layers skipped.
 */
export function loraTargets(site: Site, config: AdapterConfig): site is LinearSite {
  if (site.kind !== 'linear') return false;
  const leaveOut = (configValue(config, 'leave_out') as number[] | null) ?? [];
  if (leaveOut.map(Number).includes(site.layer)) return false;
  const key = attnKey(site.point);
  if (key !== null) {
    if (!configValue(config, 'selfattn_lora')) return false;
    const matrices = (configValue(config, 'attn_matrices') as string[] | null) ?? [];
    return matrices.includes(key);
  }
  if (site.point === 'ffn.up') return !!configValue(config, 'intermediate_lora');
  if (site.point === 'ffn.down') return !!configValue(config, 'output_lora');
  return false;
}

/** Reads a numeric config field (ints and Python floats alike). */
export function num(config: AdapterConfig, key: string): number {
  return Number(configValue(config, key));
}
