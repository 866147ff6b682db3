import type * as tf from '@tensorflow/tfjs-core';
import { type BlockType, type SetupNode, firstAdapter, flattenSetup } from './composition/blocks';
import type {
  AttentionModule,
  AttentionState,
  EmbeddingModule,
  EmbeddingState,
  FusionModule,
  LayerModule,
  LayerNormFn,
  LinearModule,
  ResidualModule,
} from './define-method';
import type { Hooks } from './define-model';
import type { ForwardContext } from './forward-context';
import { type AttentionSite, type HookPoint, type LinearSite, type ResidualSite, siteId } from './hook-points';
import type { PlacedModule } from './adapter-entry';
import { baseLinear, runLinearSite } from './layers/linear';
import { finishWithoutAdapter, runResidualSite } from './layers/residual';
import { runAttentionSite } from './layers/attention';
import { CompositionError } from './errors';

/** What the dispatcher needs from the model (kept minimal so tests can fake it). */
export interface DispatchTables {
  /** siteId → adapter name → placed module. */
  readonly modulesBySite: ReadonlyMap<string, ReadonlyMap<string, PlacedModule>>;
  /** siteId → fusion name → fusion layer. */
  readonly fusionsBySite: ReadonlyMap<string, ReadonlyMap<string, FusionModule>>;
  /** siteId → merged adapter name (merged sites skip the adapter path, as in Python). */
  readonly merged: ReadonlyMap<string, string>;
}

/**
 * Builds the {@link Hooks} for one forward pass. With no active setup (or no active adapter at
 * a site) every hook takes the fast path: the plain layer computation, nothing else allocated.
 */
export function createHooks(tables: DispatchTables, ctx: ForwardContext): Hooks {
  const setup = ctx.setup;
  const active = new Set(setup ? flattenSetup(setup) : []);

  /** Modules at a site whose adapter takes part in the setup (Python `get_active_setup`). */
  const activeAt = <M>(point: HookPoint, layer: number): Map<string, M> | null => {
    if (!setup) return null;
    const id = siteId(point, layer);
    const mods = tables.modulesBySite.get(id);
    if (!mods || mods.size === 0) return null;
    // AdapterDrop skips by Python's layer index (`Site.layer`), which may differ from the hook layer.
    if (ctx.skipLayers.has(mods.values().next().value!.site.layer)) return null;
    let any = false;
    for (const n of mods.keys()) if (active.has(n)) any = true;
    if (!any) return null;
    const out = new Map<string, M>();
    for (const [n, p] of mods) out.set(n, p.module as M);
    return out;
  };
  const supportedAt = (point: HookPoint, layer: number): BlockType[] => {
    // A block is supported at a site when every method with a module here supports it.
    const mods = tables.modulesBySite.get(siteId(point, layer));
    const lists = [...(mods?.values() ?? [])].map((p) => p.method.compositions);
    const all: BlockType[] = ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'];
    return all.filter((b) => lists.every((l) => l.includes(b)));
  };
  const siteOf = <S>(point: HookPoint, layer: number): S => {
    const mods = tables.modulesBySite.get(siteId(point, layer))!;
    return mods.values().next().value!.site as S;
  };

  return {
    ctx,
    linear(point, layer, x, weight, bias) {
      const mods = tables.merged.has(siteId(point, layer)) ? null : activeAt<LinearModule>(point, layer);
      if (!mods) return baseLinear(x, weight, bias);
      const site = siteOf<LinearSite>(point, layer);
      return runLinearSite(site, mods, setup as SetupNode, ctx, x, weight, bias, supportedAt(point, layer));
    },
    residual(point, layer, hidden, input, layerNorm: LayerNormFn | null) {
      const mods = activeAt<ResidualModule>(point, layer);
      if (!mods) {
        if (input) input = ctx.matchBatch(hidden, input);
        if (input) hidden = ctx.matchBatch(input, hidden);
        return finishWithoutAdapter(hidden, input, layerNorm);
      }
      const site = siteOf<ResidualSite>(point, layer);
      const fusions = tables.fusionsBySite.get(siteId(point, layer)) ?? new Map<string, FusionModule>();
      return runResidualSite(site, mods, fusions, setup as SetupNode, ctx, hidden, input, layerNorm, supportedAt(point, layer));
    },
    attention(point, layer, state: AttentionState) {
      const mods = activeAt<AttentionModule>(point, layer);
      if (!mods) return state;
      const site = siteOf<AttentionSite>(point, layer);
      return runAttentionSite(site, mods, setup as SetupNode, ctx, state, supportedAt(point, layer));
    },
    embedding(point, state: EmbeddingState) {
      const mods = activeAt<EmbeddingModule>(point, -1);
      if (!mods) return state;
      const first = firstAdapter(setup as SetupNode);
      const m = mods.get(first);
      if (!m) return state;
      return m.forward(state, ctx, siteOf(point, -1));
    },
    layerOutput(layer, hidden: tf.Tensor) {
      const mods = activeAt<LayerModule>('layer.out', layer);
      if (!mods) return hidden;
      const m = mods.get(firstAdapter(setup as SetupNode));
      if (!m) return hidden;
      return m.forward(hidden, ctx, siteOf('layer.out', layer));
    },
    matchBatch: (ref, t) => ctx.matchBatch(ref, t),
    matchBatches: (ts) => ctx.matchBatches(ts),
    dropout: (x, rate) => ctx.dropout(x, rate),
  };
}

/** Throws when a composition block in `setup` is not supported by a method of one of its adapters. */
export function checkSetupSupport(
  setup: SetupNode,
  methodOf: (adapter: string) => { name: string; compositions: readonly BlockType[] }[],
  modelName: string,
  modelBlocks: readonly BlockType[],
): void {
  const walk = (node: SetupNode, top: boolean): void => {
    if (typeof node === 'string') return;
    if (!(top && node.type === 'Stack' && node.children.length === 1 && typeof node.children[0] === 'string')) {
      for (const a of flattenSetup(node)) {
        for (const m of methodOf(a)) {
          if (!m.compositions.includes(node.type)) {
            throw new CompositionError(
              `${node.type} is not supported by method "${m.name}" (adapter "${a}"); it supports: ${m.compositions.join(', ') || 'no composition'}.`,
            );
          }
        }
      }
      if ((node.type === 'Parallel' || node.type === 'MultiTask') && !modelBlocks.includes(node.type)) {
        throw new CompositionError(`Models of type ${modelName} don't support adapter composition using ${node.type}.`);
      }
    }
    node.children.forEach((c) => walk(c, false));
  };
  walk(setup, true);
}
