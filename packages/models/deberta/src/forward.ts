import { type Hooks, type ModelForwardArgs, type ModelOutput, getActivation, layerNorm } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { disentangledSelfAttention } from './attention';
import type { DebertaConfig } from './config';
import { convLayer } from './conv';
import { type RelativeContext, relativeContext } from './disentangled';
import { debertaEmbeddings } from './embeddings';
import { pairwiseMask } from './mask';

type W = ReadonlyMap<string, tf.Tensor>;

function get(w: W, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`DeBERTa weight ${name} is missing`);
  return t;
}

/**
 * One `DebertaLayer` / `DebertaV2Layer` with the hook points of Python's integration (BERT
 * mixins: bottleneck at `attention.output` and `output`, LoRA on `intermediate.dense` /
 * `output.dense`, ReFT at the layer output).
 */
function encoderLayer(c: DebertaConfig, w: W, i: number, x: tf.Tensor, mask: tf.Tensor, rel: RelativeContext | null, hooks: Hooks): tf.Tensor {
  const p = `encoder.layer.${i}`;
  // Python: a forward pre-hook on every layer runs adjust_tensors_for_parallel_(hidden, mask).
  const m = hooks.matchBatch(x, mask);
  const lin = (point: 'attn.o' | 'ffn.up' | 'ffn.down', path: string, input: tf.Tensor): tf.Tensor =>
    hooks.linear(point, i, input, get(w, `${path}.weight`), w.get(`${path}.bias`));
  const norm = (path: string) => (t: tf.Tensor): tf.Tensor => layerNorm(t, w.get(`${path}.weight`), w.get(`${path}.bias`), c.layerNormEps);
  const ctxt = disentangledSelfAttention(c, w, i, x, m, rel, hooks);
  const attnOut = hooks.dropout(lin('attn.o', `${p}.attention.output.dense`, ctxt), c.hiddenDropoutProb);
  const a = hooks.residual('block.attn', i, attnOut, hooks.matchBatch(attnOut, x), norm(`${p}.attention.output.LayerNorm`));
  const act = getActivation(c.hiddenAct, 'hidden_act');
  const out = hooks.dropout(lin('ffn.down', `${p}.output.dense`, act(lin('ffn.up', `${p}.intermediate.dense`, a))), c.hiddenDropoutProb);
  const y = hooks.residual('block.ffn', i, out, a, norm(`${p}.output.LayerNorm`));
  return hooks.layerOutput(i, y);
}

/**
 * `DebertaModel` / `DebertaV2Model` forward (transformers 4.47 + adapters): `last_hidden_state`
 * and, on request, `hidden_states` (embeddings, then each layer; v2 layer 0 after the conv layer).
 */
export function debertaForward(args: ModelForwardArgs<DebertaConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  const ids = inputs.input_ids;
  if (!ids) throw new Error('DeBERTa forward needs "input_ids"');
  const [b, t] = ids.shape as [number, number];
  const mask2d = inputs.attention_mask ?? tf.ones([b, t], 'int32');
  const embedded = hooks.dropout(debertaEmbeddings(c, w, inputs, mask2d), c.hiddenDropoutProb);
  const emb = hooks.embedding('embed.out', { hidden: embedded, mask: mask2d });
  let h = emb.hidden;
  const total = h.shape[1]!;
  const promptLength = total - t;
  if (promptLength < 0) throw new Error('DeBERTa: the embedding hook shortened the sequence');
  const fullMask2d = emb.mask ?? tf.ones([h.shape[0]!, total], 'int32');
  hooks.ctx.attentionMask = fullMask2d;
  const mask = pairwiseMask(mask2d, promptLength);
  let rel: RelativeContext | null = null;
  if (c.relativeAttention) {
    let table = get(w, 'encoder.rel_embeddings.weight');
    if (c.normRelEmbeddings) table = layerNorm(table, w.get('encoder.LayerNorm.weight'), w.get('encoder.LayerNorm.bias'), c.layerNormEps);
    rel = relativeContext(c, table, total);
  }
  const encoderInput = h;
  const hidden: tf.Tensor[] = [h];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    h = encoderLayer(c, w, i, h, mask, rel, hooks);
    // v2 ConvLayer after the first layer (on the encoder input). Python passes the [B, T] mask
    // here and fails with prompt tuning; the prompt-extended mask is used instead.
    if (i === 0 && c.convKernelSize > 0) h = convLayer(c, w, encoderInput, h, fullMask2d, hooks);
    hidden.push(h);
  }
  const out: ModelOutput = { last_hidden_state: h };
  if (args.outputHiddenStates) out.hidden_states = hidden;
  return out;
}
