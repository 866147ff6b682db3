import { AdapterConfigError, type AttentionSite, type Site, siteKey } from '@adapters/core';
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
  /** Module path of the pool's sub-model (`AttentionSite.poolPath`); absent for the model's own pool. */
  readonly poolPath?: string;
}

/**
 * The pool entry of a site: its location key, scoped by the sub-model owning the pool when the
 * model has several pools (`decoder.bert:self_prefix`).
 */
export function locationScope(site: { readonly location: string; readonly poolPath?: string }): string {
  return site.poolPath ? `${site.poolPath}:${site.location}` : site.location;
}

/**
 * Counts the attention sites that get a prefix per location key and pool (in site order, which is
 * Python's `indicate_prefix` order) and assigns each placed site (by `siteKey`) its `prefix_id`: its
 * index among the placed sites of its location in its pool.
 */
export function prefixLayout(sites: readonly Site[], o: PrefixTuningOptions): { locations: PrefixLocationLayout[]; ids: Map<string, number> } {
  const byLoc = new Map<string, { first: AttentionSite; count: number }>();
  const ids = new Map<string, number>();
  for (const s of sites) {
    if (!prefixPlaced(s, o)) continue;
    const scope = locationScope(s);
    const e = byLoc.get(scope);
    if (!e) byLoc.set(scope, { first: s, count: 1 });
    else {
      if (e.first.numHeads !== s.numHeads || e.first.headDim !== s.headDim) {
        throw new AdapterConfigError(`Prefix tuning needs the same heads × head size at every ${s.location} site (${s.path} differs).`);
      }
      e.count++;
    }
    ids.set(siteKey(s), byLoc.get(scope)!.count - 1);
  }
  const locations = [...byLoc.values()].map(({ first, count }) => ({
    location: first.location,
    nLayers: count,
    nHeads: first.numHeads,
    headDim: first.headDim,
    inputSize: first.hiddenSize,
    ...(first.poolPath ? { poolPath: first.poolPath } : {}),
  }));
  return { locations, ids };
}

/** Width of the MLP output / one prefix row: `n_layers · 2 · n_heads · head_dim`. */
export function rowSize(l: PrefixLocationLayout): number {
  return l.nLayers * 2 * l.nHeads * l.headDim;
}
