import * as tf from '@tensorflow/tfjs-core';

/** A `[B, T]` integer batch given as a tensor or nested arrays. */
export type IdBatch = tf.Tensor | readonly (readonly number[])[];

/** Reads an id batch into plain arrays (rows of equal length). */
export function toRows(x: IdBatch, what: string): number[][] {
  const rows = x instanceof tf.Tensor ? (x.arraySync() as number[][]) : x.map((r) => [...r]);
  if (!Array.isArray(rows) || rows.length === 0 || !Array.isArray(rows[0])) throw new Error(`generate: ${what} must be a non-empty [B, T] batch`);
  const t = rows[0]!.length;
  if (t === 0 || rows.some((r) => r.length !== t)) throw new Error(`generate: ${what} rows must be non-empty and of equal length`);
  return rows;
}

/**
 * Checks that every mask row is left-padded (`0…0 1…1`, at least one 1): generation appends at
 * the right, so right padding would put pad tokens between the prompt and the new tokens.
 */
export function assertLeftPadded(mask: readonly (readonly number[])[]): void {
  mask.forEach((row, b) => {
    const first = row.findIndex((v) => v !== 0);
    if (first < 0) throw new Error(`generate: attention mask row ${b} is all padding`);
    if (row.slice(first).some((v) => v === 0)) {
      throw new Error(`generate: attention mask row ${b} is not left-padded; pad prompts on the left for generation`);
    }
  });
}

/** transformers' generation position ids: `cumsum(mask) − 1`, 1 at padded positions. */
export function positionIds(mask: readonly (readonly number[])[]): number[][] {
  return mask.map((row) => {
    let c = 0;
    return row.map((v) => (v !== 0 ? c++ : 1));
  });
}
