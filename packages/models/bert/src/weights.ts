import type { WeightSpec } from '@adapters/core';
import type { BertConfig } from './config';

/** Every base weight of a BERT-family model (decoders: plus `crossattention`); linear kernels are stored `[in, out]`. */
export function bertWeightSpecs(c: BertConfig): WeightSpec[] {
  const h = c.hiddenSize;
  const specs: WeightSpec[] = [
    { name: 'embeddings.word_embeddings.weight', shape: [c.vocabSize, h], init: 'normal' },
    { name: 'embeddings.position_embeddings.weight', shape: [c.maxPositionEmbeddings, h], init: 'normal' },
    { name: 'embeddings.token_type_embeddings.weight', shape: [c.typeVocabSize, h], init: 'normal' },
    { name: 'embeddings.LayerNorm.weight', shape: [h], init: 'ones', aliases: ['embeddings.LayerNorm.gamma'] },
    { name: 'embeddings.LayerNorm.bias', shape: [h], init: 'zeros', aliases: ['embeddings.LayerNorm.beta'] },
  ];
  const linear = (path: string, inF: number, outF: number): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal' });
    specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros' });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [h], init: 'ones', aliases: [`${path}.gamma`] });
    specs.push({ name: `${path}.bias`, shape: [h], init: 'zeros', aliases: [`${path}.beta`] });
  };
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const l = `encoder.layer.${i}`;
    linear(`${l}.attention.self.query`, h, h);
    linear(`${l}.attention.self.key`, h, h);
    linear(`${l}.attention.self.value`, h, h);
    linear(`${l}.attention.output.dense`, h, h);
    norm(`${l}.attention.output.LayerNorm`);
    if (c.addCrossAttention) {
      linear(`${l}.crossattention.self.query`, h, h);
      linear(`${l}.crossattention.self.key`, h, h);
      linear(`${l}.crossattention.self.value`, h, h);
      linear(`${l}.crossattention.output.dense`, h, h);
      norm(`${l}.crossattention.output.LayerNorm`);
    }
    linear(`${l}.intermediate.dense`, h, c.intermediateSize);
    linear(`${l}.output.dense`, c.intermediateSize, h);
    norm(`${l}.output.LayerNorm`);
  }
  specs.push({ name: 'pooler.dense.weight', shape: [h, h], transposed: true, init: 'normal', optional: true });
  specs.push({ name: 'pooler.dense.bias', shape: [h], init: 'zeros', optional: true });
  return specs;
}
