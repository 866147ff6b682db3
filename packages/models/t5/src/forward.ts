import type { ModelForwardArgs, ModelOutput } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { flag, presentKey, readPast } from './cache';
import type { T5Config } from './config';
import { t5Decoder, t5Encoder } from './stack';

/**
 * `T5Model.forward` / `MT5Model.forward`. Inputs: `input_ids` `[B, S]` and `attention_mask` (or a
 * precomputed `encoder_last_hidden_state` `[B, S, d_model]` to skip the encoder, like transformers'
 * `encoder_outputs`; `attention_mask` is then still the encoder mask), `decoder_input_ids` `[B, T]`,
 * optional `decoder_attention_mask` (covering past + new positions), and the decoder KV cache
 * `past_key_values.<j>.key|value` `[B, heads, T_past, d_kv]` with scalar `use_cache`. Outputs
 * `last_hidden_state` (decoder), `encoder_last_hidden_state`, and `present_key_values.<j>.*` when
 * caching. Without `decoder_input_ids` only the encoder runs (`last_hidden_state` = encoder output,
 * as `T5EncoderModel`).
 */
export function t5Forward(args: ModelForwardArgs<T5Config>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  let enc = inputs.encoder_last_hidden_state;
  let encHidden: tf.Tensor[] = [];
  const ids = inputs.input_ids;
  let encMask = inputs.attention_mask;
  if (!enc) {
    if (!ids) throw new Error('T5 forward needs "input_ids" (or "encoder_last_hidden_state")');
    encMask = encMask ?? tf.ones(ids.shape, 'int32');
    const e = t5Encoder(c, w, ids, encMask, hooks);
    enc = e.lastHiddenState;
    encHidden = e.hidden;
  }
  encMask = encMask ?? tf.ones([enc.shape[0]!, enc.shape[1]!], 'int32');
  const decIds = inputs.decoder_input_ids;
  if (!decIds) {
    const out: ModelOutput = { last_hidden_state: enc, encoder_last_hidden_state: enc };
    if (args.outputHiddenStates) out.hidden_states = encHidden;
    return out;
  }
  const past = readPast(inputs, c.numDecoderLayers);
  const dec = t5Decoder(c, w, decIds, inputs.decoder_attention_mask, enc, encMask, past, hooks);
  const out: ModelOutput = { last_hidden_state: dec.lastHiddenState, encoder_last_hidden_state: enc };
  if (args.outputHiddenStates) {
    // `hidden_states` (the core convention) and transformers' `decoder_hidden_states` are the decoder's.
    out.hidden_states = dec.hidden;
    out.decoder_hidden_states = dec.hidden;
    if (encHidden.length > 0) out.encoder_hidden_states = encHidden;
  }
  if (past[0] || flag(inputs, 'use_cache')) {
    dec.present.forEach((p, j) => {
      out[presentKey(j, 'key')] = p.key;
      out[presentKey(j, 'value')] = p.value;
    });
  }
  return out;
}
