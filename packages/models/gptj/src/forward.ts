import { type Hooks, type ModelForwardArgs, type ModelOutput, getActivation, layerNorm, mergeHeads } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type LayerCache, flag, presentKey, readPast } from './cache';
import type { GptjConfig } from './config';
import { gptjCausalMask } from './mask';
import { applyRotary, rotarySinCos } from './rotary';

type W = ReadonlyMap<string, tf.Tensor>;

function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`GPT-J weight ${name} is missing`);
  return t;
}

interface LayerArgs {
  readonly c: GptjConfig;
  readonly w: W;
  readonly hooks: Hooks;
  /** Additive causal + padding mask `[B, 1, T, T_past + T]`. */
  readonly mask: tf.Tensor;
  /** Rotary `sin`/`cos` `[B, T, rotary_dim/2]`. */
  readonly sin: tf.Tensor;
  readonly cos: tf.Tensor;
}

/** Python `match_attn_matrices_for_parallel`: repeats q/k/v to the largest batch among them. */
function matchQkv(hooks: Hooks, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const ref = [q, k, v].reduce((a, b) => (b.shape[0]! > a.shape[0]! ? b : a));
  return [hooks.matchBatch(ref, q), hooks.matchBatch(ref, k), hooks.matchBatch(ref, v)];
}

/**
 * One GPT-J block: attention and MLP both read `ln_1(x)` (parallel residual); the output is
 * `output_adapters(mlp, attention_adapters(attn, x))` = `mlp + attn + x` without adapters.
 */
function block(a: LayerArgs, i: number, x: tf.Tensor, past: LayerCache | null): { hidden: tf.Tensor; present: LayerCache } {
  const { c, w, hooks } = a;
  const p = `h.${i}`;
  const lin = (point: Parameters<Hooks['linear']>[0], path: string, input: tf.Tensor): tf.Tensor =>
    hooks.linear(point, i, input, weight(w, `${path}.weight`), w.get(`${path}.bias`));
  const ln1 = layerNorm(x, w.get(`${p}.ln_1.weight`), w.get(`${p}.ln_1.bias`), c.layerNormEps);
  const [qf, kf, vf] = matchQkv(hooks, lin('attn.q', `${p}.attn.q_proj`, ln1), lin('attn.k', `${p}.attn.k_proj`, ln1), lin('attn.v', `${p}.attn.v_proj`, ln1));
  const mask = hooks.matchBatch(qf, hooks.matchBatch(x, a.mask));
  const [b, t] = qf.shape as [number, number, number];
  const heads = (z: tf.Tensor): tf.Tensor => tf.reshape(z, [b, t, c.numHeads, c.headDim]); // [B, T, heads, d]
  const sin = hooks.matchBatch(qf, a.sin);
  const cos = hooks.matchBatch(qf, a.cos);
  let q = tf.transpose(applyRotary(heads(qf), sin, cos, c.rotaryDim), [0, 2, 1, 3]);
  let k = tf.transpose(applyRotary(heads(kf), sin, cos, c.rotaryDim), [0, 2, 1, 3]);
  let v = tf.transpose(heads(vf), [0, 2, 1, 3]);
  if (past) {
    k = tf.concat([hooks.matchBatch(k, past.key), k], 2);
    v = tf.concat([hooks.matchBatch(v, past.value), v], 2);
  }
  const present = { key: k, value: v };
  // Python applies prefix tuning after the cache update: cached keys never contain the prefix.
  const kv = hooks.attention('attn.self', i, { key: k, value: v, mask, hidden: ln1 });
  q = hooks.matchBatch(kv.key, q);
  // transformers GPTJAttention._attn: q·kᵀ / sqrt(head_dim) (a float32 tensor), + mask, softmax.
  let scores = tf.div(tf.matMul(q, kv.key, false, true), Math.fround(Math.sqrt(c.headDim)));
  if (kv.mask) scores = tf.add(scores, kv.mask);
  const probs = hooks.dropout(tf.softmax(scores, -1), c.attnDropout);
  let attnOut = lin('attn.o', `${p}.attn.out_proj`, mergeHeads(tf.matMul(probs, kv.value)));
  attnOut = hooks.dropout(attnOut, c.residDropout);
  const act = getActivation(c.activation, 'activation_function');
  let ff = lin('ffn.down', `${p}.mlp.fc_out`, act(lin('ffn.up', `${p}.mlp.fc_in`, ln1)));
  ff = hooks.dropout(ff, c.residDropout);
  // Python (PR #426): attention_adapters(attn_output, residual, None), then output_adapters(mlp, that, None).
  const h1 = hooks.residual('block.attn', i, attnOut, x, null);
  const h2 = hooks.residual('block.ffn', i, ff, h1, null);
  return { hidden: hooks.layerOutput(i, h2), present };
}

