import type { WeightSpec } from '@adapters/core';
import { type DebertaConfig, hasPosAtt, posEmbeddingSize } from './config';

/** Every base weight of a DeBERTa / DeBERTa-v2 encoder; linear kernels are stored `[in, out]`. */
export function debertaWeightSpecs(c: DebertaConfig): WeightSpec[] {
  const h = c.hiddenSize;
  const e = c.embeddingSize;
  const specs: WeightSpec[] = [];
  const linear = (path: string, inF: number, outF: number, bias = true): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal' });
    if (bias) specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros' });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [h], init: 'ones' });
    specs.push({ name: `${path}.bias`, shape: [h], init: 'zeros' });
  };
  specs.push({ name: 'embeddings.word_embeddings.weight', shape: [c.vocabSize, e], init: 'normal' });
  if (c.positionBiasedInput) specs.push({ name: 'embeddings.position_embeddings.weight', shape: [c.maxPositionEmbeddings, e], init: 'normal' });
  if (c.typeVocabSize > 0) specs.push({ name: 'embeddings.token_type_embeddings.weight', shape: [c.typeVocabSize, e], init: 'normal' });
  if (e !== h) linear('embeddings.embed_proj', e, h, false);
  norm('embeddings.LayerNorm');
  if (c.relativeAttention) {
    specs.push({ name: 'encoder.rel_embeddings.weight', shape: [2 * posEmbeddingSize(c), h], init: 'normal' });
    if (c.normRelEmbeddings) norm('encoder.LayerNorm');
  }
  if (c.convKernelSize > 0) {
    specs.push({ name: 'encoder.conv.conv.weight', shape: [h, h / c.convGroups, c.convKernelSize], init: 'normal' });
    specs.push({ name: 'encoder.conv.conv.bias', shape: [h], init: 'zeros' });
    norm('encoder.conv.LayerNorm');
  }
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const l = `encoder.layer.${i}`;
    const a = `${l}.attention.self`;
    if (c.version === 1) {
      linear(`${a}.in_proj`, h, 3 * h, false);
      specs.push({ name: `${a}.q_bias`, shape: [h], init: 'zeros' });
      specs.push({ name: `${a}.v_bias`, shape: [h], init: 'zeros' });
      if (c.relativeAttention && hasPosAtt(c, 'c2p')) linear(`${a}.pos_proj`, h, h, false);
      if (c.relativeAttention && hasPosAtt(c, 'p2c')) linear(`${a}.pos_q_proj`, h, h);
      if (c.talkingHead) {
        linear(`${a}.head_logits_proj`, c.numAttentionHeads, c.numAttentionHeads, false);
        linear(`${a}.head_weights_proj`, c.numAttentionHeads, c.numAttentionHeads, false);
      }
    } else {
      linear(`${a}.query_proj`, h, h);
      linear(`${a}.key_proj`, h, h);
      linear(`${a}.value_proj`, h, h);
      if (c.relativeAttention && !c.shareAttKey && hasPosAtt(c, 'c2p')) linear(`${a}.pos_key_proj`, h, h);
      if (c.relativeAttention && !c.shareAttKey && hasPosAtt(c, 'p2c')) linear(`${a}.pos_query_proj`, h, h);
    }
    linear(`${l}.attention.output.dense`, h, h);
    norm(`${l}.attention.output.LayerNorm`);
    linear(`${l}.intermediate.dense`, h, c.intermediateSize);
    linear(`${l}.output.dense`, c.intermediateSize, h);
    norm(`${l}.output.LayerNorm`);
  }
  return specs;
}
