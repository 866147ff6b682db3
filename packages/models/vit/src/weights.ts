import type { WeightSpec } from '@adapters/core';
import { type VitConfig, numPatches } from './config';

/**
 * Every base weight of a `ViTModel` with Hugging Face names (also found under the `vit.` prefix of
 * `ViTForImageClassification` checkpoints). Linear kernels are stored `[in, out]` (transposed on
 * load); the patch convolution keeps PyTorch's `[hidden, C, p, p]` layout and runs as reshape + matmul.
 */
export function vitWeightSpecs(c: VitConfig): WeightSpec[] {
  const h = c.hiddenSize;
  const p = c.patchSize;
  const specs: WeightSpec[] = [
    { name: 'embeddings.cls_token', shape: [1, 1, h], init: 'normal' },
    { name: 'embeddings.mask_token', shape: [1, 1, h], init: 'zeros', optional: true },
    { name: 'embeddings.position_embeddings', shape: [1, numPatches(c) + 1, h], init: 'normal' },
    { name: 'embeddings.patch_embeddings.projection.weight', shape: [h, c.numChannels, p, p], init: 'normal' },
    { name: 'embeddings.patch_embeddings.projection.bias', shape: [h], init: 'zeros' },
  ];
  const linear = (path: string, inF: number, outF: number, bias = true): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal' });
    if (bias) specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros' });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [h], init: 'ones' });
    specs.push({ name: `${path}.bias`, shape: [h], init: 'zeros' });
  };
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const l = `encoder.layer.${i}`;
    linear(`${l}.attention.attention.query`, h, h, c.qkvBias);
    linear(`${l}.attention.attention.key`, h, h, c.qkvBias);
    linear(`${l}.attention.attention.value`, h, h, c.qkvBias);
    linear(`${l}.attention.output.dense`, h, h);
    linear(`${l}.intermediate.dense`, h, c.intermediateSize);
    linear(`${l}.output.dense`, c.intermediateSize, h);
    norm(`${l}.layernorm_before`);
    norm(`${l}.layernorm_after`);
  }
  norm('layernorm');
  specs.push({ name: 'pooler.dense.weight', shape: [h, c.poolerOutputSize], transposed: true, init: 'normal', optional: true });
  specs.push({ name: 'pooler.dense.bias', shape: [c.poolerOutputSize], init: 'zeros', optional: true });
  return specs;
}
