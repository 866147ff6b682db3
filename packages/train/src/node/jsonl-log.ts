import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LogEntry } from '../events';

/**
 * Appends trainer log entries to a JSON Lines file (one object per entry, `kind` first). When a
 * run resumes at step `resumeStep`, entries after that step (written by the interrupted run) are
 * dropped first, so the file holds one consistent history.
 */
export class JsonlLogWriter {
  constructor(readonly file: string, opts: { resumeStep?: number; truncate?: boolean } = {}) {
    mkdirSync(path.dirname(file), { recursive: true });
    if (opts.truncate || !existsSync(file)) writeFileSync(file, '');
    else if (opts.resumeStep !== undefined) {
      const keep = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => {
          if (l.trim() === '') return false;
          try {
            const e = JSON.parse(l) as { step?: unknown; kind?: unknown };
            return e.kind !== 'resume' && typeof e.step === 'number' && e.step <= opts.resumeStep!;
          } catch {
            return false;
          }
        });
      writeFileSync(file, keep.map((l) => `${l}\n`).join(''));
    }
  }

  /** The trainer callback. */
  readonly onLog = (e: LogEntry): void => {
    appendFileSync(this.file, `${JSON.stringify({ ...e, time: new Date().toISOString() })}\n`);
  };
}
