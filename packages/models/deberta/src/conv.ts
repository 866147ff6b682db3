import { type Hooks, getActivation, layerNorm } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { DebertaConfig } from './config';

type W = ReadonlyMap<string, tf.Tensor>;

/** PyTorch `Conv1d` weight `[out, in/groups, k]` over `[B, T, in]` with `(k−1)/2` zero padding on both sides. */
function conv1d(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | undefined, groups: number): tf.Tensor {
  const [out, inPerGroup, k] = weight.shape as [number, number, number];
  const pad = (k - 1) / 2;
  const xp = tf.pad(x, [[0, 0], [pad, pad], [0, 0]]);
  const outPerGroup = out / groups;
  const parts: tf.Tensor[] = [];
  for (let g = 0; g < groups; g++) {
    const xg = groups === 1 ? xp : tf.slice(xp, [0, 0, g * inPerGroup], [-1, -1, inPerGroup]);
    const wg = groups === 1 ? weight : tf.slice(weight, [g * outPerGroup, 0, 0], [outPerGroup, -1, -1]);
    parts.push(tf.conv1d(xg as tf.Tensor3D, tf.transpose(wg, [2, 1, 0]) as tf.Tensor3D, 1, 'valid'));
  }
  const y = groups === 1 ? parts[0]! : tf.concat(parts, 2);
  return bias ? tf.add(y, bias) : y;
}

/**
 * DeBERTa-v2 `ConvLayer` (`conv_kernel_size > 0`), applied after the first layer:
 * `out = act(dropout(conv(encoder_input)))` with padded positions zeroed, then
 * `LayerNorm(layer0_output + out) · mask`. `mask2d` is `[B, T]` (1 = token).
 */
export function convLayer(c: DebertaConfig, w: W, input: tf.Tensor, residual: tf.Tensor, mask2d: tf.Tensor, hooks: Hooks): tf.Tensor {
  const x = hooks.matchBatch(residual, input);
  const m = tf.expandDims(tf.cast(hooks.matchBatch(residual, mask2d), 'float32'), 2);
  let out = conv1d(x, w.get('encoder.conv.conv.weight')!, w.get('encoder.conv.conv.bias'), c.convGroups);
  out = tf.mul(out, m); // masked_fill_(~mask, 0)
  out = getActivation(c.convAct, 'conv_act')(hooks.dropout(out, c.hiddenDropoutProb));
  const y = layerNorm(tf.add(residual, out), w.get('encoder.conv.LayerNorm.weight'), w.get('encoder.conv.LayerNorm.bias'), c.layerNormEps);
  return tf.mul(y, m);
}
