import {
  type AdapterConfig,
  type EmbeddingModule,
  type EmbeddingSite,
  type Site,
  BnConfig,
  configValue,
  defineMethod,
  isSubclassOf,
  pyTruthy,
} from '@adapters/core';
import { couplingFromParams, createCouplingParams } from './coupling';
import { embeddingSize, invertibleOptions } from './options';

/**
 * Key prefix of an adapter's invertible adapter: `invertible_adapters.<name>` at the model root, or
 * `<containerPath>.invertible_adapters.<name>` where the model keeps them in a sub-model (Python's
 * `invertible_adapters_base_name`: `encoder.` for T5/BART/PLBart/Whisper, `text_model.` for CLIP).
 */
export function invertibleKeyPrefix(adapterName: string, containerPath?: string): string {
  return `${containerPath ? `${containerPath}.` : ''}invertible_adapters.${adapterName}`;
}

/** The embedding site's {@link EmbeddingSite.containerPath} (the first embedding site of the model). */
function containerPathOf(sites: readonly Site[]): string | undefined {
  const s = sites.find((x): x is EmbeddingSite => x.kind === 'embedding');
  return s?.containerPath;
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
    const prefix = invertibleKeyPrefix(ctx.adapterName, containerPathOf(ctx.sites));
    return { params: createCouplingParams(prefix, embeddingSize(ctx), o, ctx.rng.fork('invertible')) };
  },
  createModule(site, ctx): EmbeddingModule | undefined {
    if (site.kind !== 'embedding' || !ctx.shared) return undefined;
    const o = invertibleOptions(ctx.config);
    const coupling = couplingFromParams(ctx.shared.params, invertibleKeyPrefix(ctx.adapterName, site.containerPath), o.type, embeddingSize(ctx), o.activation);
    return {
      params: new Map(),
      forward: (state) => ({ ...state, hidden: coupling.forward(state.hidden) }),
      inverse: (hidden) => coupling.inverse(hidden),
    };
  },
});
