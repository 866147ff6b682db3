import { AdaptersError, getActivation, layerNorm, linearOutIn, toNumber } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { IGNORE_INDEX, bceWithLogits, crossEntropy, mseLoss } from './losses';
import type { PredictionHead } from './prediction-head';

/** What a head receives from the base model (already sliced to its rows for BatchSplit / Parallel). */
export interface HeadInputs {
  /** `last_hidden_state` `[B, T, H]`. */
  readonly sequence: tf.Tensor;
  /** `pooler_output` `[B, H]`, when the model has a pooler. */
  readonly pooled?: tf.Tensor;
  /** The input attention mask `[B, T]` (without prompt positions). */
  readonly attentionMask?: tf.Tensor | null;
  /** Class / token / LM labels (`labels`). */
  readonly labels?: tf.Tensor;
  /** QA start positions. */
  readonly startPositions?: tf.Tensor;
  /** QA end positions. */
  readonly endPositions?: tf.Tensor;
  /** Prompt-tuning positions prepended by the model (labels are padded with −100 for them). */
  readonly promptTokensLength: number;
}

/** Services of the model a head needs during its forward pass. */
export interface HeadEnv {
  /** Dropout active only in training mode. */
  dropout(x: tf.Tensor, rate: number): tf.Tensor;
  /** A base-model weight (for tied output projections). */
  baseWeight(key: string): tf.Tensor | undefined;
  /** Inverse of the active invertible adapter, applied before an LM head's output projection. */
  invertible: ((hidden: tf.Tensor) => tf.Tensor) | null;
}

/** Output of one head; names as in `transformers` (`logits`, `start_logits`, `end_logits`, `loss`). */
export type HeadOutput = {
  /** The head's name. */
  name: string;
  logits?: tf.Tensor;
  start_logits?: tf.Tensor;
  end_logits?: tf.Tensor;
  /** Present when labels (or QA positions) were given. */
  loss?: tf.Scalar;
};

function param(head: PredictionHead, env: HeadEnv, key: string): tf.Tensor | undefined {
  const own = head.params.get(key);
  if (own) return own;
  if (head.tiedWeightKey && key === head.outputWeightKey) {
    const w = env.baseWeight(head.tiedWeightKey);
    if (!w) throw new AdaptersError(`Head "${head.name}" is tied to ${head.tiedWeightKey}, which the model does not have.`);
    return w;
  }
  return undefined;
}

/** Runs modules `[from, to)` of a head's module list (Python `nn.Sequential` slice). */
export function applyLayers(head: PredictionHead, x: tf.Tensor, env: HeadEnv, from = 0, to = head.layers.length): tf.Tensor {
  let h = x;
  for (let i = from; i < to; i++) {
    const l = head.layers[i]!;
    if (l.kind === 'dropout') h = env.dropout(h, l.rate);
    else if (l.kind === 'activation') h = getActivation(l.name, 'activation_function')(h);
    else if (l.kind === 'layernorm') h = layerNorm(h, param(head, env, `${i}.weight`), param(head, env, `${i}.bias`), l.eps);
    else h = linearOutIn(h, param(head, env, `${i}.weight`)!, param(head, env, `${i}.bias`));
  }
  return h;
}

/** Python `_get_cls_output`: the pooler output with `use_pooler`, else the first token. */
function clsOutput(head: PredictionHead, inp: HeadInputs): tf.Tensor {
  if (head.config.use_pooler === true) {
    if (!inp.pooled) throw new AdaptersError(`Head "${head.name}" has use_pooler=true but the model returned no pooler_output.`);
    return inp.pooled;
  }
  const [b, , h] = inp.sequence.shape as [number, number, number];
  return tf.reshape(tf.slice(inp.sequence, [0, 0, 0], [b, 1, h]), [b, h]);
}

/** Prepends `n` columns of `value` to a `[B, T]` tensor (prompt-tuning label / mask padding). */
function prependColumns(t: tf.Tensor, n: number, value: number): tf.Tensor {
  if (n <= 0) return t;
  return tf.concat([tf.fill([t.shape[0]!, n], value, t.dtype), t], 1);
}

