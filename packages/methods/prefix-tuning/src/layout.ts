import { AdapterConfigError, type AttentionSite, type Site, siteId } from '@adapters/core';
import { type PrefixTuningOptions, prefixPlaced } from './options';

/** Sizes of one location's prefix (Python `PrefixTuningPool.prefix_counts[name][location]`). */
export interface PrefixLocationLayout {
  /** `self_prefix`, `encoder_prefix` or `cross_prefix`. */
  readonly location: string;
  /** Number of layers with a prefix at this location (Python `n_layers`). */
  readonly nLayers: number;
  /** Key/value heads (Python `num_key_value_heads` or `num_attention_heads`). */
  readonly nHeads: number;
  /** Per-head size (Python `n_embd_per_head`). */
  readonly headDim: number;
  /** Model hidden size (Python `input_size`): width of `wte` and of the MLP input. */
  readonly inputSize: number;
}

/**
 * Counts the attention sites that get a prefix per location key (in site order, which is Python's
 * `indicate_prefix` order) and assigns each placed site (by `siteId`) its `prefix_id`: its index
 * among the placed sites of its location.
 */
export function prefixLayout(sites: readonly Site[], o: PrefixTuningOptions): { locations: PrefixLocationLayout[]; ids: Map<string, number> } {
  const byLoc = new Map<string, { first: AttentionSite; count: number }>();
  const ids = new Map<string, number>();
  for (const s of sites) {
    if (!prefixPlaced(s, o)) continue;
    const e = byLoc.get(s.location);
    if (!e) byLoc.set(s.location, { first: s, count: 1 });
    else {
      if (e.first.numHeads !== s.numHeads || e.first.headDim !== s.headDim) {
        throw new AdapterConfigError(`Prefix tuning needs the same heads × head size at every ${s.location} site (${s.path} differs).`);
      }
      e.count++;
    }
    ids.set(siteId(s.point, s.layer), byLoc.get(s.location)!.count - 1);
  }
  const locations = [...byLoc].map(([location, { first, count }]) => ({
    location,
    nLayers: count,
    nHeads: first.numHeads,
    headDim: first.headDim,
    inputSize: first.hiddenSize,
  }));
  return { locations, ids };
}

/** Width of the MLP output / one prefix row: `n_layers · 2 · n_heads · head_dim`. */
export function rowSize(l: PrefixLocationLayout): number {
  return l.nLayers * 2 * l.nHeads * l.headDim;
}
