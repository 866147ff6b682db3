import type { WeightSpec } from '@adapters/core';
import type { TinyTransformerConfig } from './config';

/**
 * Every base weight. Linear kernels are used as `[in, out]` and stored transposed (PyTorch
 * `nn.Linear` layout `[out, in]`) in checkpoints.
 */
export function tinyTransformerWeightSpecs(c: TinyTransformerConfig): WeightSpec[] {
  const h = c.dModel;
  const specs: WeightSpec[] = [
    { name: 'embeddings.tokens.weight', shape: [c.vocabSize, h], init: 'normal' },
    { name: 'embeddings.positions.weight', shape: [c.maxPositions, h], init: 'normal' },
  ];
  const linear = (path: string, inF: number, outF: number): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal' });
    specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros' });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [h], init: 'ones' });
    specs.push({ name: `${path}.bias`, shape: [h], init: 'zeros' });
  };
  for (let i = 0; i < c.numLayers; i++) {
    const b = `blocks.${i}`;
    norm(`${b}.ln_attn`);
    for (const m of ['q', 'k', 'v', 'o']) linear(`${b}.attn.${m}`, h, h);
    norm(`${b}.ln_ffn`);
    linear(`${b}.ffn.up`, h, c.dFf);
    linear(`${b}.ffn.down`, c.dFf, h);
  }
  norm('ln_final');
  return specs;
}
