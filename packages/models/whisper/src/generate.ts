import type { AdapterModel, ForwardOptions } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link whisperGreedyDecode}. */
export interface WhisperDecodeOptions {
  /** `[B, n_mels, T]` log-mel features. */
  readonly inputFeatures: tf.Tensor;
  /** Forced prefix (e.g. `[<|startoftranscript|>, <|en|>, <|transcribe|>, <|notimestamps|>]`); default `[decoder_start_token_id]`. */
  readonly forcedTokens?: readonly number[];
  /** Tokens to generate after the prefix, at most. */
  readonly maxNewTokens: number;
  /** End-of-text id; default the config's `eos_token_id`. */
  readonly eosTokenId?: number;
  /** Reuse decoder self-attention keys/values (default true); false recomputes the whole prefix each step. */
  readonly useCache?: boolean;
  /** Extra forward options (adapter setup). */
  readonly forward?: Omit<ForwardOptions, 'training' | 'outputHiddenStates'>;
}

/** Result (plain arrays). */
export interface WhisperDecodeResult {
  /** Per row: forced prefix + generated ids (EOS included when reached). */
  readonly sequences: number[][];
}

/**
 * Greedy decoding for Whisper: the encoder runs once, the decoder is fed the forced prefix and then
 * one token per step, with logits = `last_hidden_state · decoder.embed_tokensᵀ` (WhisperForConditionalGeneration's
 * tied `proj_out`). With `useCache` the self-attention keys/values are carried between steps.
 * Rows that emitted EOS keep emitting EOS until every row has finished.
 */
export function whisperGreedyDecode(model: AdapterModel, opts: WhisperDecodeOptions): WhisperDecodeResult {
  const raw = model.info.config;
  const start = Number(raw.decoder_start_token_id ?? 50257);
  const eos = opts.eosTokenId ?? Number(raw.eos_token_id ?? 50257);
  const forced = opts.forcedTokens ?? [start];
  const useCache = opts.useCache ?? true;
  const emb = model.weights.get('decoder.embed_tokens.weight');
  if (!emb) throw new Error('decoder.embed_tokens.weight is missing (is this a Whisper model?)');
  const fwd = { ...opts.forward, training: false };
  const b = opts.inputFeatures.shape[0]!;
  const seqs = Array.from({ length: b }, () => [...forced]);
  const done = new Array<boolean>(b).fill(false);
  const encOut = model.forward({ input_features: opts.inputFeatures }, fwd);
  const enc = encOut.encoder_last_hidden_state as tf.Tensor;
  for (const v of Object.values(encOut)) if (v && v !== enc && !Array.isArray(v)) v.dispose();
  let past: Record<string, tf.Tensor> = {};
  let fed = 0;
  try {
    for (let step = 0; step < opts.maxNewTokens && !done.every(Boolean); step++) {
      const from = useCache ? fed : 0;
      const len = seqs[0]!.length;
      const next = tf.tidy(() => {
        const ids = tf.tensor2d(seqs.map((s) => s.slice(from)), [b, len - from], 'int32');
        const inputs: Record<string, tf.Tensor> = { encoder_last_hidden_state: enc, decoder_input_ids: ids, ...past };
        if (useCache) inputs.use_cache = tf.scalar(1, 'int32');
        const out = model.forward(inputs, fwd);
        const h = out.last_hidden_state;
        const lastTok = tf.reshape(tf.slice(h, [0, h.shape[1]! - 1, 0], [b, 1, h.shape[2]!]), [b, h.shape[2]!]);
        const presents: tf.Tensor[] = [];
        const newPast: Record<string, tf.Tensor> = {};
        for (const [k, v] of Object.entries(out)) {
          if (k.startsWith('present_key_values.') && v && !Array.isArray(v)) {
            newPast[`past_key_values.${k.slice('present_key_values.'.length)}`] = v;
            presents.push(v);
          }
        }
        return { ids: tf.argMax(tf.matMul(lastTok, emb, false, true), -1), newPast, keep: presents };
      });
      for (const v of Object.values(past)) v.dispose();
      past = useCache ? next.newPast : {};
      if (!useCache) tf.dispose(next.keep);
      fed = len;
      const picked = Array.from(next.ids.dataSync());
      next.ids.dispose();
      picked.forEach((id, r) => {
        const tok = done[r] ? eos : id;
        seqs[r]!.push(tok);
        if (tok === eos) done[r] = true;
      });
    }
  } finally {
    for (const v of Object.values(past)) v.dispose();
    enc.dispose();
  }
  return { sequences: seqs };
}
