import { type Hooks, layerNorm } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type ClipConfig, patchesPerSide } from './config';
import { type W, encoderLayer, weight } from './encoder';
import { layerIndex } from './sites';

/** Outputs of the vision tower (`CLIPVisionTransformer`). */
export interface VisionTowerOutput {
  readonly lastHiddenState: tf.Tensor;
  readonly pooled: tf.Tensor;
  readonly hidden: tf.Tensor[];
}

/**
 * The patch convolution (kernel = stride = patch, no bias) as reshape + matmul:
 * `[B, C, H, W]` → `[B, N, C·p·p]` patches (row-major over the grid, as `flatten(2).transpose(1, 2)`)
 * times the `[hidden, C, p, p]` kernel flattened to `[C·p·p, hidden]`.
 */
export function patchEmbed(pixels: tf.Tensor, kernel: tf.Tensor, patch: number): tf.Tensor {
  const [b, ch, hh, ww] = pixels.shape as [number, number, number, number];
  const gh = hh / patch;
  const gw = ww / patch;
  const x = tf.reshape(pixels, [b, ch, gh, patch, gw, patch]);
  const patches = tf.reshape(tf.transpose(x, [0, 2, 4, 1, 3, 5]), [b, gh * gw, ch * patch * patch]);
  const k = tf.reshape(kernel, [kernel.shape[0]!, ch * patch * patch]);
  return tf.matMul(patches, k, false, true);
}

/** `CLIPVisionTransformer.forward`: patch + class embeddings, pre_layrnorm, encoder, post_layernorm of the class token. */
export function visionTower(c: ClipConfig, w: W, pixels: tf.Tensor, hooks: Hooks): VisionTowerOutput {
  const v = c.vision;
  const [b, ch, hh, ww] = pixels.shape as [number, number, number, number];
  if (ch !== v.numChannels || hh !== v.imageSize || ww !== v.imageSize) {
    throw new Error(`pixel_values must be [B, ${v.numChannels}, ${v.imageSize}, ${v.imageSize}], got [${pixels.shape.join(', ')}]`);
  }
  const patches = patchEmbed(tf.cast(pixels, 'float32'), weight(w, 'vision_model.embeddings.patch_embedding.weight'), v.patchSize);
  const cls = tf.broadcastTo(tf.reshape(weight(w, 'vision_model.embeddings.class_embedding'), [1, 1, v.hiddenSize]), [b, 1, v.hiddenSize]);
  const n = patchesPerSide(v) ** 2 + 1;
  const pos = tf.reshape(weight(w, 'vision_model.embeddings.position_embedding.weight'), [1, n, v.hiddenSize]);
  let h = tf.add(tf.concat([cls, patches], 1), pos);
  h = layerNorm(h, w.get('vision_model.pre_layrnorm.weight'), w.get('vision_model.pre_layrnorm.bias'), v.layerNormEps);
  hooks.ctx.attentionMask = null;
  const hidden = [h];
  for (let i = 0; i < v.numHiddenLayers; i++) {
    h = encoderLayer(v, w, 'vision_model', i, layerIndex(c, 'vision_model', i), h, null, hooks);
    hidden.push(h);
  }
  const first = tf.squeeze(tf.slice(h, [0, 0, 0], [h.shape[0]!, 1, v.hiddenSize]), [1]);
  const pooled = layerNorm(first, w.get('vision_model.post_layernorm.weight'), w.get('vision_model.post_layernorm.bias'), v.layerNormEps);
  return { lastHiddenState: h, pooled, hidden };
}
