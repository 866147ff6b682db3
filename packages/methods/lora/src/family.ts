import { type AdapterConfig, configValue, isPythonFloat, pyTruthy } from '@adapters/core';

/** A `LoRAConfig`-family config in additive mode (`architecture="lora"`, `composition_mode="add"`). */
export function isAdditiveLora(c: AdapterConfig): boolean {
  return configValue(c, 'architecture') === 'lora' && configValue(c, 'composition_mode') === 'add';
}

/**
 * Python `LoRALayer.add_adapter`: VeRA is chosen when `vera_d` or `vera_b` is a Python *float*
 * (`isinstance(x, float)`: an int such as `1` does not count).
 */
export function usesVera(c: AdapterConfig): boolean {
  return isPythonFloat(configValue(c, 'vera_d')) || isPythonFloat(configValue(c, 'vera_b'));
}

/** Python `config.use_dora` (truthy). */
export function usesDora(c: AdapterConfig): boolean {
  return pyTruthy(configValue(c, 'use_dora'));
}
