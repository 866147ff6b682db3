import type { LinearPoint } from '@adapters/core';
import type { LlamaConfig } from './config';

/** Python module path of decoder layer `i` in the bare model (`LlamaModel.layers[i]`). */
export const layerPath = (i: number): string => `layers.${i}`;

/**
 * The linear hook point of each FFN projection (`null`: no hook — the gate projection is never
 * wrapped by Python's `adapters`).
 *
 * Python quirk (reference §1.8), reproduced on purpose: the built-in Llama and Mistral mixins
 * wrap `mlp.down_proj` as "intermediate" (`intermediate_lora`) and `mlp.up_proj` as "output"
 * (`output_lora`). Our LoRA method targets `ffn.up` for `intermediate_lora` and `ffn.down` for
 * `output_lora`, so for those two families `down_proj` is exposed as `ffn.up` and `up_proj` as
 * `ffn.down`; adapters trained in Python then load onto the same matrices. Qwen2 (and Gemma,
 * following Python's Gemma 2/3 interfaces) use the plugin interface, where `up_proj` is
 * intermediate and `down_proj` output, i.e. the natural mapping.
 */
export function ffnPoints(c: LlamaConfig): { gate: null; up: LinearPoint; down: LinearPoint } {
  return c.ffnLoraMapping === 'swapped' ? { gate: null, up: 'ffn.down', down: 'ffn.up' } : { gate: null, up: 'ffn.up', down: 'ffn.down' };
}
