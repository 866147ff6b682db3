import { type Hooks, type LinearPoint, attention, dense, getActivation, mergeHeads, rmsNorm, splitHeads } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayerCache } from './cache';
import type { LlamaConfig } from './config';
import { repeatKv } from './gqa';
import { ffnPoints, layerPath } from './paths';
import { applyRotary } from './rope';

/** Base weights by name. */
export type Weights = ReadonlyMap<string, tf.Tensor>;

/** Looks a base weight up, failing clearly when absent. */
export function weight(w: Weights, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`Llama weight ${name} is missing`);
  return t;
}

/** RMSNorm of the family: `x̂ · w` (Llama, Mistral, Qwen2) or `x̂ · (1 + w)` (Gemma). */
export function familyNorm(c: LlamaConfig, x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  return rmsNorm(x, c.normPlusOne ? tf.add(w, 1) : w, c.rmsNormEps);
}

/** Per-pass inputs shared by every layer. */
export interface LayerContext {
  readonly config: LlamaConfig;
  readonly weights: Weights;
  readonly hooks: Hooks;
  /** Additive mask `[B, 1, Tq, Tk]`. */
  readonly mask: tf.Tensor;
  /** RoPE tables `[B|1, 1, Tq, headDim]`. */
  readonly cos: tf.Tensor;
  readonly sin: tf.Tensor;
}

/** Makes all tensors share the largest batch (Python `match_attn_matrices_for_parallel`). */
function matchAll(hooks: Hooks, ts: tf.Tensor[]): tf.Tensor[] {
  const ref = ts.reduce((a, b) => (b.shape[0]! > a.shape[0]! ? b : a));
  return ts.map((t) => hooks.matchBatch(ref, t));
}

/**
 * Self-attention of layer `i` (LlamaAttentionWithAdapters): q/k/v projections, RoPE, KV-cache
 * concatenation, prefix-tuning hook (after the cache, as in Python), grouped-query attention,
 * output projection. Returns the attention output and the present key/value.
 */
function selfAttention(lc: LayerContext, i: number, h: tf.Tensor, past: LayerCache | null): { out: tf.Tensor; present: LayerCache } {
  const { config: c, weights: w, hooks } = lc;
  const p = `${layerPath(i)}.self_attn`;
  const lin = (point: LinearPoint, name: string, x: tf.Tensor): tf.Tensor =>
    hooks.linear(point, i, x, weight(w, `${p}.${name}.weight`), w.get(`${p}.${name}.bias`));
  let q = splitHeads(lin('attn.q', 'q_proj', h), c.numAttentionHeads);
  let k = splitHeads(lin('attn.k', 'k_proj', h), c.numKeyValueHeads);
  let v = splitHeads(lin('attn.v', 'v_proj', h), c.numKeyValueHeads);
  [q, k, v] = matchAll(hooks, [q, k, v]) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const cos = hooks.matchBatch(q, lc.cos);
  const sin = hooks.matchBatch(q, lc.sin);
  q = applyRotary(q, cos, sin);
  k = applyRotary(k, cos, sin);
  if (past) {
    const [pk, pv, nk, nv] = matchAll(hooks, [past.key, past.value, k, v]) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    k = tf.concat([pk, nk], 2);
    v = tf.concat([pv, nv], 2);
    q = hooks.matchBatch(k, q);
  }
  const present = { key: k, value: v };
  const kv = hooks.attention('attn.self', i, { key: k, value: v, mask: hooks.matchBatch(k, lc.mask), hidden: h });
  q = hooks.matchBatch(kv.key, q);
  const groups = c.numAttentionHeads / c.numKeyValueHeads;
  const ctxt = attention(q, repeatKv(kv.key, groups), repeatKv(kv.value, groups), kv.mask, 1 / Math.sqrt(c.headDim), (t) =>
    hooks.dropout(t, c.attentionDropout),
  );
  return { out: lin('attn.o', 'o_proj', mergeHeads(ctxt)), present };
}

/** Gated MLP `down(act(gate(x)) · up(x))`; the gate projection has no hook (never wrapped in Python). */
function mlp(lc: LayerContext, i: number, x: tf.Tensor): tf.Tensor {
  const { config: c, weights: w, hooks } = lc;
  const p = `${layerPath(i)}.mlp`;
  const points = ffnPoints(c);
  const act = getActivation(c.hiddenAct, c.normPlusOne ? 'hidden_activation' : 'hidden_act');
  const gate = dense(x, weight(w, `${p}.gate_proj.weight`), w.get(`${p}.gate_proj.bias`));
  const up = hooks.linear(points.up, i, x, weight(w, `${p}.up_proj.weight`), w.get(`${p}.up_proj.bias`));
  const inter = tf.mul(act(hooks.matchBatch(up, gate)), up);
  return hooks.linear(points.down, i, inter, weight(w, `${p}.down_proj.weight`), w.get(`${p}.down_proj.bias`));
}

/**
 * One pre-LN decoder layer (LlamaDecoderLayerWithAdapters): `h + attn(norm(h))` and
 * `h + mlp(norm(h))`, each residual sum taken by a bottleneck hook without LayerNorm (Python
 * `attention_adapters(h, residual, None)` / `output_adapters(h, residual, None)`), then the
 * layer-output hook.
 */
export function decoderLayer(lc: LayerContext, i: number, x: tf.Tensor, past: LayerCache | null): { hidden: tf.Tensor; present: LayerCache } {
  const { config: c, weights: w, hooks } = lc;
  const l = layerPath(i);
  const attn = selfAttention(lc, i, familyNorm(c, x, weight(w, `${l}.input_layernorm.weight`)), past);
  const a = hooks.residual('block.attn', i, attn.out, x, null);
  const m = mlp(lc, i, familyNorm(c, a, weight(w, `${l}.post_attention_layernorm.weight`)));
  const y = hooks.residual('block.ffn', i, m, a, null);
  return { hidden: hooks.layerOutput(i, y), present: attn.present };
}
