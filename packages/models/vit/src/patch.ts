import * as tf from '@tensorflow/tfjs-core';

/**
 * `nn.Conv2d(C, hidden, kernel_size=p, stride=p)` on `[B, C, H, W]` pixels, run as reshape + matmul:
 * the image is cut into `[B, N, C·p·p]` patches (row-major over the patch grid, as
 * `flatten(2).transpose(1, 2)`) and multiplied by the PyTorch kernel `[hidden, C, p, p]` flattened to
 * `[hidden, C·p·p]`. Returns `[B, N, hidden]` (plus `bias` when given).
 */
export function patchEmbed(pixels: tf.Tensor, kernel: tf.Tensor, patch: number, bias?: tf.Tensor): tf.Tensor {
  const [b, ch, hh, ww] = pixels.shape as [number, number, number, number];
  const gh = hh / patch;
  const gw = ww / patch;
  const x = tf.reshape(pixels, [b, ch, gh, patch, gw, patch]);
  const patches = tf.reshape(tf.transpose(x, [0, 2, 4, 1, 3, 5]), [b, gh * gw, ch * patch * patch]);
  const k = tf.reshape(kernel, [kernel.shape[0]!, ch * patch * patch]);
  const y = tf.matMul(patches, k, false, true);
  return bias ? tf.add(y, bias) : y;
}

/** Checks `pixel_values` is `[B, C, H, W]` with the configured channels and image size. */
export function checkPixels(pixels: tf.Tensor | undefined, channels: number, size: readonly [number, number], model: string): tf.Tensor {
  if (!pixels) throw new Error(`${model} forward needs "pixel_values" [B, ${channels}, ${size[0]}, ${size[1]}]`);
  const s = pixels.shape;
  if (s.length !== 4 || s[1] !== channels || s[2] !== size[0] || s[3] !== size[1]) {
    throw new Error(
      `pixel_values must be [B, ${channels}, ${size[0]}, ${size[1]}] (no interpolate_pos_encoding), got [${s.join(', ')}]`,
    );
  }
  return pixels.dtype === 'float32' ? pixels : tf.cast(pixels, 'float32');
}

/**
 * `bool_masked_pos` `[B, N]` (1 = replace the patch by the mask token): `e·(1 − w) + mask·w`
 * (transformers' `ViTEmbeddings` / `BeitEmbeddings`). Needs the `embeddings.mask_token` weight.
 */
export function applyMaskToken(patches: tf.Tensor, masked: tf.Tensor | undefined, maskToken: tf.Tensor | undefined): tf.Tensor {
  if (!masked) return patches;
  if (!maskToken) throw new Error('bool_masked_pos needs the embeddings.mask_token weight (not in this checkpoint)');
  const w = tf.expandDims(tf.cast(masked, 'float32'), -1);
  return tf.add(tf.mul(patches, tf.sub(1, w)), tf.mul(tf.reshape(maskToken, [1, 1, -1]), w));
}
