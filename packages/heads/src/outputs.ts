import type { ModelOutput } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { HeadOutput } from './head-forward';

const TOKEN_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids', 'position_ids'];

/**
 * Python `<Model>AdapterModel.forward` flattens multiple-choice inputs: `[B, C, T]` token inputs
 * become `[B·C, T]` (and `inputs_embeds` `[B, C, T, H]` → `[B·C, T, H]`). Returns the inputs to use
 * and the tensors created here (to dispose).
 */
export function flattenChoiceInputs(inputs: Readonly<Record<string, tf.Tensor>>): {
  inputs: Record<string, tf.Tensor>;
  created: tf.Tensor[];
} {
  const out: Record<string, tf.Tensor> = { ...inputs };
  const created: tf.Tensor[] = [];
  for (const [k, t] of Object.entries(inputs)) {
    let shape: number[] | null = null;
    if (TOKEN_INPUTS.includes(k) && t.rank > 2) shape = [-1, t.shape[t.rank - 1]!];
    else if (k === 'inputs_embeds' && t.rank > 3) shape = [-1, t.shape[t.rank - 2]!, t.shape[t.rank - 1]!];
    if (shape) {
      const r = tf.reshape(t, shape);
      created.push(r);
      out[k] = r;
    }
  }
  return { inputs: out, created };
}

/** Base-model outputs plus the head outputs (names as in `transformers`). */
export interface FlexModelOutput extends ModelOutput {
  /** Class / token / LM logits (several heads: row-wise concatenation where shapes allow). */
  logits?: tf.Tensor;
  /** Question answering: start logits `[B, T]`. */
  start_logits?: tf.Tensor;
  /** Question answering: end logits `[B, T]`. */
  end_logits?: tf.Tensor;
  /** The loss when targets were given (summed over BatchSplit / Parallel heads). */
  loss?: tf.Scalar;
}

const HEAD_KEYS = ['logits', 'start_logits', 'end_logits'] as const;

/**
 * Merges base and head outputs into one {@link ModelOutput}: a single head's tensors as they
 * are; for several heads the combined `loss` and the row-wise concatenation of each output key
 * all heads share with equal trailing shapes (Python `MultiHeadOutput.logits` = `torch.vstack`).
 * Head tensors not returned are disposed.
 */
export function flattenHeadsOutput(r: { base: ModelOutput; heads: HeadOutput[]; loss?: tf.Scalar }): FlexModelOutput {
  const out: FlexModelOutput = { ...r.base };
  if (r.heads.length === 0) return out;
  const keep = new Set<tf.Tensor>();
  if (r.heads.length === 1) {
    const h = r.heads[0]!;
    for (const k of HEAD_KEYS) if (h[k]) out[k] = h[k];
  } else {
    for (const k of HEAD_KEYS) {
      const ts = r.heads.map((h) => h[k]);
      if (!ts.every((t): t is tf.Tensor => t !== undefined)) continue;
      const trail = ts[0]!.shape.slice(1).join();
      if (ts[0]!.rank < 2 || !ts.every((t) => t.rank === ts[0]!.rank && t.shape.slice(1).join() === trail)) continue;
      out[k] = tf.concat(ts, 0);
    }
  }
  if (r.loss) out.loss = r.loss;
  for (const v of Object.values(out)) if (v && !Array.isArray(v)) keep.add(v);
  for (const h of r.heads) for (const k of [...HEAD_KEYS, 'loss'] as const) if (h[k] && !keep.has(h[k]!)) h[k]!.dispose();
  return out;
}
