import type { WeightSpec } from '@adapters/core';
import { type ClipConfig, type ClipTowerConfig, patchesPerSide } from './config';

function encoderSpecs(prefix: string, t: ClipTowerConfig, specs: WeightSpec[]): void {
  const h = t.hiddenSize;
  const linear = (path: string, inF: number, outF: number): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal' });
    specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros' });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [h], init: 'ones' });
    specs.push({ name: `${path}.bias`, shape: [h], init: 'zeros' });
  };
  for (let i = 0; i < t.numHiddenLayers; i++) {
    const l = `${prefix}.encoder.layers.${i}`;
    linear(`${l}.self_attn.q_proj`, h, h);
    linear(`${l}.self_attn.k_proj`, h, h);
    linear(`${l}.self_attn.v_proj`, h, h);
    linear(`${l}.self_attn.out_proj`, h, h);
    norm(`${l}.layer_norm1`);
    linear(`${l}.mlp.fc1`, h, t.intermediateSize);
    linear(`${l}.mlp.fc2`, t.intermediateSize, h);
    norm(`${l}.layer_norm2`);
  }
}

/**
 * Every base weight of a `CLIPModel` with Hugging Face names. Linear kernels are stored `[in, out]`
 * (transposed on load); the patch convolution keeps PyTorch's `[hidden, C, p, p]` layout and runs as
 * reshape + matmul.
 */
export function clipWeightSpecs(c: ClipConfig): WeightSpec[] {
  const { text: t, vision: v } = c;
  const n = patchesPerSide(v) ** 2 + 1;
  const specs: WeightSpec[] = [
    { name: 'text_model.embeddings.token_embedding.weight', shape: [t.vocabSize, t.hiddenSize], init: 'normal' },
    { name: 'text_model.embeddings.position_embedding.weight', shape: [t.maxPositionEmbeddings, t.hiddenSize], init: 'normal' },
  ];
  encoderSpecs('text_model', t, specs);
  specs.push(
    { name: 'text_model.final_layer_norm.weight', shape: [t.hiddenSize], init: 'ones' },
    { name: 'text_model.final_layer_norm.bias', shape: [t.hiddenSize], init: 'zeros' },
    { name: 'vision_model.embeddings.class_embedding', shape: [v.hiddenSize], init: 'normal' },
    { name: 'vision_model.embeddings.patch_embedding.weight', shape: [v.hiddenSize, v.numChannels, v.patchSize, v.patchSize], init: 'normal' },
    { name: 'vision_model.embeddings.position_embedding.weight', shape: [n, v.hiddenSize], init: 'normal' },
    { name: 'vision_model.pre_layrnorm.weight', shape: [v.hiddenSize], init: 'ones' },
    { name: 'vision_model.pre_layrnorm.bias', shape: [v.hiddenSize], init: 'zeros' },
  );
  encoderSpecs('vision_model', v, specs);
  specs.push(
    { name: 'vision_model.post_layernorm.weight', shape: [v.hiddenSize], init: 'ones' },
    { name: 'vision_model.post_layernorm.bias', shape: [v.hiddenSize], init: 'zeros' },
    { name: 'text_projection.weight', shape: [t.hiddenSize, c.projectionDim], transposed: true, init: 'normal' },
    { name: 'visual_projection.weight', shape: [v.hiddenSize, c.projectionDim], transposed: true, init: 'normal' },
    { name: 'logit_scale', shape: [], init: 'zeros' },
  );
  return specs;
}
