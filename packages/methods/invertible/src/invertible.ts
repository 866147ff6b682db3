import {
  type AdapterConfig,
  type EmbeddingModule,
  BnConfig,
  configValue,
  defineMethod,
  isSubclassOf,
  pyTruthy,
} from '@adapters/core';
import { couplingFromParams, createCouplingParams } from './coupling';
import { embeddingSize, invertibleOptions } from './options';

/** Model-level key prefix of an adapter's invertible adapter: `invertible_adapters.<name>`. */
export function invertibleKeyPrefix(adapterName: string): string {
  return `invertible_adapters.${adapterName}`;
}

/**
 * True for `BnConfig`-family configs (no `architecture`) with a truthy `inv_adapter`
 * (`seq_bn_inv`, `double_seq_bn_inv`, a Compacter with `inv_adapter`, any such dict): Python's
 * `match(config_type=BnConfig, location_key="inv_adapter")`.
 */
export function hasInvertibleAdapter(c: AdapterConfig): boolean {
  const arch = configValue(c, 'architecture');
  if (arch !== undefined && arch !== null) return false;
  return isSubclassOf(c.configClass, BnConfig) && pyTruthy(configValue(c, 'inv_adapter'));
}

/**
 * MAD-X invertible adapters (Pfeiffer et al. 2020) as in Python `adapters`: one NICE or GLOW
 * coupling block per adapter on the embedding output (`embed.out`), with its inverse exposed as
 * `EmbeddingModule.inverse` for LM heads. Parameters are model-level:
 * `invertible_adapters.<name>.{F,G}.{0,2}.{weight,bias}` (GLOW: `s1`, `s2`). Only the first
 * adapter of the active setup is applied, whatever the composition (as Python).
 */
export const invertible = defineMethod({
  name: 'invertible',
  kinds: ['embedding'],
  container: 'invertible_adapters',
  // Python applies the first adapter's invertible adapter under any composition block.
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
  firstAdapterOnly: true,
  accepts: hasInvertibleAdapter,
  validate: (config) => void invertibleOptions(config),
  createShared(ctx) {
    const o = invertibleOptions(ctx.config);
    const prefix = invertibleKeyPrefix(ctx.adapterName);
    return { params: createCouplingParams(prefix, embeddingSize(ctx), o, ctx.rng.fork('invertible')) };
  },
  createModule(site, ctx): EmbeddingModule | undefined {
    if (site.kind !== 'embedding' || !ctx.shared) return undefined;
    const o = invertibleOptions(ctx.config);
    const coupling = couplingFromParams(ctx.shared.params, invertibleKeyPrefix(ctx.adapterName), o.type, embeddingSize(ctx), o.activation);
    return {
      params: new Map(),
      forward: (state) => ({ ...state, hidden: coupling.forward(state.hidden) }),
      inverse: (hidden) => coupling.inverse(hidden),
    };
  },
});
