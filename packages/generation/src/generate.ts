import { type AdapterModel, type ForwardOptions, type ModelOutput, Rng } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type IdBatch, assertLeftPadded, positionIds, toRows } from './inputs';
import { type LogitsFn, tiedEmbeddingLogits } from './logits';
import { pickToken } from './sampling';

/** Options of {@link generate}. */
export interface GenerateOptions {
  /** Prompt ids `[B, T]` (left-padded when rows differ in length). */
  readonly inputIds: IdBatch;
  /** `[B, T]`, 1 = token, 0 = padding (left). Default: all ones. */
  readonly attentionMask?: IdBatch;
  /** Number of tokens to generate at most (per row). */
  readonly maxNewTokens: number;
  /** Token id(s) that end a row. Default: none (rows run to `maxNewTokens`). */
  readonly eosTokenId?: number | readonly number[];
  /** Id appended to rows that have finished. Default: the first EOS id, or 0. */
  readonly padTokenId?: number;
  /** `greedy` (default) or `sample`. */
  readonly strategy?: 'greedy' | 'sample';
  /** Sampling temperature (> 0). Default 1. */
  readonly temperature?: number;
  /** Top-k filter for sampling; 0 (default) = off. Note: transformers' `generate` defaults to 50. */
  readonly topK?: number;
  /** Nucleus (top-p) filter for sampling; 1 (default) = off. */
  readonly topP?: number;
  /** Seed of the sampling random source. Default 0. */
  readonly seed?: number;
  /** Reuse keys/values of earlier positions (the model's `past_key_values` convention). Default true. */
  readonly useCache?: boolean;
  /**
   * Streaming callback: called once per generated token, step by step and row by row within a
   * step, for every row that had not finished before the step (the EOS token included).
   */
  readonly onToken?: (id: number, step: number, row: number) => void;
  /** Maps last hidden states `[B, hidden]` to logits `[B, vocab]`. Default: {@link tiedEmbeddingLogits}. */
  readonly logits?: LogitsFn;
  /** Extra forward options (adapter `setup`, `taskIds`); generation always runs in eval mode. */
  readonly forward?: Omit<ForwardOptions, 'training' | 'outputHiddenStates'>;
}

/** Why a row stopped. */
export type FinishReason = 'eos' | 'length';

/** Result of {@link generate} (plain arrays: no tensors to dispose). */
export interface GenerateResult {
  /** Prompt (as given, padding included) followed by the generated ids; finished rows padded with `padTokenId`. */
  readonly sequences: number[][];
  /** Per row, the generated ids up to and including its EOS. */
  readonly tokens: number[][];
  readonly finishReasons: FinishReason[];
  /** Number of decoding steps run. */
  readonly steps: number;
}

function keepPresents(out: ModelOutput): Record<string, tf.Tensor> {
  const past: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(out)) {
    if (k.startsWith('present_key_values.') && v && !Array.isArray(v)) past[`past_key_values.${k.slice('present_key_values.'.length)}`] = v;
  }
  return past;
}

function disposeOutput(out: ModelOutput, except: ReadonlySet<tf.Tensor>): void {
  for (const v of Object.values(out)) {
    if (!v) continue;
    for (const t of Array.isArray(v) ? v : [v]) if (!except.has(t)) t.dispose();
  }
}

/**
 * Autoregressive generation over any {@link AdapterModel} whose model package follows the
 * decoder KV-cache convention (`past_key_values.<i>.key|value` in, `present_key_values.<i>.…` out,
 * scalar `use_cache`), e.g. `@adapters/gpt2`, `@adapters/gptj`, `@adapters/llama`. The active
 * adapter setup applies (or `forward.setup`). Position ids follow transformers' `generate`
 * (`cumsum(mask) − 1`), so left-padded batches give each row the result it would get alone.
 * Every tensor created is disposed before returning.
 */
