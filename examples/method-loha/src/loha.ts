import { type AdapterConfig, defineMethod, isConfigInstanceOf } from '@adapters/core';
import { LoHaConfig } from './config';
import { createLohaModule } from './module';
import { lohaTargets } from './targets';

/**
 * LoHa (Hyeon-Woo et al. 2022, "FedPara"; PEFT `LoHaConfig`): ΔW = (B1·A1) ⊙ (B2·A2) · alpha/r on
 * linear sites. State-dict keys: `<site path>.lohas.<adapter>.hada_w{1,2}_{a,b}`.
 */
export const loha = defineMethod({
  name: 'loha',
  kinds: ['linear'],
  container: 'lohas',
  compositions: ['Stack', 'BatchSplit', 'Parallel', 'Average'],
  accepts: (config: AdapterConfig) => isConfigInstanceOf(config, LoHaConfig),
  createModule(site, ctx) {
    return lohaTargets(site, ctx.config) ? createLohaModule(site, ctx) : undefined;
  },
});
