import {
  type Hooks,
  type LinearPoint,
  type ModelForwardArgs,
  type ModelOutput,
  attention,
  extendedAttentionMask,
  getActivation,
  layerNorm,
  mergeHeads,
  splitHeads,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { TinyTransformerConfig } from './config';

type W = ReadonlyMap<string, tf.Tensor>;

function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`tiny-transformer weight ${name} is missing`);
  return t;
}

/** One pre-LN block: `x + attn(ln(x))`, then `x + ffn(ln(x))`, with every hook point. */
function block(c: TinyTransformerConfig, w: W, i: number, x: tf.Tensor, mask: tf.Tensor | null, hooks: Hooks): tf.Tensor {
  const b = `blocks.${i}`;
  const lin = (point: LinearPoint, name: string, input: tf.Tensor): tf.Tensor =>
    hooks.linear(point, i, input, weight(w, `${b}.${name}.weight`), w.get(`${b}.${name}.bias`));
  const norm = (name: string, t: tf.Tensor): tf.Tensor => layerNorm(t, w.get(`${b}.${name}.weight`), w.get(`${b}.${name}.bias`), c.layerNormEps);

  const h = norm('ln_attn', x);
  // Parallel composition may replicate the batch at some projections only: bring them to one batch size.
  const [q0, k0, v0] = hooks.matchBatches([lin('attn.q', 'attn.q', h), lin('attn.k', 'attn.k', h), lin('attn.v', 'attn.v', h)]) as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
  const kv = hooks.attention('attn.self', i, {
    key: splitHeads(k0, c.numHeads),
    value: splitHeads(v0, c.numHeads),
    mask: mask ? hooks.matchBatch(k0, mask) : null,
    hidden: h,
  });
  const q = hooks.matchBatch(kv.key, splitHeads(q0, c.numHeads));
  const ctx = attention(q, kv.key, kv.value, kv.mask, 1 / Math.sqrt(c.dModel / c.numHeads), (t) => hooks.dropout(t, c.dropout));
  const attnOut = hooks.dropout(lin('attn.o', 'attn.o', mergeHeads(ctx)), c.dropout);
  const x1 = hooks.residual('block.attn', i, attnOut, hooks.matchBatch(attnOut, x), null);

  const act = getActivation(c.activation, 'activation');
  const ff = hooks.dropout(lin('ffn.down', 'ffn.down', act(lin('ffn.up', 'ffn.up', norm('ln_ffn', x1)))), c.dropout);
  const x2 = hooks.residual('block.ffn', i, ff, hooks.matchBatch(ff, x1), null);
  return hooks.layerOutput(i, x2);
}

/**
 * Forward pass. Inputs: `input_ids` `[B, T]`, optional `attention_mask` `[B, T]`. Outputs:
 * `last_hidden_state` (after the final LayerNorm) and, on request, `hidden_states`.
 */
export function tinyTransformerForward(args: ModelForwardArgs<TinyTransformerConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  const ids = inputs.input_ids;
  if (!ids) throw new Error('tiny-transformer forward needs "input_ids"');
  const [batch, t] = ids.shape as [number, number];
  if (t > c.maxPositions) throw new Error(`sequence length ${t} exceeds max_positions ${c.maxPositions}`);
  const flatIds = tf.reshape(tf.cast(ids, 'int32'), [-1]);
  const tokens = tf.reshape(tf.gather(weight(w, 'embeddings.tokens.weight'), flatIds), [batch, t, c.dModel]);
  const positions = tf.slice(weight(w, 'embeddings.positions.weight'), [0, 0], [t, c.dModel]);
  const embedded = hooks.dropout(tf.add(tokens, positions), c.dropout);
  const emb = hooks.embedding('embed.out', { hidden: embedded, mask: inputs.attention_mask ?? tf.ones([batch, t], 'int32') });
  let h = emb.hidden;
  const mask2d = emb.mask ?? tf.ones([h.shape[0]!, h.shape[1]!], 'int32');
  hooks.ctx.attentionMask = mask2d;
  const mask = extendedAttentionMask(mask2d);
  const hidden: tf.Tensor[] = [h];
  for (let i = 0; i < c.numLayers; i++) {
    h = block(c, w, i, h, mask, hooks);
    hidden.push(h);
  }
  const out: ModelOutput = { last_hidden_state: layerNorm(h, w.get('ln_final.weight'), w.get('ln_final.bias'), c.layerNormEps) };
  if (args.outputHiddenStates) out.hidden_states = hidden;
  return out;
}
