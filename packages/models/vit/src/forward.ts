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
import * as tf from '@tensorflow/tfjs-core';
import type { VitConfig } from './config';
import { applyMaskToken, checkPixels, patchEmbed } from './patch';

type W = ReadonlyMap<string, tf.Tensor>;

function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`ViT weight ${name} is missing`);
  return t;
}

/** `ViTEmbeddings`: patch projection (+ mask token), CLS token, position embeddings, dropout. */
function embeddings(c: VitConfig, w: W, inputs: Readonly<Record<string, tf.Tensor>>, hooks: Hooks): tf.Tensor {
  const pixels = checkPixels(inputs.pixel_values, c.numChannels, c.imageSize, 'ViT');
  const b = pixels.shape[0]!;
  const h = c.hiddenSize;
  let e = patchEmbed(pixels, weight(w, 'embeddings.patch_embeddings.projection.weight'), c.patchSize, w.get('embeddings.patch_embeddings.projection.bias'));
  e = applyMaskToken(e, inputs.bool_masked_pos, w.get('embeddings.mask_token'));
  const cls = tf.broadcastTo(weight(w, 'embeddings.cls_token'), [b, 1, h]);
  e = tf.add(tf.concat([cls, e], 1), weight(w, 'embeddings.position_embeddings'));
  return hooks.dropout(e, c.hiddenDropoutProb);
}

/**
 * One pre-LN `ViTLayer` with every hook point of Python's `ViTLayerWithAdapters`:
 * `attention_adapters.bottleneck_layer_forward(attention_output, hidden_states, None)`, then
 * `layernorm_after`, intermediate, and `ViTOutput`'s `output_adapters(dense(x), hidden_states, None)`
 * (no LayerNorm is passed in either: the residual is added inside the hook).
 */
function encoderLayer(c: VitConfig, w: W, i: number, x: tf.Tensor, hooks: Hooks): tf.Tensor {
  const p = `encoder.layer.${i}`;
  const heads = c.numAttentionHeads;
  const lin = (point: LinearPoint, path: string, input: tf.Tensor): tf.Tensor =>
    hooks.linear(point, i, input, weight(w, `${path}.weight`), w.get(`${path}.bias`));
  const ln = (name: string, input: tf.Tensor): tf.Tensor => layerNorm(input, w.get(`${p}.${name}.weight`), w.get(`${p}.${name}.bias`), c.layerNormEps);
  const hn = ln('layernorm_before', x);
  // Python: match_attn_matrices_for_parallel(q, k, v), then prefix tuning, then adjust_tensors_for_parallel(k, q).
  const [q0, k0, v0] = hooks.matchBatches([
    lin('attn.q', `${p}.attention.attention.query`, hn),
    lin('attn.k', `${p}.attention.attention.key`, hn),
    lin('attn.v', `${p}.attention.attention.value`, hn),
  ]) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const kv = hooks.attention('attn.self', i, { key: splitHeads(k0, heads), value: splitHeads(v0, heads), mask: null, hidden: hn });
  const q = hooks.matchBatch(kv.key, splitHeads(q0, heads));
  const ctxt = attention(q, kv.key, kv.value, kv.mask, 1 / Math.sqrt(c.hiddenSize / heads), (a) => hooks.dropout(a, c.attentionProbsDropoutProb));
  const attnOut = hooks.dropout(lin('attn.o', `${p}.attention.output.dense`, mergeHeads(ctxt)), c.hiddenDropoutProb);
  const a = hooks.residual('block.attn', i, attnOut, hooks.matchBatch(attnOut, x), null);
  const act = getActivation(c.hiddenAct, 'hidden_act');
  const inter = act(lin('ffn.up', `${p}.intermediate.dense`, ln('layernorm_after', a)));
  const out = hooks.dropout(lin('ffn.down', `${p}.output.dense`, inter), c.hiddenDropoutProb);
  const y = hooks.residual('block.ffn', i, out, a, null);
  return hooks.layerOutput(i, y);
}

/**
 * `ViTModel.forward` on `pixel_values` `[B, C, H, W]` (optional `bool_masked_pos` `[B, N]`):
 * `last_hidden_state` (after the final `layernorm`), `pooler_output` (dense + `pooler_act` of the
 * first token, when the checkpoint has a pooler) and, on request, `hidden_states`.
 */
export function vitForward(args: ModelForwardArgs<VitConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  // Python: the embeddings' forward hook runs invertible adapters (none for ViT) and prompt tuning.
  const emb = hooks.embedding('embed.out', { hidden: embeddings(c, w, inputs, hooks), mask: null });
  let h = emb.hidden;
  hooks.ctx.attentionMask = null;
  const hidden: tf.Tensor[] = [h];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    h = encoderLayer(c, w, i, h, hooks);
    hidden.push(h);
  }
  const last = layerNorm(h, w.get('layernorm.weight'), w.get('layernorm.bias'), c.layerNormEps);
  const out: ModelOutput = { last_hidden_state: last };
  const pw = w.get('pooler.dense.weight');
  if (pw) {
    const first = tf.squeeze(tf.slice(last, [0, 0, 0], [-1, 1, -1]), [1]);
    out.pooler_output = getActivation(c.poolerAct, 'pooler_act')(tf.add(tf.matMul(first, pw), weight(w, 'pooler.dense.bias')));
  }
  if (args.outputHiddenStates) out.hidden_states = hidden;
  return out;
}
