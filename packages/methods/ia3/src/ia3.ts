import { configValue, defineMethod } from '@adapters/core';
import { createMergedLinearModule, loraTargets, mergedLinearTargets } from '@adapters/lora';
import { createIa3Module } from './ia3-module';

/**
 * (IA)³ (Liu et al. 2022) as in Python `adapters`: `LoRAConfig` with `composition_mode="scale"`
 * (identifier `ia3`: keys, values and the FFN intermediate projection).
 */
export const ia3 = defineMethod({
  name: 'ia3',
  kinds: ['linear'],
  container: 'loras',
  compositions: ['Stack', 'BatchSplit', 'Average', 'Parallel', 'MultiTask'],
  accepts: (c) => configValue(c, 'architecture') === 'lora' && configValue(c, 'composition_mode') === 'scale',
  createModule(site, ctx) {
    // Fused q|k|v projections (GPT-2 c_attn): Python LoRAMergedLinear in scale mode, single adapter only.
    if (site.kind === 'linear' && site.fusedSizes) return mergedLinearTargets(site, ctx.config) ? createMergedLinearModule(site, ctx) : undefined;
    if (!loraTargets(site, ctx.config)) return undefined;
    return createIa3Module(site, ctx);
  },
});
