import { AdaptersError } from '@adapters/core';
import { accuracy, argmaxRows, f1Score, matthewsCorrcoef } from './classification';
import { pearson, spearman } from './regression';
import { seqevalMetrics } from './seqeval';

/** Everything the evaluation loop collected: one entry per example. */
export interface EvalPrediction {
  /** Per example: class logits `[C]` (classification / regression) or token logits `[T][C]` (tagging). */
  logits: readonly (readonly number[] | readonly (readonly number[])[])[];
  /** Per example: class id / target value, or token label ids (−100 = ignored). */
  labels: readonly (number | readonly number[])[];
}

/** Computes named metrics from an {@link EvalPrediction}. */
export type MetricFn = (p: EvalPrediction) => Record<string, number>;

function rows(p: EvalPrediction): number[][] {
  return p.logits.map((l, i) => {
    if (l.some((v) => typeof v !== 'number')) throw new AdaptersError(`Example ${i}: expected class logits [C], got nested arrays (use taggingMetrics for token logits).`);
    return l as number[];
  });
}

function scalarLabels(p: EvalPrediction): number[] {
  return p.labels.map((l, i) => {
    if (typeof l !== 'number') throw new AdaptersError(`Example ${i}: expected one label per example.`);
    return l;
  });
}

/** Options of {@link classificationMetrics}. */
export interface ClassificationMetricOptions {
  /** F1 averaging (`'binary'` for two classes by default, else `'macro'`); `false` for none. */
  f1?: 'binary' | 'macro' | 'micro' | false;
  /** Matthews correlation (`mcc`). Default true. */
  mcc?: boolean;
}

/** Accuracy, F1 and Matthews correlation of argmax predictions. */
export function classificationMetrics(opts: ClassificationMetricOptions = {}): MetricFn {
  return (p) => {
    const logits = rows(p);
    const preds = argmaxRows(logits);
    const labels = scalarLabels(p);
    const out: Record<string, number> = { accuracy: accuracy(preds, labels) };
    const numClasses = Math.max(logits[0]?.length ?? 0, ...labels.map((l) => l + 1));
    const f1 = opts.f1 ?? (numClasses <= 2 ? 'binary' : 'macro');
    if (f1) out.f1 = f1Score(preds, labels, { average: f1 });
    if (opts.mcc ?? true) out.mcc = matthewsCorrcoef(preds, labels);
    return out;
  };
}

/** Pearson and Spearman correlation of a one-output regression head (e.g. STS-B). */
export function regressionMetrics(): MetricFn {
  return (p) => {
    const preds = rows(p).map((r) => r[0]!);
    const labels = scalarLabels(p);
    return { pearson: pearson(preds, labels), spearman: spearman(preds, labels) };
  };
}

/**
 * Entity-level precision/recall/F1 (seqeval, micro) and token accuracy of a tagging head: argmax
 * per token, tokens labelled −100 (padding, special tokens, word continuations) dropped.
 */
export function taggingMetrics(id2label: readonly string[]): MetricFn {
  return (p) => {
    const predictions: string[][] = [];
    const references: string[][] = [];
    p.logits.forEach((l, i) => {
      const labels = p.labels[i];
      if (!Array.isArray(labels)) throw new AdaptersError(`Example ${i}: tagging needs token labels.`);
      const tokens = argmaxRows(l as readonly (readonly number[])[]);
      const pr: string[] = [];
      const rf: string[] = [];
      (labels as readonly number[]).forEach((y, t) => {
        if (y === -100) return;
        const name = (id: number): string => {
          const n = id2label[id];
          if (n === undefined) throw new AdaptersError(`No label name for id ${id} (id2label has ${id2label.length}).`);
          return n;
        };
        pr.push(name(tokens[t]!));
        rf.push(name(y));
      });
      predictions.push(pr);
      references.push(rf);
    });
    const r = seqevalMetrics(predictions, references);
    return { precision: r.precision, recall: r.recall, f1: r.f1, accuracy: r.accuracy };
  };
}
