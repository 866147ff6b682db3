/**
 * Python `ReftModule._gather_adapted_states` / `_scatter_adapted_states` as flat row indices into a
 * `[B·T, D]` view of the hidden states.
 *
 * - `offsets = argmax(mask, 1)` (first non-padding position; 0 for an all-zero row) and
 *   `seqlens = Σ (mask == 1)` (Python `ModelAdaptersMixin.forward_context`); without a mask, offsets 0 and
 *   lengths `T`.
 * - prefix positions `offset + j`, `j < p' = min(prefix_positions, T)`; suffix positions
 *   `offset + len − s' + j`, `j < s' = min(suffix_positions, T)`.
 * - The units' outputs are concatenated (`L = p' + s'` rows per sequence). Prefix positions receive rows
 *   `0 … p'−1`; suffix positions receive rows `start … start+s'−1` with `start = max(0, L − suffix_positions)`
 *   (Python's `adapted_output[:, -suffix_positions:]` fed to `scatter`), scattered after the prefix so they win
 *   where both overlap. These are Python's exact semantics, including the quirks for sequences shorter than the
 *   number of positions (padding rows gathered; overlapping prefix/suffix).
 */
export interface ReftPositions {
  /** Rows of `[B·T, D]` gathered as prefix states, `[B·p']` (batch-major). */
  readonly prefixRows: Int32Array;
  /** Rows gathered as suffix states, `[B·s']`. */
  readonly suffixRows: Int32Array;
  readonly prefixLen: number;
  readonly suffixLen: number;
  /**
   * For every output row of `[B·T, D]`: its source row in `concat([hidden (B·T rows), adapted (B·L rows)])`.
   */
  readonly outputRows: Int32Array;
}

/**
 * Computes the positions for a batch; `mask` is `[B, maskLen]` row-major (1 = token) or null. The mask may be
 * longer than the hidden states (cached generation): as in Python, offsets and lengths come from the whole mask
 * and positions outside `[0, seqLen)` throw.
 */
export function reftPositions(
  mask: ArrayLike<number> | null,
  batch: number,
  seqLen: number,
  prefixPositions: number,
  suffixPositions: number,
  maskLen = seqLen,
): ReftPositions {
  const offsets = new Int32Array(batch);
  const ends = new Int32Array(batch).fill(seqLen);
  if (mask) {
    for (let b = 0; b < batch; b++) {
      let best = -Infinity;
      let arg = 0;
      let len = 0;
      for (let t = 0; t < maskLen; t++) {
        const m = mask[b * maskLen + t]!;
        if (m > best) {
          best = m;
          arg = t;
        }
        if (m === 1) len++;
      }
      offsets[b] = arg;
      ends[b] = arg + len;
    }
  }
  const p = prefixPositions > 0 ? Math.min(prefixPositions, seqLen) : 0;
  const s = suffixPositions > 0 ? Math.min(suffixPositions, seqLen) : 0;
  const total = batch * seqLen;
  const check = (pos: number, b: number, what: string): number => {
    // torch.gather raises for out-of-range indices.
    if (pos < 0 || pos >= seqLen) throw new RangeError(`ReFT ${what} position ${pos} of sequence ${b} is outside [0, ${seqLen})`);
    return pos;
  };
  const prefixRows = new Int32Array(batch * p);
  const suffixRows = new Int32Array(batch * s);
  const outputRows = new Int32Array(total);
  for (let i = 0; i < total; i++) outputRows[i] = i;
  const L = p + s;
  const suffixStart = Math.max(0, L - suffixPositions);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < p; j++) {
      const pos = check(offsets[b]! + j, b, 'prefix');
      prefixRows[b * p + j] = b * seqLen + pos;
      outputRows[b * seqLen + pos] = total + b * L + j;
    }
  }
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < s; j++) {
      const pos = check(ends[b]! - s + j, b, 'suffix');
      suffixRows[b * s + j] = b * seqLen + pos;
      outputRows[b * seqLen + pos] = total + b * L + suffixStart + j;
    }
  }
  return { prefixRows, suffixRows, prefixLen: p, suffixLen: s, outputRows };
}
