import { AdaptersError } from '@adapters/core';

/** One entity: type and inclusive token span (seqeval's chunk tuple). */
export interface Entity {
  type: string;
  start: number;
  end: number;
}

function endOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (prevTag === 'E' || prevTag === 'S') return true;
  if ((prevTag === 'B' || prevTag === 'I') && (tag === 'B' || tag === 'S' || tag === 'O')) return true;
  return prevTag !== 'O' && prevTag !== '.' && prevType !== type;
}

function startOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (tag === 'B' || tag === 'S') return true;
  if ((prevTag === 'E' || prevTag === 'S' || prevTag === 'O') && (tag === 'E' || tag === 'I')) return true;
  return tag !== 'O' && tag !== '.' && prevType !== type;
}

/**
 * seqeval's `get_entities` (default, non-strict mode): entity chunks of IOB1/IOB2/IOE/IOBES tag
 * sequences (`B-PER`, `I-PER`, `O`, …). Several sequences are joined with an `O` between them, so
 * offsets run over the concatenation, as in seqeval.
 */
export function getEntities(seqs: readonly (readonly string[])[]): Entity[] {
  const flat: string[] = [];
  for (const s of seqs) flat.push(...s, 'O');
  let prevTag = 'O';
  let prevType = '';
  let begin = 0;
  const chunks: Entity[] = [];
  flat.push('O');
  flat.forEach((chunk, i) => {
    const tag = chunk.charAt(0);
    const parts = chunk.slice(1).split('-');
    // Python: chunk[1:].split('-', maxsplit=1)[-1] or '_'
    const type = (parts.length > 1 ? parts.slice(1).join('-') : parts[0]!) || '_';
    if (endOfChunk(prevTag, tag, prevType, type)) chunks.push({ type: prevType, start: begin, end: i - 1 });
    if (startOfChunk(prevTag, tag, prevType, type)) begin = i;
    prevTag = tag;
    prevType = type;
  });
  return chunks;
}

/** Entity-level (micro) precision, recall, F1 and token accuracy. */
export interface SeqevalResult {
  precision: number;
  recall: number;
  f1: number;
  /** Token-level accuracy. */
  accuracy: number;
}

/**
 * seqeval's default scores (as the `evaluate` `seqeval` metric's `overall_*`): micro-averaged over
 * entities, an entity counting as correct only with the same type and span; token accuracy.
 */
export function seqevalMetrics(predictions: readonly (readonly string[])[], references: readonly (readonly string[])[]): SeqevalResult {
  if (predictions.length !== references.length) throw new AdaptersError(`seqeval: ${predictions.length} predicted vs ${references.length} reference sequences.`);
  let tokens = 0;
  let correctTokens = 0;
  predictions.forEach((p, i) => {
    const r = references[i]!;
    if (p.length !== r.length) throw new AdaptersError(`seqeval: sequence ${i} has ${p.length} predicted vs ${r.length} reference tags.`);
    tokens += r.length;
    for (let j = 0; j < r.length; j++) if (p[j] === r[j]) correctTokens++;
  });
  const key = (e: Entity): string => `${e.type}\u0000${e.start}\u0000${e.end}`;
  const truth = new Set(getEntities(references).map(key));
  const pred = new Set(getEntities(predictions).map(key));
  let correct = 0;
  for (const e of pred) if (truth.has(e)) correct++;
  const precision = pred.size === 0 ? 0 : correct / pred.size;
  const recall = truth.size === 0 ? 0 : correct / truth.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, accuracy: tokens === 0 ? 0 : correctTokens / tokens };
}
