import { configValue, defineMethod } from '@adapters/core';
import { readReftConfig, reftTargetsLayer } from './reft-config';
import { createReftModule } from './reft-module';

/**
 * ReFT (Wu et al. 2024) as in Python `adapters`: LoReFT, NoReFT and DiReFT interventions on the output of
 * every transformer layer listed in `layers` (hook point `layer.out`, state-dict container
 * `reft_layer.refts`). Like Python, only the first adapter of the active setup acts; composition blocks
 * are not supported (only a plain `Stack`, whose first adapter is used).
 */
export const reft = defineMethod({
  name: 'reft',
  kinds: ['layer'],
  container: 'reft_layer.refts',
  compositions: ['Stack'],
  firstAdapterOnly: true,
  accepts: (c) => configValue(c, 'architecture') === 'reft',
  validate: (c) => {
    readReftConfig(c);
  },
  createModule(site, ctx) {
    if (site.kind !== 'layer') return undefined;
    if (!reftTargetsLayer(readReftConfig(ctx.config), site.layer)) return undefined;
    return createReftModule(site, ctx);
  },
});
