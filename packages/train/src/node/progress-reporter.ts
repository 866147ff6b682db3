import type { LogEntry } from '../events';
import { formatNumber, formatProgress } from '../progress';

/** A writable text stream (process.stderr). */
export interface TextStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Options of {@link ProgressReporter}. */
export interface ProgressReporterOptions {
  /** Default `process.stderr`. */
  stream?: TextStream;
  /** Force the live bar on or off (default: when the stream is a TTY). */
  live?: boolean;
  /** Without a TTY: print a plain line every N steps (default: about 20 lines per run). */
  plainEvery?: number;
  /** Prefix of each line (e.g. the adapter name). */
  label?: string;
  /** Minimum milliseconds between two redraws of the live bar. Default 100. */
  throttleMs?: number;
}

/**
 * Renders trainer log entries: a live progress bar (loss, learning rate, elapsed<ETA) redrawn in
 * place when the stream is a TTY, plain lines otherwise; evaluations and checkpoints on their own
 * lines. Pass {@link onLog} as the trainer's `onLog`.
 */
export class ProgressReporter {
  private readonly stream: TextStream;
  private readonly live: boolean;
  private lastDraw = 0;
  private open = false;

  constructor(private readonly opts: ProgressReporterOptions = {}) {
    this.stream = opts.stream ?? process.stderr;
    this.live = opts.live ?? this.stream.isTTY === true;
  }

  /** The trainer callback. */
  readonly onLog = (e: LogEntry): void => {
    const label = this.opts.label;
    if (e.kind === 'step') {
      if (this.live) {
        const now = performance.now();
        if (e.step !== e.totalSteps && now - this.lastDraw < (this.opts.throttleMs ?? 100)) return;
        this.lastDraw = now;
        const width = Math.max(10, Math.min(30, (this.stream.columns ?? 100) - 70));
        this.stream.write(`\r${formatProgress(e, { width, ...(label ? { label } : {}) })}\u001b[K`);
        this.open = true;
        if (e.step === e.totalSteps) this.newline();
      } else {
        const every = this.opts.plainEvery ?? Math.max(1, Math.ceil(e.totalSteps / 20));
        if (e.step % every === 0 || e.step === e.totalSteps || e.step === 1) {
          this.stream.write(`${formatProgress(e, { width: 0, ...(label ? { label } : {}) })}\n`);
        }
      }
      return;
    }
    this.newline();
    const prefix = label ? `${label} ` : '';
    if (e.kind === 'eval') {
      const m = Object.entries(e.metrics).map(([k, v]) => `${k} ${formatNumber(v)}`).join(' | ');
      this.stream.write(`${prefix}eval @ step ${e.step}: ${m}${e.best ? ' (best)' : ''}\n`);
    } else if (e.kind === 'checkpoint') {
      this.stream.write(`${prefix}checkpoint @ step ${e.step}: ${e.dir}\n`);
    } else if (e.kind === 'resume') {
      this.stream.write(`${prefix}resumed from ${e.dir} at step ${e.step}\n`);
    } else {
      this.stream.write(`${prefix}early stopping @ step ${e.step} (best step ${e.bestStep}, ${formatNumber(e.bestMetric ?? Number.NaN)})\n`);
    }
  };

  /** Ends the live line (call before printing other text). */
  newline(): void {
    if (this.open) this.stream.write('\n');
    this.open = false;
  }
}
