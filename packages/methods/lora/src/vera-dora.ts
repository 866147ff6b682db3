import { type AdapterConfig, AdapterConfigError, type LinearModule, type MethodInitContext, type Site, defineMethod } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { withDora } from './dora';
import { isAdditiveLora, usesDora, usesVera } from './family';
import { createLoraModule } from './lora-module';
import { mergedLinearTargets } from './merged-linear';
import { loraTargets } from './targets';
import { createVeraModule, createVeraShared } from './vera';

const COMPOSITIONS = ['Stack', 'BatchSplit', 'Average', 'Parallel', 'MultiTask'] as const;

/** Whether `site` gets a module; fused q|k|v projections are refused (Python has no VeRA/DoRA `LoRAMergedLinear`). */
function targets(site: Site, ctx: MethodInitContext, what: string): boolean {
  const config = ctx.config;
  if (site.kind !== 'linear') return false;
  if (site.fusedSizes) {
    if (mergedLinearTargets(site, config)) {
      throw new AdapterConfigError(`${what} is not supported on the fused projection ${site.path} of model type ${ctx.model.modelType}.`, 'attn_matrices');
    }
    return false;
  }
  return loraTargets(site, config);
}

function loraDelta(m: LinearModule): () => tf.Tensor {
  const a = m.params.get('lora_A')!;
  const b = m.params.get('lora_B')!;
  return () => tf.matMul(b, a);
}

/**
 * VeRA (Kopiczko et al. 2024) as in Python `adapters` (`VeraConfig`: a `LoRAConfig` with float `vera_d`/`vera_b`):
 * frozen random A/B shared per adapter (`shared_parameters.<name>.lora_A|lora_B`), trainable dense `vera_D`
 * (`r×r`) and `vera_B` (`out×out`). Only `linear` parameter averaging.
 */
export const vera = defineMethod({
  name: 'vera',
  kinds: ['linear'],
  container: 'loras',
  compositions: COMPOSITIONS,
  accepts: (c: AdapterConfig) => isAdditiveLora(c) && usesVera(c) && !usesDora(c),
  createShared: (ctx: MethodInitContext) => createVeraShared(ctx),
  createModule(site, ctx) {
    if (!targets(site, ctx, 'VeRA') || site.kind !== 'linear') return undefined;
    return createVeraModule(site, ctx);
  },
});

/**
 * DoRA (Liu et al. 2024) as in Python `adapters` (`DoRAConfig`: `use_dora=True`): LoRA plus a magnitude vector
 * `m` initialised to the row norms of the base weight. Only `linear` parameter averaging.
 */
export const dora = defineMethod({
  name: 'dora',
  kinds: ['linear'],
  container: 'loras',
  compositions: COMPOSITIONS,
  accepts: (c: AdapterConfig) => isAdditiveLora(c) && !usesVera(c) && usesDora(c),
  createModule(site, ctx) {
    if (!targets(site, ctx, 'DoRA') || site.kind !== 'linear') return undefined;
    const inner = createLoraModule(site, ctx);
    return withDora(inner, site, ctx, loraDelta(inner));
  },
});

/** DvoRA (`DvoRAConfig`): VeRA with DoRA's magnitude vector. Only `linear` parameter averaging. */
export const dvora = defineMethod({
  name: 'dvora',
  kinds: ['linear'],
  container: 'loras',
  compositions: COMPOSITIONS,
  accepts: (c: AdapterConfig) => isAdditiveLora(c) && usesVera(c) && usesDora(c),
  createShared: (ctx: MethodInitContext) => createVeraShared(ctx),
  createModule(site, ctx) {
    if (!targets(site, ctx, 'DvoRA') || site.kind !== 'linear') return undefined;
    const inner = createVeraModule(site, ctx);
    return withDora(inner, site, ctx, inner.deltaW);
  },
});
