import { type Hooks, rmsNorm } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type KeyValue, type W, t5Attention, weight } from './attention';
import type { T5Config } from './config';
import { t5FeedForward } from './feed-forward';
import { causalMask, paddingMask } from './masks';
import { decoderLayerIndex } from './sites';

/** Token embeddings from the shared table `shared.weight` (T5 does not scale them). */
function embed(c: T5Config, w: W, ids: tf.Tensor): tf.Tensor {
  const [b, t] = ids.shape as [number, number];
  const e = tf.gather(weight(w, 'shared.weight'), tf.reshape(tf.cast(ids, 'int32'), [-1]));
  return tf.reshape(e, [b, t, c.dModel]);
}

/** T5 LayerNorm: RMS norm without mean subtraction and without bias. */
function t5Norm(c: T5Config, w: W, name: string, x: tf.Tensor): tf.Tensor {
  return rmsNorm(x, weight(w, `${name}.weight`), c.layerNormEpsilon);
}

/** Result of the encoder stack. */
export interface EncoderResult {
  readonly lastHiddenState: tf.Tensor;
  /** transformers' `encoder_hidden_states`: embeddings, each block's input, the final output. */
  readonly hidden: tf.Tensor[];
}

/**
 * `T5StackWithAdapters.forward` as encoder: shared embeddings, dropout, the embedding hook (Python
 * `post_embedding_forward`: invertible adapters), blocks of [self-attention, FF] sub-layers (pre-norm,
 * bottleneck sites called with `layer_norm=None`), `final_layer_norm`, dropout.
 */
export function t5Encoder(c: T5Config, w: W, ids: tf.Tensor, mask2d: tf.Tensor, hooks: Hooks): EncoderResult {
  const emb = hooks.embedding('embed.out', { hidden: hooks.dropout(embed(c, w, ids), c.dropoutRate), mask: mask2d });
  let h = emb.hidden;
  const mask = paddingMask(emb.mask ?? mask2d);
  let bias: tf.Tensor | null = null;
  const hidden = [h];
  for (let i = 0; i < c.numLayers; i++) {
    const l = `encoder.block.${i}`;
    const n0 = t5Norm(c, w, `${l}.layer.0.layer_norm`, h);
    const sa = t5Attention(
      c,
      w,
      {
        kind: 'self',
        layer: i,
        path: `${l}.layer.0.SelfAttention`,
        hidden: n0,
        kvInput: n0,
        mask,
        positionBias: bias,
        hasRelativeBias: i === 0,
        bidirectional: true,
        queryStart: 0,
      },
      hooks,
    );
    h = hooks.residual('block.attn', i, hooks.dropout(sa.out, c.dropoutRate), h, null);
    const ff = t5FeedForward(c, w, i, `${l}.layer.1.DenseReluDense`, t5Norm(c, w, `${l}.layer.1.layer_norm`, h), hooks);
    h = hooks.layerOutput(i, hooks.residual('block.ffn', i, hooks.dropout(ff, c.dropoutRate), h, null));
    bias = hooks.matchBatch(h, sa.positionBias);
    hidden.push(h);
  }
  const last = hooks.dropout(t5Norm(c, w, 'encoder.final_layer_norm', h), c.dropoutRate);
  // transformers' hidden_states: the input of every block, then the final (normalised) output.
  hidden[hidden.length - 1] = last;
  return { lastHiddenState: last, hidden };
}

/** Result of the decoder stack: last hidden state, present self-attention cache per decoder block. */
export interface DecoderResult {
  readonly lastHiddenState: tf.Tensor;
  readonly present: KeyValue[];
  readonly hidden: tf.Tensor[];
}

/**
 * `T5StackWithAdapters.forward` as decoder: shared embeddings (no embedding hook, as Python), blocks of
 * [causal self-attention with KV cache, cross-attention over `encoderStates`, FF], `final_layer_norm`.
 * The causal position bias (first block's table, queries at `T_past …`) and the cross-attention bias
 * (zeros + encoder mask) are computed in the first block and shared.
 */
export function t5Decoder(
  c: T5Config,
  w: W,
  ids0: tf.Tensor,
  mask2d: tf.Tensor | undefined,
  encoderStates: tf.Tensor,
  encoderMask2d: tf.Tensor,
  past: readonly (KeyValue | null)[],
  hooks: Hooks,
): DecoderResult {
  // Python: input_ids, encoder_attention_mask = adjust_tensors_for_parallel(encoder_hidden_states, …).
  const ids = hooks.matchBatch(encoderStates, ids0);
  const crossMask = paddingMask(hooks.matchBatch(encoderStates, encoderMask2d));
  const [b, t] = ids.shape as [number, number];
  const tPast = past[0] ? past[0].key.shape[2]! : 0;
  let h = hooks.dropout(embed(c, w, ids), c.dropoutRate);
  const m2 = mask2d ?? tf.ones([b, tPast + t], 'int32');
  if (m2.shape[1] !== tPast + t) throw new Error(`decoder_attention_mask must cover past + new positions (${tPast + t}), got ${m2.shape[1]}`);
  const selfMask = causalMask(m2, t);
  let selfBias: tf.Tensor | null = null;
  let crossBias: tf.Tensor | null = null;
  const present: KeyValue[] = [];
  const hidden = [h];
  for (let j = 0; j < c.numDecoderLayers; j++) {
    const layer = decoderLayerIndex(c, j);
    const l = `decoder.block.${j}`;
    const n0 = t5Norm(c, w, `${l}.layer.0.layer_norm`, h);
    const sa = t5Attention(
      c,
      w,
      {
        kind: 'self',
        layer,
        path: `${l}.layer.0.SelfAttention`,
        hidden: n0,
        kvInput: n0,
        mask: selfMask,
        positionBias: selfBias,
        hasRelativeBias: j === 0,
        bidirectional: false,
        queryStart: tPast,
        past: past[j] ?? null,
      },
      hooks,
    );
    present.push(sa.present);
    h = hooks.residual('block.attn', layer, hooks.dropout(sa.out, c.dropoutRate), h, null);
    const n1 = t5Norm(c, w, `${l}.layer.1.layer_norm`, h);
    const ca = t5Attention(
      c,
      w,
      {
        kind: 'cross',
        layer,
        path: `${l}.layer.1.EncDecAttention`,
        hidden: n1,
        kvInput: encoderStates,
        mask: crossMask,
        positionBias: crossBias,
        hasRelativeBias: false,
        bidirectional: false,
        queryStart: tPast,
      },
      hooks,
    );
    h = hooks.residual('block.cross', layer, hooks.dropout(ca.out, c.dropoutRate), h, null);
    const ff = t5FeedForward(c, w, layer, `${l}.layer.2.DenseReluDense`, t5Norm(c, w, `${l}.layer.2.layer_norm`, h), hooks);
    h = hooks.layerOutput(layer, hooks.residual('block.ffn', layer, hooks.dropout(ff, c.dropoutRate), h, null));
    selfBias = hooks.matchBatch(h, sa.positionBias);
    crossBias = hooks.matchBatch(h, ca.positionBias);
    hidden.push(h);
  }
  const last = hooks.dropout(t5Norm(c, w, 'decoder.final_layer_norm', h), c.dropoutRate);
  hidden[hidden.length - 1] = last;
  return { lastHiddenState: last, present, hidden };
}
