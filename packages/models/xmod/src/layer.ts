import { type Hooks, type LinearPoint, attention, getActivation, layerNorm, mergeHeads, splitHeads } from '@adapters/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { XmodConfig } from './config';
import { languageAdapter } from './language-adapter';

type W = ReadonlyMap<string, tf.Tensor>;

function get(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`X-MOD weight ${name} is missing`);
  return t;
}

/**
 * BERT-style self-attention with the hooks of Python's `XmodSelfAttentionWithAdapters`
 * (LoRA on query/key/value, Parallel matching, prefix tuning). `mask` is additive `[B, 1, 1, T]`.
 */
function selfAttention(c: XmodConfig, w: W, i: number, x: tf.Tensor, mask: tf.Tensor, hooks: Hooks): tf.Tensor {
  const p = `encoder.layer.${i}.attention.self`;
  const heads = c.numAttentionHeads;
  const lin = (point: LinearPoint, name: string): tf.Tensor => hooks.linear(point, i, x, get(w, `${p}.${name}.weight`), w.get(`${p}.${name}.bias`));
  const [q0, k0, v0] = hooks.matchBatches([lin('attn.q', 'query'), lin('attn.k', 'key'), lin('attn.v', 'value')]) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const kv = hooks.attention('attn.self', i, { key: splitHeads(k0, heads), value: splitHeads(v0, heads), mask: hooks.matchBatch(q0, mask), hidden: x });
  const q = hooks.matchBatch(kv.key, splitHeads(q0, heads));
  const ctxt = attention(q, kv.key, hooks.matchBatch(kv.key, kv.value), kv.mask, 1 / Math.sqrt(c.hiddenSize / heads), (t) => hooks.dropout(t, c.attentionProbsDropoutProb));
  return mergeHeads(ctxt);
}

/**
 * One `XmodLayer` with every hook point of Python's integration:
 * - attention: `XmodSelfOutputWithAdapters` calls the bottleneck with **no** LayerNorm
 *   (`h + residual`); `XmodAttention` applies `attention.output.LayerNorm` afterwards (post-norm)
 *   or before the attention (pre-norm).
 * - FFN, Python adapters behaviour (default): X-MOD's language adapters are deleted and the output
 *   bottleneck gets `adapter_layer_norm` if configured, else the reused `output.LayerNorm`
 *   (`LayerNorm(dense(h) + residual)` when no adapter is active, followed by the layer's LayerNorm).
 * - FFN, transformers behaviour (`languageAdapters`): `h + residual` (the bottleneck hook without
 *   LayerNorm), then the per-row language adapter (`ids`).
 * Post-norm models apply `output.LayerNorm` once more after the output module; pre-norm models
 * apply it before the FFN instead, as transformers.
 */
export function xmodLayer(c: XmodConfig, w: W, i: number, x: tf.Tensor, mask: tf.Tensor, ids: readonly number[] | null, hooks: Hooks): tf.Tensor {
  const p = `encoder.layer.${i}`;
  const norm = (path: string) => (t: tf.Tensor): tf.Tensor => layerNorm(t, w.get(`${path}.weight`), w.get(`${path}.bias`), c.layerNormEps);
  const attnNorm = norm(`${p}.attention.output.LayerNorm`);
  const outNorm = norm(`${p}.output.LayerNorm`);
  const lin = (point: LinearPoint, path: string, input: tf.Tensor): tf.Tensor => hooks.linear(point, i, input, get(w, `${path}.weight`), w.get(`${path}.bias`));
  // Python: a forward pre-hook on every layer runs adjust_tensors_for_parallel_(hidden, mask).
  const m = hooks.matchBatch(x, mask);
  const ctxt = selfAttention(c, w, i, c.preNorm ? attnNorm(x) : x, m, hooks);
  const attnOut = hooks.dropout(lin('attn.o', `${p}.attention.output.dense`, ctxt), c.hiddenDropoutProb);
  let a = hooks.residual('block.attn', i, attnOut, hooks.matchBatch(attnOut, x), null);
  if (!c.preNorm) a = attnNorm(a);
  const act = getActivation(c.hiddenAct, 'hidden_act');
  const inter = act(lin('ffn.up', `${p}.intermediate.dense`, c.preNorm ? outNorm(a) : a));
  const out = hooks.dropout(lin('ffn.down', `${p}.output.dense`, inter), c.hiddenDropoutProb);
  let y: tf.Tensor;
  if (c.languageAdapters) {
    y = hooks.residual('block.ffn', i, out, a, null);
    y = languageAdapter(c, w, i, y, ids!, hooks);
  } else {
    const ln = c.adapterLayerNorm ? norm(`${p}.output.adapter_layer_norm`) : outNorm;
    y = hooks.residual('block.ffn', i, out, a, ln);
  }
  // transformers XmodLayer: post-norm models apply output.LayerNorm after the output module — on
  // top of the LayerNorm inside it (the reused one before the language adapter, or the one the
  // adapters bottleneck applies), so the adapters behaviour computes LayerNorm(LayerNorm(h + res)).
  if (!c.preNorm) y = outNorm(y);
  return hooks.layerOutput(i, y);
}
