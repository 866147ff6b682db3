import type { ModelForwardArgs, ModelOutput } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { flag, presentKey, readPast } from './cache';
import type { BartConfig } from './config';
import { shiftTokensRight } from './shift';
import { bartDecoder, bartEncoder } from './stack';

/**
 * `BartModel.forward` / `MBartModel.forward` / `PLBartModel.forward`. Inputs: `input_ids` `[B, S]`
 * and `attention_mask` (or a precomputed `encoder_last_hidden_state` `[B, S, d_model]` to skip the
 * encoder, like transformers' `encoder_outputs`; `attention_mask` is then still the encoder mask),
 * `decoder_input_ids` `[B, T]` (default: `shift_tokens_right(input_ids)`, as transformers),
 * optional `decoder_attention_mask` (covering past + new positions), and the decoder KV cache
 * `past_key_values.<j>.key|value` `[B, heads, T_past, head_dim]` with scalar `use_cache`. Outputs
 * `last_hidden_state` (decoder), `encoder_last_hidden_state`, and `present_key_values.<j>.*` when
 * caching.
 */
export function bartForward(args: ModelForwardArgs<BartConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  const ids = inputs.input_ids;
  let enc = inputs.encoder_last_hidden_state;
  let encHidden: tf.Tensor[] = [];
  let encMask = inputs.attention_mask;
  if (!enc) {
    if (!ids) throw new Error('BART forward needs "input_ids" (or "encoder_last_hidden_state")');
    encMask = encMask ?? tf.ones(ids.shape, 'int32');
    const e = bartEncoder(c, w, ids, encMask, hooks);
    enc = e.lastHiddenState;
    encHidden = e.hidden;
  }
  encMask = encMask ?? tf.ones([enc.shape[0]!, enc.shape[1]!], 'int32');
  let decIds = inputs.decoder_input_ids;
  if (!decIds) {
    if (!ids) throw new Error('BART forward needs "decoder_input_ids" when only "encoder_last_hidden_state" is given');
    decIds = shiftTokensRight(c, ids);
  }
  const past = readPast(inputs, c.decoderLayers);
  const dec = bartDecoder(c, w, decIds, inputs.decoder_attention_mask, enc, encMask, past, hooks);
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
