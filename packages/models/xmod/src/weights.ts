import type { WeightSpec } from '@adapters/core';
import type { XmodConfig } from './config';

/**
 * Every base weight of an X-MOD encoder; linear kernels are stored `[in, out]`. The language
 * adapters (`output.adapter_modules.<lang>`) are part of the model only in the transformers
 * behaviour; in the adapters behaviour they are ignored when loading, as Python deletes them.
 */
export function xmodWeightSpecs(c: XmodConfig): WeightSpec[] {
  const h = c.hiddenSize;
  const specs: WeightSpec[] = [];
  const linear = (path: string, inF: number, outF: number, optional = false): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal', ...(optional ? { optional } : {}) });
    specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros', ...(optional ? { optional } : {}) });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [h], init: 'ones', aliases: [`${path}.gamma`] });
    specs.push({ name: `${path}.bias`, shape: [h], init: 'zeros', aliases: [`${path}.beta`] });
  };
  specs.push(
    { name: 'embeddings.word_embeddings.weight', shape: [c.vocabSize, h], init: 'normal' },
    { name: 'embeddings.position_embeddings.weight', shape: [c.maxPositionEmbeddings, h], init: 'normal' },
    { name: 'embeddings.token_type_embeddings.weight', shape: [c.typeVocabSize, h], init: 'normal' },
  );
  norm('embeddings.LayerNorm');
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const l = `encoder.layer.${i}`;
    linear(`${l}.attention.self.query`, h, h);
    linear(`${l}.attention.self.key`, h, h);
    linear(`${l}.attention.self.value`, h, h);
    linear(`${l}.attention.output.dense`, h, h);
    norm(`${l}.attention.output.LayerNorm`);
    linear(`${l}.intermediate.dense`, h, c.intermediateSize);
    linear(`${l}.output.dense`, c.intermediateSize, h);
    norm(`${l}.output.LayerNorm`);
    if (c.adapterLayerNorm) norm(`${l}.output.adapter_layer_norm`);
    if (c.languageAdapters) {
      for (const lang of c.languages) {
        linear(`${l}.output.adapter_modules.${lang}.dense1`, h, c.adapterSize);
        linear(`${l}.output.adapter_modules.${lang}.dense2`, c.adapterSize, h);
      }
    }
  }
  if (c.preNorm) norm('encoder.LayerNorm');
  linear('pooler.dense', h, h, true);
  return specs;
}
