import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CsvParser, CsvRecords } from '../data/csv';
import { type DatasetFormat, formatOf } from '../data/format';
import { type DataRecord, parseJsonlLine } from '../data/jsonl';

/**
 * Streams the records of a JSONL or CSV/TSV file (format from the extension unless given) without
 * reading the whole file into one string. Errors name the file and line.
 */
export async function* streamDataset(path: string, opts: { format?: DatasetFormat } = {}): AsyncGenerator<DataRecord> {
  const format = opts.format ?? formatOf(path);
  const stream = createReadStream(path, { encoding: 'utf8' });
  try {
    if (format === 'jsonl') {
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      let n = 0;
      for await (const line of lines) {
        n++;
        const r = parseJsonlLine(n === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line, n, path);
        if (r) yield r;
      }
      return;
    }
    const parser = new CsvParser({ delimiter: format === 'tsv' ? '\t' : ',', source: path });
    const records = new CsvRecords(path);
    let first = true;
    for await (const chunk of stream) {
      let text = chunk as string;
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      yield* records.add(parser.push(text));
    }
    yield* records.add(parser.end());
  } finally {
    stream.destroy();
  }
}

/** Reads all records of a JSONL or CSV/TSV file (streamed line by line). */
export async function readDataset(path: string, opts: { format?: DatasetFormat; limit?: number } = {}): Promise<DataRecord[]> {
  const out: DataRecord[] = [];
  for await (const r of streamDataset(path, opts)) {
    out.push(r);
    if (opts.limit !== undefined && out.length >= opts.limit) break;
  }
  return out;
}
