/** Python's `string.punctuation`. */
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** SQuAD v1.1 `normalize_answer`: lower case, drop punctuation and articles, collapse whitespace. */
export function normalizeAnswer(s: string): string {
  const lower = s.toLowerCase();
  const noPunc = [...lower].filter((c) => !PUNCTUATION.has(c)).join('');
  const noArticles = noPunc.replace(/\b(a|an|the)\b/g, ' ');
  return noArticles.split(/\s+/).filter((t) => t !== '').join(' ');
}

/** 1 when the normalized strings are equal, else 0. */
export function squadExactMatch(prediction: string, truth: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(truth) ? 1 : 0;
}

/** Token-overlap F1 of the normalized strings (SQuAD v1.1 `f1_score`). */
export function squadF1(prediction: string, truth: string): number {
  const p = normalizeAnswer(prediction).split(' ').filter((t) => t !== '');
  const g = normalizeAnswer(truth).split(' ').filter((t) => t !== '');
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / p.length;
  const recall = same / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/** One SQuAD example: the predicted answer text and the accepted answers. */
export interface SquadExample {
  prediction: string;
  answers: readonly string[];
}

/**
 * SQuAD v1.1 metrics as the official script and the `evaluate` `squad` metric: each example scores
 * the best over its answers; `exact_match` and `f1` are percentages.
 */
export function squadMetrics(examples: readonly SquadExample[]): { exact_match: number; f1: number } {
  if (examples.length === 0) return { exact_match: 0, f1: 0 };
  let em = 0;
  let f1 = 0;
  for (const e of examples) {
    em += Math.max(0, ...e.answers.map((a) => squadExactMatch(e.prediction, a)));
    f1 += Math.max(0, ...e.answers.map((a) => squadF1(e.prediction, a)));
  }
  return { exact_match: (100 * em) / examples.length, f1: (100 * f1) / examples.length };
}
