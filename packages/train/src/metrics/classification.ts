import { AdaptersError } from '@adapters/core';

function checkLengths(preds: readonly number[], labels: readonly number[]): void {
  if (preds.length !== labels.length) throw new AdaptersError(`predictions (${preds.length}) and labels (${labels.length}) differ in length.`);
}

/** Fraction of `preds` equal to `labels` (scikit-learn `accuracy_score`); 0 for empty input. */
export function accuracy(preds: readonly number[], labels: readonly number[]): number {
  checkLengths(preds, labels);
  if (preds.length === 0) return 0;
  let ok = 0;
  for (let i = 0; i < preds.length; i++) if (preds[i] === labels[i]) ok++;
  return ok / preds.length;
}

/** Per-class true positives, false positives and false negatives. */
function counts(preds: readonly number[], labels: readonly number[], cls: number): { tp: number; fp: number; fn: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < preds.length; i++) {
    const p = preds[i] === cls;
    const t = labels[i] === cls;
    if (p && t) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  return { tp, fp, fn };
}

/** F1 of one class; 0 when precision or recall is undefined (scikit-learn `zero_division=0`). */
function classF1(c: { tp: number; fp: number; fn: number }): number {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** Options of {@link f1Score}. */
export interface F1Options {
  /**
   * `'binary'` (default): F1 of `posLabel`, labels must be two classes; `'macro'`: unweighted mean
   * over the classes present in `labels` or `preds`; `'micro'`: global counts (= accuracy for
   * single-label classification).
   */
  average?: 'binary' | 'macro' | 'micro';
  /** Positive class of `'binary'`. Default 1. */
  posLabel?: number;
}

/** F1 score as scikit-learn's `f1_score` (with `zero_division=0`). */
export function f1Score(preds: readonly number[], labels: readonly number[], opts: F1Options = {}): number {
  checkLengths(preds, labels);
  const average = opts.average ?? 'binary';
  const classes = [...new Set([...labels, ...preds])].sort((a, b) => a - b);
  if (average === 'binary') {
    const pos = opts.posLabel ?? 1;
    if (classes.length > 2) {
      throw new AdaptersError(`average 'binary' needs two classes, got ${classes.length} (${classes.join(', ')}); use 'macro' or 'micro'.`);
    }
    return classF1(counts(preds, labels, pos));
  }
  if (average === 'micro') {
    const total = classes.map((c) => counts(preds, labels, c)).reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
    return classF1(total);
  }
  if (classes.length === 0) return 0;
  return classes.reduce((a, c) => a + classF1(counts(preds, labels, c)), 0) / classes.length;
}

/** Matthews correlation coefficient, multi-class form of scikit-learn's `matthews_corrcoef` (0 when undefined). */
export function matthewsCorrcoef(preds: readonly number[], labels: readonly number[]): number {
  checkLengths(preds, labels);
  const classes = [...new Set([...labels, ...preds])];
  const t = new Map(classes.map((c) => [c, 0]));
  const p = new Map(classes.map((c) => [c, 0]));
  let correct = 0;
  for (let i = 0; i < preds.length; i++) {
    t.set(labels[i]!, t.get(labels[i]!)! + 1);
    p.set(preds[i]!, p.get(preds[i]!)! + 1);
    if (preds[i] === labels[i]) correct++;
  }
  const n = preds.length;
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (const c of classes) {
    tp += t.get(c)! * p.get(c)!;
    pp += p.get(c)! ** 2;
    tt += t.get(c)! ** 2;
  }
  const covYtYp = correct * n - tp;
  const covYpYp = n * n - pp;
  const covYtYt = n * n - tt;
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}

/** Index of the largest value of each row (first one on ties, as `numpy.argmax`). */
export function argmaxRows(logits: readonly (readonly number[])[]): number[] {
  return logits.map((row) => {
    let best = 0;
    for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
    return best;
  });
}
