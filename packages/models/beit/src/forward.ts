import {
  type Hooks,
  type LinearPoint,
  type ModelForwardArgs,
  type ModelOutput,
  attention,
  getActivation,
  layerNorm,
  mergeHeads,
  splitHeads,
} from '@adapters/core';
import { applyMaskToken, checkPixels, patchEmbed } from '@adapters/vit';
import * as tf from '@tensorflow/tfjs-core';
import { type BeitConfig, windowSize } from './config';
import { relativePositionBias } from './relative-position';

type W = ReadonlyMap<string, tf.Tensor>;

function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`BEiT weight ${name} is missing`);
  return t;
}

/** `BeitEmbeddings`: patch projection (+ patch position embeddings), mask token, CLS (+ its position), dropout. */
function embeddings(c: BeitConfig, w: W, inputs: Readonly<Record<string, tf.Tensor>>, hooks: Hooks): tf.Tensor {
  const pixels = checkPixels(inputs.pixel_values, c.numChannels, c.imageSize, 'BEiT');
  const b = pixels.shape[0]!;
  const h = c.hiddenSize;
  let e = patchEmbed(pixels, weight(w, 'embeddings.patch_embeddings.projection.weight'), c.patchSize, w.get('embeddings.patch_embeddings.projection.bias'));
  const pos = c.useAbsolutePositionEmbeddings ? weight(w, 'embeddings.position_embeddings') : null;
  // transformers adds the (bicubically resized — the identity at the configured size) patch positions inside the patch embedding.
  if (pos) e = tf.add(e, tf.slice(pos, [0, 1, 0], [1, -1, -1]));
  e = applyMaskToken(e, inputs.bool_masked_pos, w.get('embeddings.mask_token'));
  let cls = tf.broadcastTo(weight(w, 'embeddings.cls_token'), [b, 1, h]);
  if (pos) cls = tf.add(cls, tf.slice(pos, [0, 0, 0], [1, 1, -1]));
  return hooks.dropout(tf.concat([cls, e], 1), c.hiddenDropoutProb);
}

/** Per-sample stochastic depth (`BeitDropPath`): identity in eval mode or for rate 0. */
function dropPath(x: tf.Tensor, rate: number, hooks: Hooks): tf.Tensor {
  if (!hooks.ctx.training || rate <= 0) return x;
  // A dropout of a [B, 1, 1] ones tensor is the per-sample keep mask scaled by 1/keep, as transformers' drop_path.
  return tf.mul(x, hooks.dropout(tf.ones([x.shape[0]!, 1, 1]), rate));
}

/**
 * Adds the relative position bias `[1, heads, N+1, N+1]` to the attention mask. Prompt-tuning
 * tokens (extra queries/keys) and prefix-tuning keys make the scores larger than the bias: Python
 * then fails on the broadcast (reproduced by default); the opt-in fix gives them a zero bias
 * (prompt tokens and prefix keys sit at the front, as the default `combine: "prefix"` and prefix
 * tuning put them).
 */
function withBias(c: BeitConfig, mask: tf.Tensor | null, bias: tf.Tensor | null, tq: number, tk: number, layer: number): tf.Tensor | null {
  if (!bias) return mask;
  const t = bias.shape[2]!;
  let b = bias;
  if (tq !== t || tk !== t) {
    if (!c.padRelativePositionBias) {
      throw new Error(
        `BEiT layer ${layer}: attention scores are ${tq}×${tk} but the relative position bias is ${t}×${t} ` +
          '(prompt or prefix tuning with use_relative_position_bias). Python adapters fails here too; set ' +
          '"adapters_pad_relative_position_bias": true in config.json (or use createBeit({ padRelativePositionBias: true })) ' +
          'to give the extra tokens a zero bias.',
      );
    }
    b = tf.pad(bias, [[0, 0], [0, 0], [tq - t, 0], [tk - t, 0]]);
  }
  return mask ? tf.add(mask, b) : b;
}

/**
 * One pre-LN `BeitLayer` with every hook point of Python's `BeitLayerWithAdapters`: q/k/v (key
 * without bias), prefix tuning, relative position bias (own and/or shared), `lambda_1 ·` the
 * attention output into `attention_adapters(h, residual, None)`, `layernorm_after`, intermediate,
 * output, `lambda_2 ·` into `output_adapters(h, residual, None)`, ReFT on the layer output.
 */
