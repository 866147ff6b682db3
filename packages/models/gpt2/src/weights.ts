import type { WeightSpec } from '@adapters/core';
import type { Gpt2Config } from './config';

/**
 * Every base weight of GPT-2. Its `Conv1D` layers already store kernels `[in, out]` — the layout
 * `hooks.linear` takes — so nothing is transposed. The causal-mask buffers `h.<i>.attn.bias` /
 * `masked_bias` of old checkpoints are ignored.
 */
export function gpt2WeightSpecs(c: Gpt2Config): WeightSpec[] {
  const h = c.hiddenSize;
  const specs: WeightSpec[] = [
    { name: 'wte.weight', shape: [c.vocabSize, h], init: 'normal' },
    { name: 'wpe.weight', shape: [c.nPositions, h], init: 'normal' },
  ];
  const conv1d = (path: string, inF: number, outF: number): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], init: 'normal' });
    specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros' });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [h], init: 'ones' });
    specs.push({ name: `${path}.bias`, shape: [h], init: 'zeros' });
  };
  for (let i = 0; i < c.numLayers; i++) {
    const l = `h.${i}`;
    norm(`${l}.ln_1`);
    conv1d(`${l}.attn.c_attn`, h, 3 * h);
    conv1d(`${l}.attn.c_proj`, h, h);
    norm(`${l}.ln_2`);
    conv1d(`${l}.mlp.c_fc`, h, c.innerSize);
    conv1d(`${l}.mlp.c_proj`, c.innerSize, h);
  }
  norm('ln_f');
  return specs;
}
