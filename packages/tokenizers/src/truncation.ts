/**
 * Truncation of one sequence or a pair to a token budget (special tokens already subtracted), as
 * Hugging Face `transformers` does it. tokenizers.js has no truncation, so this is implemented here.
 */
import { AdaptersError } from '@adapters/core';

/** `true` is `'longest_first'`. */
export type TruncationStrategy = boolean | 'longest_first' | 'only_first' | 'only_second';

/**
 * How `'longest_first'` shares the budget of a pair:
 * - `'transformers'`: Python `truncate_sequences` — remove one token at a time from the longer
 *   sequence, from the second one on ties;
 * - `'tokenizers'`: the Rust `tokenizers` crate (fast tokenizers) — a sequence shorter than half
 *   the budget is kept whole and the other gets the rest; when both are longer, the shorter gets
 *   ⌊budget/2⌋ and the longer ⌈budget/2⌉ (the second sequence on ties).
 */
export type TruncationRule = 'transformers' | 'tokenizers';

/** A tokenized sequence: parallel token strings and ids. */
export interface Seq {
  tokens: string[];
  ids: number[];
}

function cut(s: Seq, keep: number, side: 'left' | 'right'): Seq {
  if (keep >= s.ids.length) return s;
  return side === 'right'
    ? { tokens: s.tokens.slice(0, keep), ids: s.ids.slice(0, keep) }
    : { tokens: s.tokens.slice(s.tokens.length - keep), ids: s.ids.slice(s.ids.length - keep) };
}

/**
 * Truncates `a` (and `b`) so that their total length fits `budget`.
 *
 * @throws `AdaptersError` when the budget is negative (maxLength smaller than the special tokens),
 *   when `'only_first'`/`'only_second'` cannot reach the budget by cutting that sequence alone, or
 *   when `'only_second'` is asked for a single text.
 */
export function truncateSequences(
  a: Seq,
  b: Seq | undefined,
  budget: number,
  opts: { strategy: TruncationStrategy; rule: TruncationRule; side: 'left' | 'right' },
): [Seq, Seq | undefined] {
  const strategy = opts.strategy === true ? 'longest_first' : opts.strategy;
  if (strategy === false) return [a, b];
  if (budget < 0) throw new AdaptersError(`maxLength leaves no room for the special tokens added around the text (${-budget} short)`);
  const la = a.ids.length;
  const lb = b?.ids.length ?? 0;
  const excess = la + lb - budget;
  if (excess <= 0) return [a, b];
  if (strategy === 'only_second' && b === undefined) throw new AdaptersError("truncation 'only_second' needs a pair of texts");
  if (strategy === 'only_first' || (strategy === 'longest_first' && b === undefined)) {
    if (la < excess) throw new AdaptersError(`cannot truncate the first sequence (${la} tokens) by ${excess} tokens: use 'longest_first' or a larger maxLength`);
    return [cut(a, la - excess, opts.side), b];
  }
  if (strategy === 'only_second') {
    if (lb < excess) throw new AdaptersError(`cannot truncate the second sequence (${lb} tokens) by ${excess} tokens: use 'longest_first' or a larger maxLength`);
    return [a, cut(b!, lb - excess, opts.side)];
  }
  // longest_first with a pair.
  let keepA: number;
  let keepB: number;
  if (opts.rule === 'transformers') {
    // One token at a time from the longer sequence, from the second one on ties; in closed form:
    // first equalise the lengths, then split the rest, the second sequence losing the odd token.
    const first = Math.min(Math.abs(la - lb), excess);
    const second = excess - first;
    const fromA = (la > lb ? first : 0) + Math.floor(second / 2);
    keepA = la - fromA;
    keepB = lb - (excess - fromA);
  } else {
    // tokenizers (Rust) `truncate_encodings`, LongestFirst.
    const swap = la > lb;
    let n1 = swap ? lb : la;
    let n2: number;
    n2 = n1 > budget ? n1 : Math.max(n1, budget - n1);
    if (n1 + n2 > budget) {
      n1 = Math.floor(budget / 2);
      n2 = n1 + (budget % 2);
    }
    [keepA, keepB] = swap ? [n2, n1] : [n1, n2];
  }
  return [cut(a, keepA, opts.side), cut(b!, keepB, opts.side)];
}
