import { type AdapterConfig, BnConfig, configValue, defineMethod, isSubclassOf, pyTruthy } from '@adapters/core';
import { createBottleneckModule } from './adapter-module';
import { bertFusionProvider } from './fusion';
import { validateBottleneckConfig } from './options';
import { bottleneckTargets } from './targets';

/**
 * True for `BnConfig`-family configs (no `architecture`) without PHM layers: `seq_bn`,
 * `double_seq_bn`, `par_bn`, `scaled_par_bn`, `AdapterPlusConfig`, `*_inv` (the invertible part is
 * left to `@adapters/invertible`) and plain `BnConfig` dicts. Compacter (`phm_layer`) is not ours.
 */
export function isPlainBottleneck(c: AdapterConfig): boolean {
  const arch = configValue(c, 'architecture');
  if (arch !== undefined && arch !== null) return false;
  return isSubclassOf(c.configClass, BnConfig) && !pyTruthy(configValue(c, 'phm_layer'));
}

/**
 * Bottleneck adapters (Houlsby et al. 2019, Pfeiffer et al. 2020, He et al. 2021 parallel
 * adapters, AdapterPlus) as in Python `adapters`: one module per residual site whose location key
 * is set (`mh_adapter` → `block.attn`, `output_adapter` → `block.ffn`, `cross_adapter` →
 * `block.cross`), plus AdapterFusion (`fuse`).
 */
export const bottleneck = defineMethod({
  name: 'bottleneck',
  kinds: ['residual'],
  container: 'adapters',
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
  accepts: isPlainBottleneck,
  // `inv_adapter` configs (seq_bn_inv, double_seq_bn_inv) also need the embedding-level part.
  requires: (config) =>
    pyTruthy(configValue(config, 'inv_adapter')) ? [{ method: 'invertible', package: '@adapters/invertible' }] : [],
  validate: (config) => validateBottleneckConfig(config),
  createModule(site, ctx) {
    if (!bottleneckTargets(site, ctx.config)) return undefined;
    return createBottleneckModule(site, ctx);
  },
  fuse: bertFusionProvider,
});
