import type * as tf from '@tensorflow/tfjs-core';
import type { AnyAdapterConfig } from './config';
import type { AdapterMethod, FusionModule, ModuleOfKind, SharedParams } from './define-method';
import type { Site, SiteKind } from './hook-points';

/** One module of an adapter at one site. */
export interface PlacedModule {
  readonly site: Site;
  readonly method: AdapterMethod;
  readonly module: ModuleOfKind[SiteKind];
}

/** Everything the model keeps about one added adapter. */
export interface AdapterEntry {
  readonly name: string;
  readonly config: AnyAdapterConfig;
  /** The method of each part (several for ConfigUnion configs such as MAM / UniPELT). */
  readonly methods: readonly AdapterMethod[];
  /** siteId → module. */
  readonly modules: Map<string, PlacedModule>;
  /** Model-level parameters per method name. */
  readonly shared: Map<string, SharedParams>;
}

/** A fusion added over several adapters. */
export interface FusionEntry {
  readonly name: string;
  readonly adapterNames: readonly string[];
  readonly config: Readonly<Record<string, unknown>>;
  /** siteId → fusion layer. */
  readonly modules: Map<string, { site: Site; module: FusionModule }>;
}

/** The state-dict key of a module parameter (Python naming). */
export function moduleParamKey(site: Site, method: AdapterMethod, adapter: string, local: string): string {
  return `${site.path}.${method.container}.${adapter}.${local}`;
}

/** All parameters of an adapter with their state-dict keys, in creation order. */
export function adapterParams(entry: AdapterEntry): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const p of entry.modules.values()) {
    for (const [local, v] of p.module.params) out.set(moduleParamKey(p.site, p.method, entry.name, local), v);
  }
  for (const s of entry.shared.values()) for (const [k, v] of s.params) out.set(k, v);
  return out;
}

/** Keys of the adapter's parameters that must never be trained. */
export function frozenAdapterKeys(entry: AdapterEntry): Set<string> {
  const out = new Set<string>();
  for (const p of entry.modules.values()) {
    for (const local of p.module.frozen ?? []) out.add(moduleParamKey(p.site, p.method, entry.name, local));
    for (const local of p.module.buffers ?? []) out.add(moduleParamKey(p.site, p.method, entry.name, local));
  }
  for (const s of entry.shared.values()) for (const k of s.frozen ?? []) out.add(k);
  return out;
}

/** Keys of the adapter's buffers (saved like parameters, not counted as parameters; see `ModuleBase.buffers`). */
export function bufferAdapterKeys(entry: AdapterEntry): Set<string> {
  const out = new Set<string>();
  for (const p of entry.modules.values()) {
    for (const local of p.module.buffers ?? []) out.add(moduleParamKey(p.site, p.method, entry.name, local));
  }
  return out;
}

/** All parameters of a fusion with their state-dict keys (`<path>.adapter_fusion_layer.<name>.<local>`). */
export function fusionParams(entry: FusionEntry): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const { site, module } of entry.modules.values()) {
    for (const [local, v] of module.params) out.set(`${site.path}.adapter_fusion_layer.${entry.name}.${local}`, v);
  }
  return out;
}
