import type { AlbertConfig } from './config';

/** One distinct ALBERT layer: its group, its index inside the group, and Python's layer index. */
export interface AlbertUniqueLayer {
  readonly group: number;
  readonly inner: number;
  /**
   * The layer index Python's `adapters` gives this layer (`AlbertModelAdaptersMixin.iter_layers`:
   * groups in order, inner layers in order, counting up from 0). Adapters, `leave_out` and hook
   * sites use this index; a shared layer keeps it however many times it is applied.
   */
  readonly index: number;
  /** Module path, e.g. `encoder.albert_layer_groups.0.albert_layers.0`. */
  readonly path: string;
}

/** The distinct layers (weights and adapter sites), in Python's `iter_layers` order. */
export function albertUniqueLayers(c: AlbertConfig): AlbertUniqueLayer[] {
  const out: AlbertUniqueLayer[] = [];
  for (let g = 0; g < c.numHiddenGroups; g++) {
    for (let j = 0; j < c.innerGroupNum; j++) {
      out.push({ group: g, inner: j, index: g * c.innerGroupNum + j, path: `encoder.albert_layer_groups.${g}.albert_layers.${j}` });
    }
  }
  return out;
}

/**
 * The group applied at step `i` of `num_hidden_layers` (transformers' `AlbertTransformer`:
 * `int(i / (num_hidden_layers / num_hidden_groups))`).
 */
export function albertGroupAt(c: AlbertConfig, i: number): number {
  return Math.trunc(i / (c.numHiddenLayers / c.numHiddenGroups));
}

/** Python layer indices in the order the forward pass applies them (with repetitions). */
export function albertApplicationOrder(c: AlbertConfig): number[] {
  const order: number[] = [];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const g = albertGroupAt(c, i);
    for (let j = 0; j < c.innerGroupNum; j++) order.push(g * c.innerGroupNum + j);
  }
  return order;
}
