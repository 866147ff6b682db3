import type { WeightSpec } from '@adapters/core';
import type { WhisperConfig } from './config';

/**
 * Every base weight of a `WhisperModel` with Hugging Face names. Linear kernels are `[in, out]`
 * (transposed on load); k_proj has no bias; the conv kernels keep PyTorch's `[out, in, 3]` layout.
 * `encoder.embed_positions.weight` is the frozen sinusoidal table stored in the checkpoint.
 */
export function whisperWeightSpecs(c: WhisperConfig): WeightSpec[] {
  const d = c.dModel;
  const specs: WeightSpec[] = [
    { name: 'encoder.conv1.weight', shape: [d, c.numMelBins, 3], init: 'normal' },
    { name: 'encoder.conv1.bias', shape: [d], init: 'zeros' },
    { name: 'encoder.conv2.weight', shape: [d, d, 3], init: 'normal' },
    { name: 'encoder.conv2.bias', shape: [d], init: 'zeros' },
    { name: 'encoder.embed_positions.weight', shape: [c.maxSourcePositions, d], init: 'normal' },
  ];
  const linear = (path: string, inF: number, outF: number, bias = true): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal' });
    if (bias) specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros' });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [d], init: 'ones' }, { name: `${path}.bias`, shape: [d], init: 'zeros' });
  };
  const attn = (path: string): void => {
    linear(`${path}.q_proj`, d, d);
    linear(`${path}.k_proj`, d, d, false);
    linear(`${path}.v_proj`, d, d);
    linear(`${path}.out_proj`, d, d);
  };
  for (let i = 0; i < c.encoderLayers; i++) {
    const l = `encoder.layers.${i}`;
    attn(`${l}.self_attn`);
    norm(`${l}.self_attn_layer_norm`);
    linear(`${l}.fc1`, d, c.encoderFfnDim);
    linear(`${l}.fc2`, c.encoderFfnDim, d);
    norm(`${l}.final_layer_norm`);
  }
  norm('encoder.layer_norm');
  specs.push(
    { name: 'decoder.embed_tokens.weight', shape: [c.vocabSize, d], init: 'normal' },
    { name: 'decoder.embed_positions.weight', shape: [c.maxTargetPositions, d], init: 'normal' },
  );
  for (let j = 0; j < c.decoderLayers; j++) {
    const l = `decoder.layers.${j}`;
    attn(`${l}.self_attn`);
    norm(`${l}.self_attn_layer_norm`);
    attn(`${l}.encoder_attn`);
    norm(`${l}.encoder_attn_layer_norm`);
    linear(`${l}.fc1`, d, c.decoderFfnDim);
    linear(`${l}.fc2`, c.decoderFfnDim, d);
    norm(`${l}.final_layer_norm`);
  }
  norm('decoder.layer_norm');
  return specs;
}
