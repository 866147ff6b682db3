import { type Hooks, getActivation, layerNorm } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { WhisperConfig } from './config';
import { type W, weight, whisperAttention } from './attention';

/** PyTorch `Conv1d(kernel 3, padding 1, stride s)` on `[B, T, Cin]` with a `[Cout, Cin, 3]` kernel → `[B, T', Cout]`. */
export function conv1d(x: tf.Tensor3D, kernel: tf.Tensor, bias: tf.Tensor | undefined, stride: number): tf.Tensor3D {
  const filter = tf.transpose(kernel, [2, 1, 0]) as tf.Tensor3D;
  const y = tf.conv1d(tf.pad(x, [[0, 0], [1, 1], [0, 0]]), filter, stride, 'valid');
  return (bias ? tf.add(y, bias) : y) as tf.Tensor3D;
}

/**
 * `WhisperEncoder.forward`: `input_features` `[B, n_mels, 2·max_source_positions]` → GELU(conv1) →
 * GELU(conv2, stride 2) → + sinusoidal positions → pre-LN layers → `layer_norm`. The final LayerNorm
 * output goes through the embedding hook (Python hooks invertible adapters on `encoder.layer_norm`).
 */
export function whisperEncoder(c: WhisperConfig, w: W, features: tf.Tensor, hooks: Hooks): tf.Tensor {
  const [, mels, t] = features.shape as [number, number, number];
  if (mels !== c.numMelBins || t !== 2 * c.maxSourcePositions) {
    throw new Error(`input_features must be [B, ${c.numMelBins}, ${2 * c.maxSourcePositions}] (num_mel_bins, 2·max_source_positions), got [${features.shape.join(', ')}]`);
  }
  const act = getActivation(c.activationFunction, 'activation_function');
  const x = tf.transpose(tf.cast(features, 'float32'), [0, 2, 1]) as tf.Tensor3D;
  const h1 = act(conv1d(x, weight(w, 'encoder.conv1.weight'), w.get('encoder.conv1.bias'), 1)) as tf.Tensor3D;
  const h2 = act(conv1d(h1, weight(w, 'encoder.conv2.weight'), w.get('encoder.conv2.bias'), 2));
  let h = hooks.dropout(tf.add(h2, weight(w, 'encoder.embed_positions.weight')), c.dropout);
  for (let i = 0; i < c.encoderLayers; i++) {
    const l = `encoder.layers.${i}`;
    const ln = (name: string, v: tf.Tensor): tf.Tensor => layerNorm(v, w.get(`${l}.${name}.weight`), w.get(`${l}.${name}.bias`), 1e-5);
    const hn = ln('self_attn_layer_norm', h);
    const a = whisperAttention(c, w, { kind: 'self', layer: i, path: `${l}.self_attn`, heads: c.encoderAttentionHeads, hidden: hn, kvInput: hn, mask: null }, hooks);
    const r1 = hooks.residual('block.attn', i, hooks.dropout(a.out, c.dropout), hooks.matchBatch(a.out, h), null);
    const up = hooks.dropout(act(hooks.linear('ffn.up', i, ln('final_layer_norm', r1), weight(w, `${l}.fc1.weight`), w.get(`${l}.fc1.bias`))), c.activationDropout);
    const down = hooks.dropout(hooks.linear('ffn.down', i, up, weight(w, `${l}.fc2.weight`), w.get(`${l}.fc2.bias`)), c.dropout);
    h = hooks.layerOutput(i, hooks.residual('block.ffn', i, down, r1, null));
  }
  const out = layerNorm(h, w.get('encoder.layer_norm.weight'), w.get('encoder.layer_norm.bias'), 1e-5);
  return hooks.embedding('embed.out', { hidden: out, mask: null }).hidden;
}
