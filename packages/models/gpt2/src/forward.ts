import {
  type Hooks,
  type ModelForwardArgs,
  type ModelOutput,
  extendedAttentionMask,
  getActivation,
  layerNorm,
  mergeHeads,
  splitHeads,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { gpt2Attention } from './attention';
import { type LayerCache, flag, presentKey, readPast } from './cache';
import type { Gpt2Config } from './config';

type W = ReadonlyMap<string, tf.Tensor>;

function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`GPT-2 weight ${name} is missing`);
  return t;
}

/** `wte[ids] + wpe[positions] (+ wte[token_type_ids])`, dropout. */
function embeddings(c: Gpt2Config, w: W, ids: tf.Tensor, positions: tf.Tensor, tokenTypes: tf.Tensor | undefined, hooks: Hooks): tf.Tensor {
  const [b, t] = ids.shape as [number, number];
  const flat = (x: tf.Tensor): tf.Tensor => tf.reshape(tf.cast(x, 'int32'), [-1]);
  const wte = weight(w, 'wte.weight');
  const pos = tf.broadcastTo(positions, [b, t]);
  let e = tf.add(tf.gather(wte, flat(ids)), tf.gather(weight(w, 'wpe.weight'), flat(pos)));
  if (tokenTypes) e = tf.add(e, tf.gather(wte, flat(tokenTypes)));
  return hooks.dropout(tf.reshape(e, [b, t, c.hiddenSize]), c.embdDropout);
}

interface LayerArgs {
  readonly c: Gpt2Config;
  readonly w: W;
  readonly hooks: Hooks;
  /** Additive padding mask `[B, 1, 1, T_past + T]` or null. */
  readonly mask: tf.Tensor | null;
}

/** One pre-LN GPT-2 block with every adapter hook point of Python's GPT-2 integration. */
function block(a: LayerArgs, i: number, x: tf.Tensor, past: LayerCache | null): { hidden: tf.Tensor; present: LayerCache } {
  const { c, w, hooks } = a;
  const p = `h.${i}`;
  const heads = c.numHeads;
  const lin = (point: Parameters<Hooks['linear']>[0], path: string, input: tf.Tensor): tf.Tensor =>
    hooks.linear(point, i, input, weight(w, `${path}.weight`), w.get(`${path}.bias`));
  // Python: adjust_tensors_for_parallel_(hidden_states, attention_mask)
  const mask = a.mask ? hooks.matchBatch(x, a.mask) : null;
  const ln1 = layerNorm(x, w.get(`${p}.ln_1.weight`), w.get(`${p}.ln_1.bias`), c.layerNormEps);
  const qkv = lin('attn.qkv', `${p}.attn.c_attn`, ln1);
  const [qh, kh, vh] = tf.split(qkv, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
  let q = splitHeads(qh, heads);
  let k = splitHeads(kh, heads);
  let v = splitHeads(vh, heads);
  if (past) {
    k = tf.concat([hooks.matchBatch(k, past.key), k], 2);
    v = tf.concat([hooks.matchBatch(v, past.value), v], 2);
  }
  const present = { key: k, value: v };
  // Python applies prefix tuning after the cache update: cached keys never contain the prefix.
  const kv = hooks.attention('attn.self', i, { key: k, value: v, mask: mask ? hooks.matchBatch(k, mask) : null, hidden: ln1 });
  q = hooks.matchBatch(kv.key, q);
  const ctx = gpt2Attention(q, kv.key, kv.value, kv.mask, {
    scale: c.scaleAttnWeights ? Math.sqrt(c.hiddenSize / heads) : null,
    layerScale: c.scaleAttnByInverseLayerIdx ? i + 1 : null,
    dropout: (t) => hooks.dropout(t, c.attnDropout),
  });
  let attnOut = lin('attn.o', `${p}.attn.c_proj`, mergeHeads(ctx));
  attnOut = hooks.dropout(attnOut, c.residDropout);
  // Python: attention_adapters(attn_output, residual, None) — pre-LN, no LayerNorm here.
  const h1 = hooks.residual('block.attn', i, attnOut, x, null);
  const ln2 = layerNorm(h1, w.get(`${p}.ln_2.weight`), w.get(`${p}.ln_2.bias`), c.layerNormEps);
  const act = getActivation(c.activation, 'activation_function');
  let ff = lin('ffn.down', `${p}.mlp.c_proj`, act(lin('ffn.up', `${p}.mlp.c_fc`, ln2)));
  ff = hooks.dropout(ff, c.residDropout);
  const h2 = hooks.residual('block.ffn', i, ff, h1, null);
  return { hidden: hooks.layerOutput(i, h2), present };
}

/**
 * `GPT2Model` forward with every adapter hook.
 *
 * Inputs: `input_ids` `[B, T]` (only the new tokens when a past is given), optional
 * `attention_mask` `[B, T_past + T]`, `position_ids` `[B, T]` (default `T_past … T_past + T − 1`,
 * as transformers: not derived from the mask), `token_type_ids`, `past_key_values.<i>.key|value`,
 * scalar `use_cache`. Outputs: `last_hidden_state` (after `ln_f`), `hidden_states` on request (the
 * embedding output, each layer's output, the last one after `ln_f`, as transformers),
 * `present_key_values.<i>.key|value` when caching.
 */
export function gpt2Forward(args: ModelForwardArgs<Gpt2Config>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  const ids = inputs.input_ids;
  if (!ids) throw new Error('GPT-2 forward needs "input_ids"');
  const [, t] = ids.shape as [number, number];
  const past = readPast(inputs, c.numLayers);
  const pastLength = past[0]?.key.shape[2] ?? 0;
  const useCache = past[0] !== null || flag(inputs, 'use_cache');
  const mask2d = inputs.attention_mask ?? null;
  if (mask2d && mask2d.shape[1] !== pastLength + t) {
    throw new Error(`attention_mask covers ${mask2d.shape[1]} positions; expected past ${pastLength} + new ${t}`);
  }
  const positions = inputs.position_ids ?? tf.reshape(tf.range(pastLength, pastLength + t, 1, 'int32'), [1, t]);
  const emb = hooks.embedding('embed.out', { hidden: embeddings(c, w, ids, positions, inputs.token_type_ids, hooks), mask: mask2d });
  let h = emb.hidden;
  const m2 = emb.mask;
  hooks.ctx.attentionMask = m2;
  const layerArgs: LayerArgs = { c, w, hooks, mask: m2 ? extendedAttentionMask(m2) : null };
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