/** One head's forward pass and loss (Python `<Head>.forward`). */
export function headForward(head: PredictionHead, inp: HeadInputs, env: HeadEnv): HeadOutput {
  const cfg = head.config;
  const out: HeadOutput = { name: head.name };
  switch (head.type) {
    case 'classification':
    case 'multilabel_classification':
    case 'image_classification': {
      const logits = applyLayers(head, clsOutput(head, inp), env);
      out.logits = logits;
      if (inp.labels) {
        const n = Number(toNumber(cfg.num_labels));
        if (head.type !== 'multilabel_classification' && n === 1) out.loss = mseLoss(logits, inp.labels);
        else if (head.type === 'multilabel_classification' || cfg.multilabel === true) out.loss = bceWithLogits(logits, inp.labels);
        else out.loss = crossEntropy(logits, inp.labels);
      }
      return out;
    }
    case 'multiple_choice': {
      const logits = tf.reshape(applyLayers(head, clsOutput(head, inp), env), [-1, Number(toNumber(cfg.num_choices))]);
      out.logits = logits;
      if (inp.labels) out.loss = crossEntropy(logits, inp.labels);
      return out;
    }
    case 'tagging': {
      const logits = applyLayers(head, inp.sequence, env);
      out.logits = logits;
      if (inp.labels) {
        const p = inp.promptTokensLength;
        let labels = prependColumns(tf.cast(inp.labels, 'int32'), p, IGNORE_INDEX);
        if (inp.attentionMask) {
          const mask = prependColumns(tf.cast(inp.attentionMask, 'int32'), p, 1);
          labels = tf.where(tf.equal(mask, 1), labels, tf.fill(labels.shape, IGNORE_INDEX, 'int32'));
        }
        out.loss = crossEntropy(logits, labels);
      }
      return out;
    }
    case 'question_answering': {
      const logits = applyLayers(head, inp.sequence, env);
      const c = logits.shape[logits.shape.length - 1]!;
      if (c !== 2) throw new AdaptersError(`Question-answering head "${head.name}" needs num_labels = 2 (start, end), got ${c}.`);
      const [start, end] = tf.split(logits, 2, -1) as [tf.Tensor, tf.Tensor];
      out.start_logits = tf.squeeze(start, [-1]);
      out.end_logits = tf.squeeze(end, [-1]);
      if (inp.startPositions && inp.endPositions) {
        const ignored = out.start_logits.shape[1]!;
        const pos = (t: tf.Tensor): tf.Tensor => tf.clipByValue(tf.reshape(tf.cast(t, 'int32'), [-1]), 0, ignored);
        const s = crossEntropy(out.start_logits, pos(inp.startPositions), ignored);
        const e = crossEntropy(out.end_logits, pos(inp.endPositions), ignored);
        out.loss = tf.div(tf.add(s, e), 2) as tf.Scalar;
      }
      return out;
    }
    case 'masked_lm':
    case 'causal_lm': {
      let h = applyLayers(head, inp.sequence, env, 0, head.outputIndex);
      if (env.invertible) h = env.invertible(h);
      const logits = applyLayers(head, h, env, head.outputIndex);
      out.logits = logits;
      if (inp.labels) {
        const v = logits.shape[logits.shape.length - 1]!;
        let lg = logits;
        let labels = tf.cast(inp.labels, 'int32');
        if (cfg.shift_labels === true) {
          const [b, t] = logits.shape as [number, number, number];
          lg = tf.slice(logits, [0, 0, 0], [b, t - 1, v]);
          labels = tf.slice(labels, [0, 1], [labels.shape[0]!, labels.shape[1]! - 1]);
        }
        labels = prependColumns(labels, inp.promptTokensLength, IGNORE_INDEX);
        out.loss = crossEntropy(tf.reshape(lg, [-1, v]), tf.reshape(labels, [-1]));
      }
      return out;
    }
  }
}
