import type { WeightSpec } from '@adapters/core';
import type { ElectraConfig } from './config';
import { encoderWeightSpecs } from './encoder';

/** Every base weight of ELECTRA; linear kernels are stored `[in, out]`. */
export function electraWeightSpecs(c: ElectraConfig): WeightSpec[] {
  const e = c.embeddingSize;
  const specs: WeightSpec[] = [
    { name: 'embeddings.word_embeddings.weight', shape: [c.vocabSize, e], init: 'normal' },
    { name: 'embeddings.position_embeddings.weight', shape: [c.maxPositionEmbeddings, e], init: 'normal' },
    { name: 'embeddings.token_type_embeddings.weight', shape: [c.typeVocabSize, e], init: 'normal' },
    { name: 'embeddings.LayerNorm.weight', shape: [e], init: 'ones', aliases: ['embeddings.LayerNorm.gamma'] },
    { name: 'embeddings.LayerNorm.bias', shape: [e], init: 'zeros', aliases: ['embeddings.LayerNorm.beta'] },
  ];
  // transformers creates embeddings_project only when embedding_size != hidden_size.
  if (e !== c.hiddenSize) {
    specs.push({ name: 'embeddings_project.weight', shape: [e, c.hiddenSize], transposed: true, init: 'normal' });
    specs.push({ name: 'embeddings_project.bias', shape: [c.hiddenSize], init: 'zeros' });
  }
  return [...specs, ...encoderWeightSpecs(c)];
}
