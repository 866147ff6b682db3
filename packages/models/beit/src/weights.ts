import type { WeightSpec } from '@adapters/core';
import { type BeitConfig, numRelativeDistance, windowSize } from './config';

/**
 * Every base weight of a `BeitModel` with Hugging Face names (also found under the `beit.` prefix).
 * Linear kernels are stored `[in, out]` (transposed on load); `key` has no bias (as transformers);
 * the patch convolution keeps PyTorch's `[hidden, C, p, p]` layout. Random models initialise
 * `lambda_1/2` to 1 and the relative bias tables to 0 (transformers: `layer_scale_init_value`, 0).
 */
export function beitWeightSpecs(c: BeitConfig): WeightSpec[] {
  const h = c.hiddenSize;
  const p = c.patchSize;
  const [wh, ww] = windowSize(c);
  const table = (path: string): WeightSpec => ({ name: `${path}.relative_position_bias_table`, shape: [numRelativeDistance(c), c.numAttentionHeads], init: 'zeros' });
  const specs: WeightSpec[] = [
    { name: 'embeddings.cls_token', shape: [1, 1, h], init: 'normal' },
    { name: 'embeddings.mask_token', shape: [1, 1, h], init: 'zeros', optional: true },
    { name: 'embeddings.patch_embeddings.projection.weight', shape: [h, c.numChannels, p, p], init: 'normal' },
    { name: 'embeddings.patch_embeddings.projection.bias', shape: [h], init: 'zeros' },
  ];
  if (c.useAbsolutePositionEmbeddings) specs.push({ name: 'embeddings.position_embeddings', shape: [1, wh * ww + 1, h], init: 'normal' });
  if (c.useSharedRelativePositionBias) specs.push(table('encoder.relative_position_bias'));
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
    if (c.layerScaleInitValue > 0) {
      specs.push({ name: `${l}.lambda_1`, shape: [h], init: 'ones' }, { name: `${l}.lambda_2`, shape: [h], init: 'ones' });
    }
    linear(`${l}.attention.attention.query`, h, h);
    linear(`${l}.attention.attention.key`, h, h, false);
    linear(`${l}.attention.attention.value`, h, h);
    if (c.useRelativePositionBias) specs.push(table(`${l}.attention.attention.relative_position_bias`));
    linear(`${l}.attention.output.dense`, h, h);
    linear(`${l}.intermediate.dense`, h, c.intermediateSize);
    linear(`${l}.output.dense`, c.intermediateSize, h);
    norm(`${l}.layernorm_before`);
    norm(`${l}.layernorm_after`);
  }
  norm(c.useMeanPooling ? 'pooler.layernorm' : 'layernorm');
  return specs;
}
