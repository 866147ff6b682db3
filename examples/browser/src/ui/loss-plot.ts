/** A small canvas plot of training loss per step: the current run in colour, earlier runs grey. */

interface Series {
  label: string;
  points: number[];
}

const COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed'];

/** Draws loss curves on a `<canvas>`; call {@link push} per step and it redraws. */
export class LossPlot {
  private readonly runs: Series[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.draw();
  }

  /** Starts a new curve. */
  start(label: string): void {
    this.runs.push({ label, points: [] });
    this.draw();
  }

  /** Adds one step's loss to the current curve. */
  push(loss: number): void {
    this.runs[this.runs.length - 1]?.points.push(loss);
    this.draw();
  }

  private draw(): void {
    const c = this.canvas;
    const g = c.getContext('2d');
    if (!g) return;
    const w = c.width;
    const h = c.height;
    const pad = { l: 44, r: 8, t: 8, b: 22 };
    g.clearRect(0, 0, w, h);
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#555';
    const all = this.runs.flatMap((r) => r.points).filter(Number.isFinite);
    if (all.length === 0) {
      g.fillText('loss per step appears here while training', pad.l, h / 2);
      return;
    }
    let lo = Math.min(...all);
    let hi = Math.max(...all);
    if (hi - lo < 1e-6) [lo, hi] = [lo - 0.01, hi + 0.01];
    const n = Math.max(2, ...this.runs.map((r) => r.points.length));
    const x = (i: number): number => pad.l + (i / (n - 1)) * (w - pad.l - pad.r);
    const y = (v: number): number => pad.t + (1 - (v - lo) / (hi - lo)) * (h - pad.t - pad.b);
    g.strokeStyle = '#ccc';
    g.strokeRect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
    g.fillText(hi.toFixed(3), 2, pad.t + 8);
    g.fillText(lo.toFixed(3), 2, h - pad.b);
    g.fillText(`step ${n}`, w - pad.r - 50, h - 6);
    this.runs.forEach((r, k) => {
      const current = k === this.runs.length - 1;
      g.strokeStyle = current ? COLORS[k % COLORS.length]! : '#bbb';
      g.lineWidth = current ? 2 : 1;
      g.beginPath();
      r.points.forEach((v, i) => (i === 0 ? g.moveTo(x(i), y(v)) : g.lineTo(x(i), y(v))));
      g.stroke();
      if (current) g.fillText(r.label, pad.l + 6, pad.t + 14);
    });
  }
}
