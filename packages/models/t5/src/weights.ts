import type { WeightSpec } from '@adapters/core';
import type { T5Config } from './config';

/**
 * Every base weight of a `T5Model` / `MT5Model` with transformers' state-dict names; linear kernels
 * (no biases in T5) are stored `[in, out]` (`transposed`). The token table is `shared.weight`
 * (`encoder.embed_tokens.weight` / `decoder.embed_tokens.weight` are ties of it and accepted as
 * aliases). `relative_attention_bias` exists only in the first block of each stack.
 */
export function t5WeightSpecs(c: T5Config): WeightSpec[] {
  const d = c.dModel;
  const inner = c.numHeads * c.dKv;
  const specs: WeightSpec[] = [
    { name: 'shared.weight', shape: [c.vocabSize, d], init: 'normal', aliases: ['encoder.embed_tokens.weight', 'decoder.embed_tokens.weight'] },
  ];
  const linear = (path: string, inF: number, outF: number): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal' });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [d], init: 'ones' });
  };
  const attention = (path: string, relative: boolean): void => {
    for (const n of ['q', 'k', 'v']) linear(`${path}.${n}`, d, inner);
    linear(`${path}.o`, inner, d);
    if (relative) specs.push({ name: `${path}.relative_attention_bias.weight`, shape: [c.relativeAttentionNumBuckets, c.numHeads], init: 'normal' });
  };
  const ff = (path: string): void => {
    if (c.isGatedAct) {
      linear(`${path}.wi_0`, d, c.dFf);
      linear(`${path}.wi_1`, d, c.dFf);
    } else {
      linear(`${path}.wi`, d, c.dFf);
    }
    linear(`${path}.wo`, c.dFf, d);
  };
  for (let i = 0; i < c.numLayers; i++) {
    const l = `encoder.block.${i}`;
    attention(`${l}.layer.0.SelfAttention`, i === 0);
    norm(`${l}.layer.0.layer_norm`);
    ff(`${l}.layer.1.DenseReluDense`);
    norm(`${l}.layer.1.layer_norm`);
  }
  norm('encoder.final_layer_norm');
  for (let j = 0; j < c.numDecoderLayers; j++) {
    const l = `decoder.block.${j}`;
    attention(`${l}.layer.0.SelfAttention`, j === 0);
    norm(`${l}.layer.0.layer_norm`);
    attention(`${l}.layer.1.EncDecAttention`, false);
    norm(`${l}.layer.1.layer_norm`);
    ff(`${l}.layer.2.DenseReluDense`);
    norm(`${l}.layer.2.layer_norm`);
  }
  norm('decoder.final_layer_norm');
  return specs;
}
