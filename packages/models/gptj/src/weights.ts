import type { WeightSpec } from '@adapters/core';
import type { GptjConfig } from './config';

/**
 * Every base weight of GPT-J; linear kernels are PyTorch `[out, in]` in checkpoints and stored
 * `[in, out]` here. q/k/v/out_proj have no bias. The rotary table and causal buffers
 * (`h.<i>.attn.bias`, `masked_bias`, `embed_positions`) are computed, not loaded; `lm_head` of
 * `GPTJForCausalLM` checkpoints is ignored.
 */
export function gptjWeightSpecs(c: GptjConfig): WeightSpec[] {
  const h = c.hiddenSize;
  const specs: WeightSpec[] = [{ name: 'wte.weight', shape: [c.vocabSize, h], init: 'normal' }];
  const linear = (path: string, inF: number, outF: number, bias: boolean): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal' });
    if (bias) specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros' });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [h], init: 'ones' });
    specs.push({ name: `${path}.bias`, shape: [h], init: 'zeros' });
  };
  for (let i = 0; i < c.numLayers; i++) {
    const l = `h.${i}`;
    norm(`${l}.ln_1`);
    for (const p of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) linear(`${l}.attn.${p}`, h, h, false);
    linear(`${l}.mlp.fc_in`, h, c.innerSize, true);
    linear(`${l}.mlp.fc_out`, c.innerSize, h, true);
  }
  norm('ln_f');
  return specs;
}
