import { describe, expect, it } from 'vitest';
import { type StepLog, formatDuration, formatProgress } from '../src';
import { ProgressReporter } from '../src/node';

const step = (s: number, total = 10): StepLog => ({ kind: 'step', step: s, totalSteps: total, epoch: s / total, loss: 0.5 / s, lr: 1e-4, gradNorm: 1, elapsedMs: s * 1000, etaMs: (total - s) * 1000 });

describe('progress', () => {
  it('formats a bar with loss, lr and elapsed<ETA', () => {
    expect(formatProgress(step(5), { width: 10 })).toBe('[#####-----] 5/10  50% | loss 0.1000 | lr 1.00e-4 | 00:05<00:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(Number.NaN)).toBe('--:--');
  });

  it('TTY: redraws one line in place (\\r … clear-to-end), newline at the end and before other entries', () => {
    let out = '';
    const r = new ProgressReporter({ stream: { write: (t: string) => (out += t), isTTY: true, columns: 120 }, throttleMs: 0 });
    for (let s = 1; s <= 3; s++) r.onLog(step(s, 4));
    r.onLog({ kind: 'eval', step: 3, epoch: 1, metrics: { eval_loss: 0.25, eval_accuracy: 0.9 }, best: true });
    r.onLog(step(4, 4));
    const lines = out.split('\n');
    expect(lines[0]!.split('\r').filter(Boolean)).toHaveLength(3);
    expect(lines[0]).toContain('\u001b[K');
    expect(lines[1]).toBe('eval @ step 3: eval_loss 0.2500 | eval_accuracy 0.9000 (best)');
    expect(lines[2]).toMatch(/^\r\[#+\] 4\/4 100% \| loss 0\.1250/);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('not a TTY: plain lines (about 20 per run), no carriage returns', () => {
    let out = '';
    const r = new ProgressReporter({ stream: { write: (t: string) => (out += t), isTTY: false } });
    for (let s = 1; s <= 100; s++) r.onLog(step(s, 100));
    r.onLog({ kind: 'checkpoint', step: 100, dir: 'out/checkpoint-100' });
    expect(out).not.toContain('\r');
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(22); // step 1, every 5th step, and the checkpoint line
    expect(lines[0]).toBe('1/100   1% | loss 0.5000 | lr 1.00e-4 | 00:01<01:39');
    expect(lines.at(-1)).toBe('checkpoint @ step 100: out/checkpoint-100');
  });
});
