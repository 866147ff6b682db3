import type { ModelForwardArgs, ModelOutput } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type LayerCache, flag, presentKey, readPast } from './cache';
import type { LlamaConfig } from './config';
import { type Weights, decoderLayer, familyNorm, weight } from './layer';
import { causalMask } from './mask';
import { ropeCosSin, ropeInverseFrequencies } from './rope';

/** Token embeddings `[B, T, hidden]`. */
function embedTokens(w: Weights, ids: tf.Tensor): tf.Tensor {
  const [b, t] = ids.shape as [number, number];
  const e = tf.gather(weight(w, 'embed_tokens.weight'), tf.reshape(tf.cast(ids, 'int32'), [-1]));
  return tf.reshape(e, [b, t, e.shape[1]!]);
}

/** `h · W_lmᵀ`: `lm_head.weight` (stored `[hidden, vocab]`) or, with tied embeddings, `embed_tokens.weight`. */
function lmLogits(c: LlamaConfig, w: Weights, h: tf.Tensor): tf.Tensor {
  const [b, t, d] = h.shape as [number, number, number];
  const h2 = tf.reshape(h, [b * t, d]);
  const head = w.get('lm_head.weight');
  let logits: tf.Tensor;
  if (head) logits = tf.matMul(h2, head);
  else if (c.tieWordEmbeddings) logits = tf.matMul(h2, weight(w, 'embed_tokens.weight'), false, true);
  else throw new Error('return_logits: the checkpoint has no lm_head.weight and tie_word_embeddings is false');
  return tf.reshape(logits, [b, t, -1]);
}

/**
 * `LlamaModel` / `MistralModel` / `Qwen2Model` / `GemmaModel` forward with every adapter hook.
 *
 * Inputs: `input_ids` `[B, T]` (the new tokens), optional `attention_mask` `[B, T_past + T]`,
 * `position_ids` `[B, T]` (default `T_past … T_past + T − 1`), `past_key_values.<i>.key|value`,
 * scalar flags `use_cache` and `return_logits`. Outputs: `last_hidden_state` (after the final
 * norm), `hidden_states` on request (as transformers: embeddings, each layer's output, the last
 * one normed), `present_key_values.<i>.key|value` when caching, `logits` when asked.
 */
export function llamaForward(args: ModelForwardArgs<LlamaConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  const ids = inputs.input_ids;
  if (!ids) throw new Error('Llama forward needs "input_ids"');
  const [b, t] = ids.shape as [number, number];
  const past = readPast(inputs, c.numHiddenLayers);
  const pastLength = past[0]?.key.shape[2] ?? 0;
  const useCache = past[0] !== null || flag(inputs, 'use_cache');
  const mask2d = inputs.attention_mask ?? tf.ones([b, pastLength + t], 'int32');
  if (mask2d.shape[1] !== pastLength + t) {
    throw new Error(`attention_mask covers ${mask2d.shape[1]} positions; expected past ${pastLength} + new ${t}`);
  }
  // Python registers the embedding hook (invertible adapters) on `embed_tokens`, i.e. before Gemma's scaling.
  const emb = hooks.embedding('embed.out', { hidden: embedTokens(w, ids), mask: mask2d });
  let h = c.embedScale === null ? emb.hidden : tf.mul(emb.hidden, c.embedScale);
  const m2 = emb.mask ?? mask2d;
  hooks.ctx.attentionMask = m2;
  const positions = inputs.position_ids ?? tf.reshape(tf.range(pastLength, pastLength + t, 1, 'int32'), [1, t]);
  const { cos, sin } = ropeCosSin(positions, ropeInverseFrequencies(c.headDim, c.ropeTheta, c.ropeScaling));
  const lc = { config: c, weights: w, hooks, mask: causalMask(m2, pastLength, t, c.slidingWindow), cos, sin };
  const hidden: tf.Tensor[] = [h];
  const presents: LayerCache[] = [];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const r = decoderLayer(lc, i, h, past[i] ?? null);
    h = r.hidden;
    presents.push(r.present);
    if (i < c.numHiddenLayers - 1) hidden.push(h);
  }
  h = familyNorm(c, h, weight(w, 'norm.weight'));
  hidden.push(h);
  const out: ModelOutput = { last_hidden_state: h };
  if (args.outputHiddenStates) out.hidden_states = hidden;
  if (useCache) {
    presents.forEach((p, i) => {
      out[presentKey(i, 'key')] = p.key;
      out[presentKey(i, 'value')] = p.value;
    });
  }
  if (flag(inputs, 'return_logits')) out.logits = lmLogits(c, w, h);
  return out;
}
