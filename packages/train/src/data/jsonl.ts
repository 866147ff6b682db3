import { AdaptersError } from '@adapters/core';

/** A dataset record: one JSON object per example (CSV gives string values). */
export type DataRecord = Readonly<Record<string, unknown>>;

/** Parses one JSONL line (blank lines give `null`); errors name the source and line. */
export function parseJsonlLine(line: string, lineNumber: number, source = '<jsonl>'): DataRecord | null {
  const t = line.trim();
  if (t === '') return null;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch (e) {
    throw new AdaptersError(`${source}:${lineNumber}: invalid JSON (${(e as Error).message}).`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new AdaptersError(`${source}:${lineNumber}: expected a JSON object per line.`);
  return v as DataRecord;
}

/** Parses JSON Lines text (one object per line; blank lines skipped). */
export function parseJsonl(text: string, source = '<jsonl>'): DataRecord[] {
  const out: DataRecord[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const r = parseJsonlLine(i === 0 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line, i + 1, source);
    if (r) out.push(r);
  });
  return out;
}