export async function generate(model: AdapterModel, opts: GenerateOptions): Promise<GenerateResult> {
  const prompt = toRows(opts.inputIds, 'inputIds');
  const batch = prompt.length;
  const mask = opts.attentionMask ? toRows(opts.attentionMask, 'attentionMask') : prompt.map((r) => r.map(() => 1));
  if (mask.length !== batch || mask[0]!.length !== prompt[0]!.length) throw new Error('generate: attentionMask must have the shape of inputIds');
  assertLeftPadded(mask);
  const maxNew = opts.maxNewTokens;
  if (!Number.isInteger(maxNew) || maxNew < 0) throw new Error(`generate: maxNewTokens must be a non-negative integer, got ${maxNew}`);
  const eos = new Set(opts.eosTokenId === undefined ? [] : typeof opts.eosTokenId === 'number' ? [opts.eosTokenId] : opts.eosTokenId);
  const pad = opts.padTokenId ?? (eos.size > 0 ? [...eos][0]! : 0);
  const sampling = {
    strategy: opts.strategy ?? 'greedy',
    temperature: opts.temperature ?? 1,
    topK: opts.topK ?? 0,
    topP: opts.topP ?? 1,
  } as const;
  if (sampling.strategy === 'sample' && !(sampling.temperature > 0)) throw new Error('generate: temperature must be > 0');
  if (!(sampling.topP > 0 && sampling.topP <= 1)) throw new Error('generate: topP must be in (0, 1]');
  const logitsFn = opts.logits ?? tiedEmbeddingLogits;
  const useCache = opts.useCache ?? true;
  const rng = new Rng(opts.seed ?? 0);
  const forwardOpts: ForwardOptions = { ...opts.forward, training: false };

  const sequences = prompt.map((r) => [...r]);
  const masks = mask.map((r) => [...r]);
  const tokens: number[][] = prompt.map(() => []);
  const finished: boolean[] = prompt.map(() => false);
  const reasons: FinishReason[] = prompt.map(() => 'length');
  let past: Record<string, tf.Tensor> | null = null;
  let steps = 0;
  try {
    for (let step = 0; step < maxNew && finished.some((f) => !f); step++) {
      const len = sequences[0]!.length;
      const positions = positionIds(masks);
      const incremental = useCache && past !== null;
      const ids = incremental ? sequences.map((r) => [r[len - 1]!]) : sequences;
      const pos = incremental ? positions.map((r) => [r[len - 1]!]) : positions;
      const inputs: Record<string, tf.Tensor> = {
        input_ids: tf.tensor2d(ids, [batch, ids[0]!.length], 'int32'),
        attention_mask: tf.tensor2d(masks, [batch, len], 'int32'),
        position_ids: tf.tensor2d(pos, [batch, pos[0]!.length], 'int32'),
        ...(useCache && !incremental ? { use_cache: tf.scalar(1, 'int32') } : {}),
        ...(incremental ? past! : {}),
      };
      let out: ModelOutput;
      try {
        out = model.forward(inputs, forwardOpts);
      } finally {
        for (const [k, v] of Object.entries(inputs)) if (!k.startsWith('past_key_values.')) v.dispose();
      }
      const hidden = out.last_hidden_state;
      const next = useCache ? keepPresents(out) : null;
      disposeOutput(out, new Set([...Object.values(next ?? {}), hidden]));
      if (past) tf.dispose(Object.values(past));
      past = next;
      if (next && Object.keys(next).length === 0) {
        hidden.dispose();
        throw new Error('generate: the model returned no present_key_values (it does not follow the KV-cache convention); use useCache: false');
      }
      let logits: tf.Tensor;
      try {
        logits = tf.tidy(() => {
          if (hidden.shape[0] !== batch) throw new Error(`generate: the model returned ${hidden.shape[0]} rows for a batch of ${batch} (Parallel setups are not supported)`);
          const t = hidden.shape[1]!;
          return logitsFn(model, tf.reshape(tf.slice(hidden, [0, t - 1, 0], [batch, 1, -1]), [batch, -1]));
        });
      } finally {
        hidden.dispose();
      }
      const data = (await logits.data()) as Float32Array;
      const vocab = logits.shape[1]!;
      logits.dispose();
      steps++;
      for (let b = 0; b < batch; b++) {
        let id = pad;
        if (!finished[b]) {
          id = pickToken(data.subarray(b * vocab, (b + 1) * vocab), sampling, rng);
          tokens[b]!.push(id);
          if (eos.has(id)) {
            finished[b] = true;
            reasons[b] = 'eos';
          }
          opts.onToken?.(id, step, b);
        }
        sequences[b]!.push(id);
        masks[b]!.push(1);
      }
    }
  } finally {
    if (past) tf.dispose(Object.values(past));
  }
  return { sequences, tokens, finishReasons: reasons, steps };
}
