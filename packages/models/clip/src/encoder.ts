import { type Hooks, type LinearPoint, attention, getActivation, layerNorm, mergeHeads, splitHeads } from '@adapters/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { ClipTowerConfig } from './config';

/** Weight map of a forward pass. */
export type W = ReadonlyMap<string, tf.Tensor>;

/** A required weight (clear error when missing). */
export function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`CLIP weight ${name} is missing`);
  return t;
}

/**
 * One pre-LN `CLIPEncoderLayer` with every hook point of Python's `CLIPEncoderLayerWithAdapters`:
 * LoRA on q/k/v/fc1/fc2, prefix tuning on the keys/values, `attention_adapters` / `output_adapters`
 * bottlenecks called as `(h, residual, layer_norm=None)`, ReFT on the layer output.
 * `mask` is the additive `[B|1, 1, T, T]` mask (causal + padding for text, none for vision).
 */
export function encoderLayer(
  t: ClipTowerConfig,
  w: W,
  prefix: string,
  i: number,
  layer: number,
  x0: tf.Tensor,
  mask0: tf.Tensor | null,
  hooks: Hooks,
): tf.Tensor {
  const p = `${prefix}.encoder.layers.${i}`;
  const heads = t.numAttentionHeads;
  // Python: CLIPEncoder forward pre-hook adjust_tensors_for_parallel_(hidden_states, attention_mask).
  const x = x0;
  const mask = mask0 ? hooks.matchBatch(x, mask0) : null;
  const lin = (point: LinearPoint, path: string, input: tf.Tensor): tf.Tensor =>
    hooks.linear(point, layer, input, weight(w, `${path}.weight`), w.get(`${path}.bias`));
  const ln = (name: string, input: tf.Tensor): tf.Tensor => layerNorm(input, w.get(`${p}.${name}.weight`), w.get(`${p}.${name}.bias`), t.layerNormEps);
  const h = ln('layer_norm1', x);
  const [q0, k0, v0] = hooks.matchBatches([
    lin('attn.q', `${p}.self_attn.q_proj`, h),
    lin('attn.k', `${p}.self_attn.k_proj`, h),
    lin('attn.v', `${p}.self_attn.v_proj`, h),
  ]) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const kv = hooks.attention('attn.self', layer, { key: splitHeads(k0, heads), value: splitHeads(v0, heads), mask, hidden: h });
  const q = hooks.matchBatch(kv.key, splitHeads(q0, heads));
  const ctxt = attention(q, kv.key, kv.value, kv.mask, 1 / Math.sqrt(t.hiddenSize / heads), (a) => hooks.dropout(a, t.attentionDropout));
  const attnOut = lin('attn.o', `${p}.self_attn.out_proj`, mergeHeads(ctxt));
  const a = hooks.residual('block.attn', layer, attnOut, hooks.matchBatch(attnOut, x), null);
  const act = getActivation(t.hiddenAct, 'hidden_act');
  const ff = lin('ffn.down', `${p}.mlp.fc2`, act(lin('ffn.up', `${p}.mlp.fc1`, ln('layer_norm2', a))));
  const y = hooks.residual('block.ffn', layer, ff, a, null);
  return hooks.layerOutput(layer, y);
}
