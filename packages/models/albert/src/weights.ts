import type { WeightSpec } from '@adapters/core';
import type { AlbertConfig } from './config';
import { albertUniqueLayers } from './layers';

/** Every base weight of ALBERT (one set per distinct layer); linear kernels are stored `[in, out]`. */
export function albertWeightSpecs(c: AlbertConfig): WeightSpec[] {
  const h = c.hiddenSize;
  const e = c.embeddingSize;
  const specs: WeightSpec[] = [
    { name: 'embeddings.word_embeddings.weight', shape: [c.vocabSize, e], init: 'normal' },
    { name: 'embeddings.position_embeddings.weight', shape: [c.maxPositionEmbeddings, e], init: 'normal' },
    { name: 'embeddings.token_type_embeddings.weight', shape: [c.typeVocabSize, e], init: 'normal' },
    { name: 'embeddings.LayerNorm.weight', shape: [e], init: 'ones' },
    { name: 'embeddings.LayerNorm.bias', shape: [e], init: 'zeros' },
  ];
  const linear = (path: string, inF: number, outF: number, optional = false): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal', ...(optional ? { optional } : {}) });
    specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros', ...(optional ? { optional } : {}) });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [h], init: 'ones' });
    specs.push({ name: `${path}.bias`, shape: [h], init: 'zeros' });
  };
  linear('encoder.embedding_hidden_mapping_in', e, h);
  for (const { path: l } of albertUniqueLayers(c)) {
    linear(`${l}.attention.query`, h, h);
    linear(`${l}.attention.key`, h, h);
    linear(`${l}.attention.value`, h, h);
    linear(`${l}.attention.dense`, h, h);
    norm(`${l}.attention.LayerNorm`);
    linear(`${l}.ffn`, h, c.intermediateSize);
    linear(`${l}.ffn_output`, c.intermediateSize, h);
    norm(`${l}.full_layer_layer_norm`);
  }
  linear('pooler', h, h, true);
  return specs;
}
