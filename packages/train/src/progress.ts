import type { StepLog } from './events';

/** `1:02:03` / `02:03` from milliseconds. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--:--';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (x: number): string => String(x).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${two(m)}:${two(sec)}`;
}

/** A number in 4 significant digits (exponent form for tiny/huge values). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return x.toExponential(2);
  return x.toPrecision(4);
}

/**
 * One progress line: `[#####-----] 50/100  50% | loss 0.6931 | lr 1.00e-4 | 00:12<00:12`; `width`
 * is the bar's length in characters (0 for no bar).
 */
export function formatProgress(e: StepLog, opts: { width?: number; label?: string } = {}): string {
  const width = opts.width ?? 24;
  const frac = e.totalSteps > 0 ? Math.min(1, e.step / e.totalSteps) : 0;
  const filled = Math.round(frac * width);
  const bar = width > 0 ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : '';
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  const label = opts.label ? `${opts.label} ` : '';
  return `${label}${bar}${e.step}/${e.totalSteps} ${pct} | loss ${formatNumber(e.loss)} | lr ${e.lr.toExponential(2)} | ${formatDuration(e.elapsedMs)}<${formatDuration(e.etaMs)}`;
}
