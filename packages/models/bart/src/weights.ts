import type { WeightSpec } from '@adapters/core';
import type { BartConfig } from './config';
import { POSITION_OFFSET } from './stack';

/**
 * Every base weight of a `BartModel` / `MBartModel` / `PLBartModel` with transformers' state-dict
 * names; linear kernels are stored `[in, out]` (`transposed`). The token table is `shared.weight`
 * (`encoder.embed_tokens.weight` / `decoder.embed_tokens.weight` are ties of it and accepted as
 * aliases); learned positions have `max_position_embeddings + 2` rows. mBART adds the final
 * `encoder.layer_norm` / `decoder.layer_norm`.
 */
export function bartWeightSpecs(c: BartConfig): WeightSpec[] {
  const d = c.dModel;
  const specs: WeightSpec[] = [
    { name: 'shared.weight', shape: [c.vocabSize, d], init: 'normal', aliases: ['encoder.embed_tokens.weight', 'decoder.embed_tokens.weight'] },
  ];
  const linear = (path: string, inF: number, outF: number): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal' });
    specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros' });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [d], init: 'ones' });
    specs.push({ name: `${path}.bias`, shape: [d], init: 'zeros' });
  };
  const attention = (path: string): void => {
    for (const n of ['k_proj', 'v_proj', 'q_proj', 'out_proj']) linear(`${path}.${n}`, d, d);
  };
  for (const stack of ['encoder', 'decoder'] as const) {
    specs.push({ name: `${stack}.embed_positions.weight`, shape: [c.maxPositionEmbeddings + POSITION_OFFSET, d], init: 'normal' });
    const layers = stack === 'encoder' ? c.encoderLayers : c.decoderLayers;
    const ffn = stack === 'encoder' ? c.encoderFfnDim : c.decoderFfnDim;
    for (let i = 0; i < layers; i++) {
      const l = `${stack}.layers.${i}`;
      attention(`${l}.self_attn`);
      norm(`${l}.self_attn_layer_norm`);
      if (stack === 'decoder') {
        attention(`${l}.encoder_attn`);
        norm(`${l}.encoder_attn_layer_norm`);
      }
      linear(`${l}.fc1`, d, ffn);
      linear(`${l}.fc2`, ffn, d);
      norm(`${l}.final_layer_norm`);
    }
    norm(`${stack}.layernorm_embedding`);
    if (c.preLayerNorm) norm(`${stack}.layer_norm`);
  }
  return specs;
}
