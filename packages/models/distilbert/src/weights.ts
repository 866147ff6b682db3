import type { WeightSpec } from '@adapters/core';
import type { DistilBertConfig } from './config';

/**
 * Every base weight of DistilBERT; linear kernels are stored `[in, out]`. With
 * `sinusoidal_pos_embds` the position table is fixed and computed by the forward pass, so it is
 * not a weight here (a checkpoint's copy of it is ignored).
 */
export function distilBertWeightSpecs(c: DistilBertConfig): WeightSpec[] {
  const h = c.dim;
  const specs: WeightSpec[] = [{ name: 'embeddings.word_embeddings.weight', shape: [c.vocabSize, h], init: 'normal' }];
  if (!c.sinusoidalPosEmbds) specs.push({ name: 'embeddings.position_embeddings.weight', shape: [c.maxPositionEmbeddings, h], init: 'normal' });
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [h], init: 'ones' });
    specs.push({ name: `${path}.bias`, shape: [h], init: 'zeros' });
  };
  const linear = (path: string, inF: number, outF: number): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal' });
    specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros' });
  };
  norm('embeddings.LayerNorm');
  for (let i = 0; i < c.nLayers; i++) {
    const l = `transformer.layer.${i}`;
    linear(`${l}.attention.q_lin`, h, h);
    linear(`${l}.attention.k_lin`, h, h);
    linear(`${l}.attention.v_lin`, h, h);
    linear(`${l}.attention.out_lin`, h, h);
    norm(`${l}.sa_layer_norm`);
    linear(`${l}.ffn.lin1`, h, c.hiddenDim);
    linear(`${l}.ffn.lin2`, c.hiddenDim, h);
    norm(`${l}.output_layer_norm`);
  }
  return specs;
}