/**
 * `GPTJModel` forward with every adapter hook.
 *
 * Inputs: `input_ids` `[B, T]` (only the new tokens when a past is given), optional
 * `attention_mask` `[B, T_past + T]`, `position_ids` `[B, T]` (default `T_past … T_past + T − 1`),
 * `token_type_ids`, `past_key_values.<i>.key|value` (keys after the rotary embedding), scalar
 * `use_cache`. Outputs: `last_hidden_state` (after `ln_f`), `hidden_states` on request (embedding
 * output, each layer's output, the last one after `ln_f`), `present_key_values.<i>.key|value` when caching.
 */
export function gptjForward(args: ModelForwardArgs<GptjConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  const ids = inputs.input_ids;
  if (!ids) throw new Error('GPT-J forward needs "input_ids"');
  const [b, t] = ids.shape as [number, number];
  const past = readPast(inputs, c.numLayers);
  const pastLength = past[0]?.key.shape[2] ?? 0;
  const useCache = past[0] !== null || flag(inputs, 'use_cache');
  const mask2d = inputs.attention_mask ?? tf.ones([b, pastLength + t], 'int32');
  if (mask2d.shape[1] !== pastLength + t) {
    throw new Error(`attention_mask covers ${mask2d.shape[1]} positions; expected past ${pastLength} + new ${t}`);
  }
  const flat = (x: tf.Tensor): tf.Tensor => tf.reshape(tf.cast(x, 'int32'), [-1]);
  const wte = weight(w, 'wte.weight');
  let e = tf.gather(wte, flat(ids));
  if (inputs.token_type_ids) e = tf.add(e, tf.gather(wte, flat(inputs.token_type_ids)));
  e = hooks.dropout(tf.reshape(e, [b, t, c.hiddenSize]), c.embdDropout);
  const emb = hooks.embedding('embed.out', { hidden: e, mask: mask2d });
  let h = emb.hidden;
  const m2 = emb.mask ?? mask2d;
  hooks.ctx.attentionMask = m2;
  const positions = inputs.position_ids ?? tf.reshape(tf.range(pastLength, pastLength + t, 1, 'int32'), [1, t]);
  const { sin, cos } = rotarySinCos(tf.broadcastTo(positions, [b, t]), c.rotaryDim);
  const layerArgs: LayerArgs = { c, w, hooks, mask: gptjCausalMask(m2, pastLength, t), sin, cos };
  const hidden: tf.Tensor[] = [h];
  const presents: LayerCache[] = [];
  for (let i = 0; i < c.numLayers; i++) {
    const r = block(layerArgs, i, h, past[i] ?? null);
    h = r.hidden;
    presents.push(r.present);
    if (i < c.numLayers - 1) hidden.push(h);
  }
  h = layerNorm(h, w.get('ln_f.weight'), w.get('ln_f.bias'), c.layerNormEps);
  hidden.push(h);
  const out: ModelOutput = { last_hidden_state: h };
  if (args.outputHiddenStates) out.hidden_states = hidden;
  if (useCache) {
    presents.forEach((p, i) => {
      out[presentKey(i, 'key')] = p.key;
      out[presentKey(i, 'value')] = p.value;
    });
  }
  return out;
}