function encoderLayer(c: BeitConfig, w: W, i: number, x: tf.Tensor, shared: tf.Tensor | null, hooks: Hooks): tf.Tensor {
  const p = `encoder.layer.${i}`;
  const heads = c.numAttentionHeads;
  const lin = (point: LinearPoint, path: string, input: tf.Tensor): tf.Tensor =>
    hooks.linear(point, i, input, weight(w, `${path}.weight`), w.get(`${path}.bias`));
  const ln = (name: string, input: tf.Tensor): tf.Tensor => layerNorm(input, w.get(`${p}.${name}.weight`), w.get(`${p}.${name}.bias`), c.layerNormEps);
  const rate = c.numHiddenLayers > 1 ? (c.dropPathRate * i) / (c.numHiddenLayers - 1) : 0;
  const hn = ln('layernorm_before', x);
  const [q0, k0, v0] = hooks.matchBatches([
    lin('attn.q', `${p}.attention.attention.query`, hn),
    lin('attn.k', `${p}.attention.attention.key`, hn),
    lin('attn.v', `${p}.attention.attention.value`, hn),
  ]) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const kv = hooks.attention('attn.self', i, { key: splitHeads(k0, heads), value: splitHeads(v0, heads), mask: null, hidden: hn });
  const q = hooks.matchBatch(kv.key, splitHeads(q0, heads));
  const [wh, ww] = windowSize(c);
  const own = c.useRelativePositionBias ? relativePositionBias(weight(w, `${p}.attention.attention.relative_position_bias.relative_position_bias_table`), wh, ww) : null;
  const tq = q.shape[2]!;
  const tk = kv.key.shape[2]!;
  const mask = withBias(c, withBias(c, kv.mask, own, tq, tk, i), shared, tq, tk, i);
  const ctxt = attention(q, kv.key, kv.value, mask, 1 / Math.sqrt(c.hiddenSize / heads), (a) => hooks.dropout(a, c.attentionProbsDropoutProb));
  let attnOut = hooks.dropout(lin('attn.o', `${p}.attention.output.dense`, mergeHeads(ctxt)), c.hiddenDropoutProb);
  const l1 = w.get(`${p}.lambda_1`);
  if (l1) attnOut = tf.mul(l1, attnOut);
  const a = hooks.residual('block.attn', i, dropPath(attnOut, rate, hooks), hooks.matchBatch(attnOut, x), null);
  const act = getActivation(c.hiddenAct, 'hidden_act');
  const inter = act(lin('ffn.up', `${p}.intermediate.dense`, ln('layernorm_after', a)));
  let out = hooks.dropout(lin('ffn.down', `${p}.output.dense`, inter), c.hiddenDropoutProb);
  const l2 = w.get(`${p}.lambda_2`);
  if (l2) out = tf.mul(l2, out);
  const y = hooks.residual('block.ffn', i, dropPath(out, rate, hooks), a, null);
  return hooks.layerOutput(i, y);
}

/**
 * `BeitModel.forward` on `pixel_values` `[B, C, H, W]` (optional `bool_masked_pos` `[B, N]`):
 * `last_hidden_state` (final `layernorm` unless mean pooling), `pooler_output` (`pooler.layernorm`
 * of the mean of tokens `1:`, or the first token) and, on request, `hidden_states`.
 */
export function beitForward(args: ModelForwardArgs<BeitConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  // Python: the embeddings' forward hook (post_embedding_forward) runs prompt tuning on the embedding output.
  const emb = hooks.embedding('embed.out', { hidden: embeddings(c, w, inputs, hooks), mask: null });
  let h = emb.hidden;
  hooks.ctx.attentionMask = null;
  const [wh, ww] = windowSize(c);
  const sharedTable = c.useSharedRelativePositionBias ? weight(w, 'encoder.relative_position_bias.relative_position_bias_table') : null;
  const hidden: tf.Tensor[] = [h];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    // transformers recomputes the shared bias in every layer from the same table.
    const shared = sharedTable ? relativePositionBias(sharedTable, wh, ww) : null;
    h = encoderLayer(c, w, i, h, shared, hooks);
    hidden.push(h);
  }
  const out: ModelOutput = { last_hidden_state: h };
  if (c.useMeanPooling) {
    // Python takes tokens 1: — with prompt tuning ("prefix") that includes all but the first prompt token, reproduced.
    const patches = tf.slice(h, [0, 1, 0], [-1, -1, -1]);
    out.pooler_output = layerNorm(tf.mean(patches, 1), w.get('pooler.layernorm.weight'), w.get('pooler.layernorm.bias'), c.layerNormEps);
  } else {
    out.last_hidden_state = layerNorm(h, w.get('layernorm.weight'), w.get('layernorm.bias'), c.layerNormEps);
    out.pooler_output = tf.squeeze(tf.slice(out.last_hidden_state, [0, 0, 0], [-1, 1, -1]), [1]);
  }
  if (args.outputHiddenStates) out.hidden_states = hidden;
  return out;
}
