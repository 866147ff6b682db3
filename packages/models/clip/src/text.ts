import { FLOAT32_MIN, type Hooks, layerNorm } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ClipConfig } from './config';
import { type W, encoderLayer, weight } from './encoder';
import { layerIndex } from './sites';

/** Outputs of the text tower (`CLIPTextTransformer`). */
export interface TextTowerOutput {
  readonly lastHiddenState: tf.Tensor;
  readonly pooled: tf.Tensor;
  readonly hidden: tf.Tensor[];
}

/** Additive `[B, 1, T, T]` mask: causal (future keys) plus padding (keys with mask 0), as transformers adds them. */
export function causalPaddingMask(mask2d: tf.Tensor): tf.Tensor {
  const [b, t] = mask2d.shape as [number, number];
  const future = tf.greater(tf.reshape(tf.range(0, t, 1, 'int32'), [1, t]), tf.reshape(tf.range(0, t, 1, 'int32'), [t, 1]));
  const causal = tf.mul(tf.cast(tf.reshape(future, [1, 1, t, t]), 'float32'), FLOAT32_MIN);
  const pad = tf.mul(tf.sub(1, tf.reshape(tf.cast(mask2d, 'float32'), [b, 1, 1, t])), FLOAT32_MIN);
  // transformers adds both masks (min + min = -inf, softmax weight 0 either way).
  return tf.add(causal, pad);
}

/**
 * Pooled-token index per row: transformers 4.47 uses `argmax(input_ids)` when `eos_token_id == 2`
 * (legacy configs) and otherwise the first position whose id equals `eos_token_id`.
 */
export function eosPositions(ids: tf.Tensor, eosTokenId: number): tf.Tensor {
  const i = tf.cast(ids, 'int32');
  return eosTokenId === 2 ? tf.argMax(i, -1) : tf.argMax(tf.cast(tf.equal(i, eosTokenId), 'int32'), -1);
}

/** `CLIPTextTransformer.forward`: embeddings, causal encoder, final LayerNorm, EOS pooling. */
export function textTower(c: ClipConfig, w: W, inputs: Readonly<Record<string, tf.Tensor>>, hooks: Hooks): TextTowerOutput {
  const t = c.text;
  const ids = inputs.input_ids!;
  const [b, n] = ids.shape as [number, number];
  const positions = inputs.position_ids ?? tf.broadcastTo(tf.reshape(tf.range(0, n, 1, 'int32'), [1, n]), [b, n]);
  const flat = (x: tf.Tensor): tf.Tensor => tf.reshape(tf.cast(x, 'int32'), [-1]);
  let e = tf.gather(weight(w, 'text_model.embeddings.token_embedding.weight'), flat(ids));
  e = tf.add(e, tf.gather(weight(w, 'text_model.embeddings.position_embedding.weight'), flat(positions)));
  e = tf.reshape(e, [b, n, t.hiddenSize]);
  const mask2d = inputs.attention_mask ?? tf.ones([b, n], 'int32');
  // Python: invertible adapters on the text embedding output (prompt tuning unsupported for CLIP).
  const emb = hooks.embedding('embed.out', { hidden: e, mask: mask2d });
  let h = emb.hidden;
  hooks.ctx.attentionMask = emb.mask ?? mask2d;
  const mask = causalPaddingMask(emb.mask ?? mask2d);
  const hidden = [h];
  for (let i = 0; i < t.numHiddenLayers; i++) {
    h = encoderLayer(t, w, 'text_model', i, layerIndex(c, 'text_model', i), h, mask, hooks);
    hidden.push(h);
  }
  const last = layerNorm(h, w.get('text_model.final_layer_norm.weight'), w.get('text_model.final_layer_norm.bias'), t.layerNormEps);
  const rows = last.shape[0]!;
  const pos = eosPositions(rows === b ? ids : tf.tile(ids, [rows / b, 1]), t.eosTokenId);
  const index = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(n, 'int32')), tf.cast(pos, 'int32'));
  const pooled = tf.gather(tf.reshape(last, [rows * n, t.hiddenSize]), index);
  return { lastHiddenState: last, pooled, hidden };
}
