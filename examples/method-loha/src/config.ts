import {
  AdapterConfigBase,
  type ConfigClass,
  defineConfigClass,
  findConfigClass,
  getConfigPreset,
  pyFloat,
  registerArchitecture,
  registerConfigClass,
  registerConfigPreset,
} from '@adapters/core';

/**
 * `LoHaConfig`: the config class of LoHa, as data. Its JSON (`adapter_config.json`) carries
 * `"architecture": "loha"`, which is how `loadAdapter` finds this class again.
 */
export const LoHaConfig: ConfigClass = defineConfigClass({
  className: 'LoHaConfig',
  extends: AdapterConfigBase,
  architecture: 'loha',
  fields: {
    architecture: 'loha',
    attn_matrices: ['q', 'v'],
    intermediate_loha: false,
    output_loha: false,
    leave_out: [],
    r: 8,
    alpha: 8,
    dropout: pyFloat(0),
    init_weights: true,
  },
});

/**
 * Registers the config class, the `loha` architecture (for loading saved adapters) and the `loha`
 * preset (for `addAdapter(name, 'loha[r=4]')`). Idempotent; runs when this package is imported.
 */
export function registerLohaConfig(): void {
  if (findConfigClass(LoHaConfig.className) !== LoHaConfig) registerConfigClass(LoHaConfig, { replace: true });
  registerArchitecture('loha', LoHaConfig, { replace: true });
  if (getConfigPreset('loha')?.className !== LoHaConfig.className) registerConfigPreset('loha', LoHaConfig, {}, { replace: true });
}

registerLohaConfig();
