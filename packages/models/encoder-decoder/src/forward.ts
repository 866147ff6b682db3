import { type ModelForwardArgs, type ModelOutput, dense } from '@adapters/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { EncoderDecoderConfig } from './config';
import { decoderHooks } from './hooks';
import { shiftTokensRight } from './shift';
import type { SubModel } from './sub-model';

type W = ReadonlyMap<string, tf.Tensor>;

/** The sub-model's weights under its own names. */
function subWeights(w: W, sub: SubModel): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const s of sub.specs) {
    const t = w.get(`${sub.prefix}.${s.name}`);
    if (t) out.set(s.name, t);
  }
  return out;
}

/** Inputs that go to neither sub-model: a precomputed encoder output (transformers' `encoder_outputs`) and `labels`. */
const RESERVED = new Set(['encoder_last_hidden_state', 'labels']);

/**
 * Splits the inputs as `EncoderDecoderModel.forward` does: `decoder_*` inputs go to the decoder
 * (prefix removed), all others to the encoder.
 */
function splitInputs(inputs: Readonly<Record<string, tf.Tensor>>): { enc: Record<string, tf.Tensor>; dec: Record<string, tf.Tensor> } {
  const enc: Record<string, tf.Tensor> = {};
  const dec: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (k.startsWith('decoder_')) dec[k.slice('decoder_'.length)] = v;
    else if (!RESERVED.has(k)) enc[k] = v;
  }
  return { enc, dec };
}

/**
 * `EncoderDecoderModel.forward`: the encoder on `input_ids` / `attention_mask` (skipped when
 * `encoder_last_hidden_state` is given), `enc_to_dec_proj` where the hidden sizes differ, then the
 * decoder on `decoder_input_ids` (or `labels` shifted right) / `decoder_attention_mask`, with
 * cross-attention on the encoder output masked by `attention_mask`. Outputs `last_hidden_state`
 * (the decoder's), `encoder_last_hidden_state`, `logits` (the decoder's LM head) and, on request,
 * `hidden_states` / `decoder_hidden_states` and `encoder_hidden_states`.
 */
export function encoderDecoderForward(args: ModelForwardArgs<EncoderDecoderConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  const { enc, dec } = splitInputs(inputs);
  let encStates = inputs.encoder_last_hidden_state;
  let encHidden: tf.Tensor[] | undefined;
  if (!encStates) {
    if (!enc.input_ids) throw new Error('encoder-decoder forward needs "input_ids" (or "encoder_last_hidden_state")');
    const out = c.encoder.def.forward({ inputs: enc, weights: subWeights(w, c.encoder), config: c.encoder.config, hooks, outputHiddenStates: args.outputHiddenStates });
    encStates = out.last_hidden_state;
    encHidden = out.hidden_states;
  }
  const cross = c.encToDecProj ? dense(encStates, w.get('enc_to_dec_proj.weight')!, w.get('enc_to_dec_proj.bias')) : encStates;
  if (!dec.input_ids) {
    if (!inputs.labels) throw new Error('encoder-decoder forward needs "decoder_input_ids" (or "labels" to shift right)');
    dec.input_ids = shiftTokensRight(inputs.labels, c.padTokenId, c.decoderStartTokenId);
  }
  dec.encoder_hidden_states = cross;
  if (inputs.attention_mask) dec.encoder_attention_mask = inputs.attention_mask;
  // Python runs the decoder in its own ForwardContext (its base model's forward is wrapped): fresh per-pass caches.
  hooks.ctx.cache.clear();
  const out = c.decoder.def.forward({
    inputs: dec,
    weights: subWeights(w, c.decoder),
    config: c.decoder.config,
    hooks: decoderHooks(hooks, c.hookOffset),
    outputHiddenStates: args.outputHiddenStates,
  });
  const result: ModelOutput = { last_hidden_state: out.last_hidden_state, encoder_last_hidden_state: encStates };
  if (c.lmHead) result.logits = c.lmHead.logits(w, out.last_hidden_state);
  if (args.outputHiddenStates) {
    result.hidden_states = out.hidden_states;
    result.decoder_hidden_states = out.hidden_states;
    if (encHidden) result.encoder_hidden_states = encHidden;
  }
  return result;
}
