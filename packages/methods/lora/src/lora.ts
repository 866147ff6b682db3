import { type AdapterConfig, defineMethod } from '@adapters/core';
import { isAdditiveLora, usesDora, usesVera } from './family';
import { LORA_AVERAGE_STRATEGIES } from './average';
import { createLoraModule } from './lora-module';
import { createMergedLinearModule, mergedLinearTargets } from './merged-linear';
import { loraTargets } from './targets';

/** True for `LoRAConfig`-family configs in additive mode without VeRA/DoRA extras (those are `vera`, `dora`, `dvora`). */
function isPlainLora(c: AdapterConfig): boolean {
  return isAdditiveLora(c) && !usesVera(c) && !usesDora(c);
}

/**
 * LoRA (Hu et al. 2021) as in Python `adapters`: low-rank updates on q/k/v (per `attn_matrices`),
 * FFN up (`intermediate_lora`) and FFN down (`output_lora`) projections.
 */
export const lora = defineMethod({
  name: 'lora',
  kinds: ['linear'],
  container: 'loras',
  compositions: ['Stack', 'BatchSplit', 'Average', 'Parallel', 'MultiTask'],
  accepts: isPlainLora,
  averageStrategies: LORA_AVERAGE_STRATEGIES,
  createModule(site, ctx) {
    // Fused q|k|v projections (GPT-2 c_attn): Python LoRAMergedLinear, single adapter only.
    if (site.kind === 'linear' && site.fusedSizes) return mergedLinearTargets(site, ctx.config) ? createMergedLinearModule(site, ctx) : undefined;
    if (!loraTargets(site, ctx.config)) return undefined;
    return createLoraModule(site, ctx);
  },
});
