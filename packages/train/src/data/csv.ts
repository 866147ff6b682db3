import { AdaptersError } from '@adapters/core';

/**
 * An incremental RFC 4180 CSV parser: fields separated by `delimiter`, optionally quoted with `"`
 * (a quote inside a quoted field is written `""`; quoted fields may hold delimiters and line
 * breaks); rows end with LF or CRLF. Feed chunks with {@link push}, then call {@link end}.
 */
export class CsvParser {
  private field = '';
  private row: string[] = [];
  private quoted = false;
  private inQuotes = false;
  private quotePending = false;
  private pendingCR = false;
  private line = 1;
  private readonly delimiter: string;
  private readonly source: string;

  constructor(opts: { delimiter?: string; source?: string } = {}) {
    this.delimiter = opts.delimiter ?? ',';
    if (this.delimiter.length !== 1 || this.delimiter === '"' || this.delimiter === '\n' || this.delimiter === '\r') {
      throw new AdaptersError(`CSV delimiter must be one character other than a quote or line break, got ${JSON.stringify(this.delimiter)}.`);
    }
    this.source = opts.source ?? '<csv>';
  }

  /** Parses a chunk and returns the rows it completed. */
  push(chunk: string): string[][] {
    const rows: string[][] = [];
    for (const c of chunk) {
      if (this.pendingCR) {
        this.pendingCR = false;
        if (c === '\n') continue;
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            this.field += '"';
            continue;
          }
          this.inQuotes = false; // the quote closed the field; handle c below
        } else if (c === '"') {
          this.quotePending = true;
          continue;
        } else {
          if (c === '\n') this.line++;
          this.field += c;
          continue;
        }
      }
      if (c === '"') {
        if (this.field !== '' || this.quoted) throw new AdaptersError(`${this.source}:${this.line}: unexpected quote inside an unquoted CSV field.`);
        this.inQuotes = true;
        this.quoted = true;
      } else if (c === this.delimiter) {
        this.endField();
      } else if (c === '\n' || c === '\r') {
        this.pendingCR = c === '\r';
        this.endField();
        rows.push(this.row);
        this.row = [];
        this.line++;
      } else {
        if (this.quoted) throw new AdaptersError(`${this.source}:${this.line}: text after the closing quote of a CSV field.`);
        this.field += c;
      }
    }
    return rows;
  }

  /** Ends the input: returns the last row when the text does not end with a line break. */
  end(): string[][] {
    if (this.inQuotes && !this.quotePending) throw new AdaptersError(`${this.source}: unterminated quoted CSV field at end of input.`);
    this.inQuotes = false;
    this.quotePending = false;
    if (this.field === '' && this.row.length === 0 && !this.quoted) return [];
    this.endField();
    const row = this.row;
    this.row = [];
    return [row];
  }

  private endField(): void {
    this.row.push(this.field);
    this.field = '';
    this.quoted = false;
  }
}

/** Turns CSV rows into records keyed by the header row; blank lines are skipped. */
export class CsvRecords {
  private header: string[] | null = null;
  private rowNumber = 0;

  constructor(private readonly source = '<csv>') {}

  /** Records of `rows` (the first row seen is the header). */
  add(rows: readonly string[][]): Record<string, string>[] {
    const out: Record<string, string>[] = [];
    for (const row of rows) {
      this.rowNumber++;
      if (row.length === 1 && row[0] === '') continue;
      if (!this.header) {
        this.header = row;
        if (new Set(row).size !== row.length) throw new AdaptersError(`${this.source}: duplicate column names in the CSV header (${row.join(', ')}).`);
        continue;
      }
      if (row.length !== this.header.length) {
        throw new AdaptersError(`${this.source}: row ${this.rowNumber} has ${row.length} fields, the header has ${this.header.length}.`);
      }
      out.push(Object.fromEntries(this.header.map((h, i) => [h, row[i]!])));
    }
    return out;
  }
}

/** Parses a whole CSV text with a header row into records. */
export function parseCsv(text: string, opts: { delimiter?: string; source?: string } = {}): Record<string, string>[] {
  const parser = new CsvParser(opts);
  const records = new CsvRecords(opts.source);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return [...records.add(parser.push(body)), ...records.add(parser.end())];
}
