import { AdaptersError } from '@adapters/core';
import { parseCsv } from './csv';
import { type DataRecord, parseJsonl } from './jsonl';

/** Dataset file formats. */
export type DatasetFormat = 'jsonl' | 'csv' | 'tsv';

/** The format of a file by its extension (`.jsonl`/`.json`/`.ndjson`, `.csv`, `.tsv`). */
export function formatOf(path: string): DatasetFormat {
  const p = path.toLowerCase();
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson') || p.endsWith('.json')) return 'jsonl';
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.tsv')) return 'tsv';
  throw new AdaptersError(`Cannot tell the dataset format of "${path}": expected a .jsonl, .json, .ndjson, .csv or .tsv file.`);
}

/** Parses a dataset held in memory. */
export function parseDataset(text: string, format: DatasetFormat, source?: string): DataRecord[] {
  if (format === 'jsonl') return parseJsonl(text, source);
  return parseCsv(text, { delimiter: format === 'tsv' ? '\t' : ',', ...(source ? { source } : {}) });
}
