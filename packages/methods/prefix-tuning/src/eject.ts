import type { AdapterModel } from '@adapters/core';
import { isPrefixShared } from './pool';

/**
 * Python `model.eject_prefix_tuning(name)`: converts the reparametrized prefixes of adapter `name`
 * into flat prefixes holding the MLP's output (the forward pass is unchanged; the MLP variables
 * are freed and replaced by `prefix_tuning.prefix_tunings.<name>.<location>.control_trans`).
 * Returns false (and does nothing, as Python) when the adapter has no prefix tuning.
 *
 * As in Python, the adapter's config keeps `flat: false`; a saved ejected adapter therefore holds
 * the flat key under a non-flat config. Re-add it with `flat: true` to load it as flat.
 */
export function ejectPrefix(model: AdapterModel, name: string): boolean {
  let found = false;
  for (const shared of model.sharedParameters(name).values()) {
    if (!isPrefixShared(shared)) continue;
    shared.pool.eject();
    found = true;
  }
  return found;
}
