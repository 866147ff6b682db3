import type { ModelForwardArgs, ModelOutput } from '@adapters/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { WhisperConfig } from './config';
import { type LayerCache, whisperDecoder } from './decoder';
import { whisperEncoder } from './encoder';

/** Input name of a past key/value tensor of decoder layer `j` (decoder-local index). */
export const pastKey = (j: number, kind: 'key' | 'value'): string => `past_key_values.${j}.${kind}`;
/** Output name of a present key/value tensor of decoder layer `j`. */
export const presentKey = (j: number, kind: 'key' | 'value'): string => `present_key_values.${j}.${kind}`;

function readPast(inputs: Readonly<Record<string, tf.Tensor>>, layers: number): (LayerCache | null)[] {
  const out: (LayerCache | null)[] = [];
  let given = 0;
  for (let j = 0; j < layers; j++) {
    const key = inputs[pastKey(j, 'key')];
    const value = inputs[pastKey(j, 'value')];
    if (!key !== !value) throw new Error(`${pastKey(j, key ? 'value' : 'key')} is missing`);
    if (key && value) given++;
    out.push(key && value ? { key, value } : null);
  }
  if (given !== 0 && given !== layers) throw new Error(`past_key_values given for ${given} of ${layers} decoder layers; give all or none`);
  return out;
}

function flag(inputs: Readonly<Record<string, tf.Tensor>>, name: string): boolean {
  const t = inputs[name];
  if (!t) return false;
  if (t.size !== 1) throw new Error(`"${name}" must be a scalar tensor`);
  return t.dataSync()[0] !== 0;
}

/**
 * `WhisperModel.forward`: inputs `input_features` `[B, n_mels, T]` (or a precomputed
 * `encoder_last_hidden_state` `[B, T/2, d]`, as transformers' `encoder_outputs`), `decoder_input_ids`,
 * optional `decoder_attention_mask` (covering past + new positions) and the decoder KV cache
 * (`past_key_values.<j>.key|value`, `use_cache`). Outputs `last_hidden_state` (decoder),
 * `encoder_last_hidden_state`, and `present_key_values.<j>.*` when caching. Without
 * `decoder_input_ids` only the encoder runs (`last_hidden_state` is then the encoder output).
 */
export function whisperForward(args: ModelForwardArgs<WhisperConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  let enc = inputs.encoder_last_hidden_state;
  if (!enc) {
    const features = inputs.input_features;
    if (!features) throw new Error('Whisper forward needs "input_features" (or "encoder_last_hidden_state")');
    enc = whisperEncoder(c, w, features, hooks);
  }
  const ids = inputs.decoder_input_ids;
  if (!ids) return { last_hidden_state: enc, encoder_last_hidden_state: enc };
  const past = readPast(inputs, c.decoderLayers);
  const dec = whisperDecoder(c, w, ids, inputs.decoder_attention_mask, enc, past, hooks);
  const out: ModelOutput = { last_hidden_state: dec.lastHiddenState, encoder_last_hidden_state: enc };
  if (args.outputHiddenStates) out.hidden_states = dec.hidden;
  if (past[0] || flag(inputs, 'use_cache')) {
    dec.present.forEach((p, j) => {
      out[presentKey(j, 'key')] = p.key;
      out[presentKey(j, 'value')] = p.value;
    });
  }
  return out;
}
