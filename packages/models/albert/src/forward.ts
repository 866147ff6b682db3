import {
  type Hooks,
  type LinearPoint,
  type ModelForwardArgs,
  type ModelOutput,
  attention,
  dense,
  extendedAttentionMask,
  getActivation,
  layerNorm,
  mergeHeads,
  splitHeads,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig } from './config';
import { albertGroupAt, albertUniqueLayers } from './layers';

type W = ReadonlyMap<string, tf.Tensor>;

/** Options of the ALBERT forward pass. */
export interface AlbertOptions {
  /**
   * Opt-in fix of a quirk of Python `adapters` (1.1.0): `AlbertAttentionWithAdapters` calls
   * `attention_adapters(hidden_states, projected_context_layer_dropout, LayerNorm)`, i.e. with the
   * attention INPUT as the adapter's hidden states and the attention output as its residual —
   * the reverse of every other model. Only adapters at the attention block (`mh_adapter`, e.g.
   * `double_seq_bn`, Pfeiffer/Houlsby-style configs, `par_bn` with `mh_adapter`) see the
   * difference. `false` (default) reproduces Python, so adapters trained there load unchanged;
   * `true` passes (attention output, attention input) like BERT.
   */
  readonly fixAttentionAdapterOrder?: boolean;
}

function weight(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`ALBERT weight ${name} is missing`);
  return t;
}

/** Embeddings (`embedding_size` wide): word + position + token type, LayerNorm, dropout. */
function embeddings(c: AlbertConfig, w: W, inputs: Readonly<Record<string, tf.Tensor>>, ids: tf.Tensor, hooks: Hooks): tf.Tensor {
  const [b, t] = ids.shape as [number, number];
  const positionIds = inputs.position_ids ?? tf.broadcastTo(tf.reshape(tf.range(0, t, 1, 'int32'), [1, t]), [b, t]);
  const tokenTypes = inputs.token_type_ids ?? tf.zeros([b, t], 'int32');
  const flat = (x: tf.Tensor): tf.Tensor => tf.reshape(tf.cast(x, 'int32'), [-1]);
  let e = tf.gather(weight(w, 'embeddings.word_embeddings.weight'), flat(ids));
  e = tf.add(e, tf.gather(weight(w, 'embeddings.position_embeddings.weight'), flat(positionIds)));
  e = tf.add(e, tf.gather(weight(w, 'embeddings.token_type_embeddings.weight'), flat(tokenTypes)));
  e = tf.reshape(e, [b, t, c.embeddingSize]);
  e = layerNorm(e, w.get('embeddings.LayerNorm.weight'), w.get('embeddings.LayerNorm.bias'), c.layerNormEps);
  return hooks.dropout(e, c.hiddenDropoutProb);
}

/**
 * One application of the (possibly shared) `AlbertLayer` at `path` with Python layer index `i`,
 * with the hook points of Python's `AlbertLayerWithAdapters` / `AlbertAttentionWithAdapters`.
 */
function albertLayer(c: AlbertConfig, opts: AlbertOptions, w: W, i: number, path: string, x: tf.Tensor, mask: tf.Tensor, hooks: Hooks): tf.Tensor {
  const lin = (point: LinearPoint, p: string, input: tf.Tensor): tf.Tensor => hooks.linear(point, i, input, weight(w, `${p}.weight`), w.get(`${p}.bias`));
  const norm = (p: string) => (t: tf.Tensor): tf.Tensor => layerNorm(t, w.get(`${p}.weight`), w.get(`${p}.bias`), c.layerNormEps);
  const heads = c.numAttentionHeads;
  const a = `${path}.attention`;
  // Python: a forward pre-hook on every layer runs adjust_tensors_for_parallel_(hidden, mask).
  const m = hooks.matchBatch(x, mask);
  let q = splitHeads(lin('attn.q', `${a}.query`, x), heads);
  const k = splitHeads(lin('attn.k', `${a}.key`, x), heads);
  const v = splitHeads(lin('attn.v', `${a}.value`, x), heads);
  const kv = hooks.attention('attn.self', i, { key: k, value: v, mask: hooks.matchBatch(k, m), hidden: x });
  q = hooks.matchBatch(kv.key, q);
  const ctxt = attention(q, kv.key, kv.value, kv.mask, 1 / Math.sqrt(c.hiddenSize / heads), (t) => hooks.dropout(t, c.attentionProbsDropoutProb));
  const proj = hooks.dropout(lin('attn.o', `${a}.dense`, mergeHeads(ctxt)), c.hiddenDropoutProb);
  const xIn = hooks.matchBatch(proj, x);
  // Python quirk (see AlbertOptions.fixAttentionAdapterOrder): the attention input goes first.
  const attnOut = opts.fixAttentionAdapterOrder
    ? hooks.residual('block.attn', i, proj, xIn, norm(`${a}.LayerNorm`))
    : hooks.residual('block.attn', i, xIn, proj, norm(`${a}.LayerNorm`));
  const act = getActivation(c.hiddenAct, 'hidden_act');
  const ffn = lin('ffn.down', `${path}.ffn_output`, act(lin('ffn.up', `${path}.ffn`, attnOut)));
  const y = hooks.residual('block.ffn', i, ffn, attnOut, norm(`${path}.full_layer_layer_norm`));
  return hooks.layerOutput(i, y);
}

/** The AlbertModel forward pass: `last_hidden_state`, `pooler_output` (with a pooler), optional `hidden_states`. */
export function createAlbertForward(opts: AlbertOptions = {}): (args: ModelForwardArgs<AlbertConfig>) => ModelOutput {
  return (args) => {
    const { config: c, weights: w, inputs, hooks } = args;
    const ids = inputs.input_ids;
    if (!ids) throw new Error('ALBERT forward needs "input_ids"');
    const [b, t] = ids.shape as [number, number];
    const mask2d = inputs.attention_mask ?? tf.ones([b, t], 'int32');
    // Python hooks the `embeddings` module: adapters see the embedding_size-wide output.
    const emb = hooks.embedding('embed.out', { hidden: embeddings(c, w, inputs, ids, hooks), mask: mask2d });
    const m2 = emb.mask ?? tf.ones([emb.hidden.shape[0]!, emb.hidden.shape[1]!], 'int32');
    hooks.ctx.attentionMask = m2;
    const mask = extendedAttentionMask(m2);
    let h = dense(emb.hidden, weight(w, 'encoder.embedding_hidden_mapping_in.weight'), w.get('encoder.embedding_hidden_mapping_in.bias'));
    const layers = albertUniqueLayers(c);
    const hidden: tf.Tensor[] = [h];
    for (let step = 0; step < c.numHiddenLayers; step++) {
      const g = albertGroupAt(c, step);
      for (let j = 0; j < c.innerGroupNum; j++) {
        const layer = layers[g * c.innerGroupNum + j]!;
        h = albertLayer(c, opts, w, layer.index, layer.path, h, mask, hooks);
      }
      hidden.push(h);
    }
    const out: ModelOutput = { last_hidden_state: h };
    const pw = w.get('pooler.weight');
    if (pw) {
      const first = tf.squeeze(tf.slice(h, [0, 0, 0], [h.shape[0]!, 1, c.hiddenSize]), [1]);
      out.pooler_output = tf.tanh(dense(first, pw, w.get('pooler.bias')));
    }
    if (args.outputHiddenStates) out.hidden_states = hidden;
    return out;
  };
}
