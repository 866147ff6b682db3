import {
  type AdapterConfig,
  type AdapterMethod,
  AdapterConfigError,
  BnConfig,
  configValue,
  defineMethod,
  isSubclassOf,
  pyTruthy,
} from '@adapters/core';
import { bertFusionProvider, bottleneckTargets, createBottleneckModule, validateBottleneckConfig } from '@adapters/bottleneck';
import { phmOptions } from './options';
import type { CompacterFixes } from './phm-init';
import { phmProjection } from './phm-layer';
import { createPhmShared } from './shared';

/**
 * True for `BnConfig`-family configs (no `architecture`) with `phm_layer: true`: `compacter`,
 * `compacter++` and any such dict (Python `match(config_type=BnConfig, location_key="phm_layer")`).
 */
export function isCompacterConfig(c: AdapterConfig): boolean {
  const arch = configValue(c, 'architecture');
  if (arch !== undefined && arch !== null) return false;
  return isSubclassOf(c.configClass, BnConfig) && pyTruthy(configValue(c, 'phm_layer'));
}

/**
 * Validates a Compacter config: every bottleneck field, every `phm_*` field, and the cases
 * Python 1.1.0 cannot build (throws {@link AdapterConfigError} naming the field).
 */
export function validateCompacterConfig(config: AdapterConfig, fixes: CompacterFixes = {}): void {
  validateBottleneckConfig(config);
  const o = phmOptions(config);
  const init = configValue(config, 'init_weights');
  if (init !== 'bert') {
    // Python's Adapter calls `nn.init.*_(layer.weight)` on the PHM layers: AttributeError.
    throw new AdapterConfigError(
      `init_weights=${JSON.stringify(init)} fails in Python with PHM layers ('PHMLayer' object has no attribute 'weight'); only "bert" works with phm_layer`,
      'init_weights',
    );
  }
  if (o.sharedW && !o.factorizedW && !fixes.sharedUnfactorizedW) {
    throw new AdapterConfigError(
      'shared_W_phm with factorized_phm_W=false fails in Python 1.1.0 (init_shared_parameters reads an undefined ' +
        '`_in_feats_per_axis`); use factorized_phm_W=true or createCompacter({ sharedUnfactorizedW: true })',
      'factorized_phm_W',
    );
  }
}

/**
 * Builds the Compacter method. `createCompacter()` (exported as {@link compacter}) reproduces
 * Python 1.1.0; pass {@link CompacterFixes} to opt in to corrections of its quirks.
 */
export function createCompacter(fixes: CompacterFixes = {}): AdapterMethod {
  const projection = phmProjection(fixes);
  return defineMethod({
    name: 'compacter',
    kinds: ['residual'],
    container: 'adapters',
    compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
    accepts: isCompacterConfig,
    // An `inv_adapter` on a Compacter config also needs the embedding-level invertible adapter.
    requires: (config) =>
      pyTruthy(configValue(config, 'inv_adapter')) ? [{ method: 'invertible', package: '@adapters/invertible' }] : [],
    validate: (config) => validateCompacterConfig(config, fixes),
    createShared: (ctx) => createPhmShared(ctx, fixes),
    createModule(site, ctx) {
      if (!bottleneckTargets(site, ctx.config)) return undefined;
      return createBottleneckModule(site, ctx, { down: projection, up: projection });
    },
    fuse: bertFusionProvider,
  });
}

/**
 * Compacter and Compacter++ (Mahabadi et al. 2021) as in Python `adapters`: bottleneck adapters
 * whose projections are PHM layers (`phm_layer: true`), with the PHM rule shared per adapter in
 * `shared_parameters.<name>.*`. Reproduces Python 1.1.0 (see {@link createCompacter} for fixes).
 */
export const compacter: AdapterMethod = createCompacter();
