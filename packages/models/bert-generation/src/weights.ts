import type { WeightSpec } from '@adapters/core';
import type { BertGenerationConfig } from './config';
import { encoderWeightSpecs } from './encoder';

/** Every base weight of BertGenerationEncoder (no token types, no pooler); linear kernels `[in, out]`. */
export function bertGenerationWeightSpecs(c: BertGenerationConfig): WeightSpec[] {
  const h = c.hiddenSize;
  return [
    { name: 'embeddings.word_embeddings.weight', shape: [c.vocabSize, h], init: 'normal' },
    { name: 'embeddings.position_embeddings.weight', shape: [c.maxPositionEmbeddings, h], init: 'normal' },
    { name: 'embeddings.LayerNorm.weight', shape: [h], init: 'ones', aliases: ['embeddings.LayerNorm.gamma'] },
    { name: 'embeddings.LayerNorm.bias', shape: [h], init: 'zeros', aliases: ['embeddings.LayerNorm.beta'] },
    ...encoderWeightSpecs(c),
  ];
}
