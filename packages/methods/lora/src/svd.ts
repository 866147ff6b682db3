/**
 * Small dense linear algebra for LoRA averaging, in float64: thin QR (modified Gram–Schmidt) and a
 * one-sided Jacobi SVD for small square matrices. Row-major `number[][]`.
 */

/** Thin QR of an `m×n` matrix (m ≥ n): returns Q (m×n, orthonormal columns) and R (n×n). */
export function thinQr(a: number[][]): { q: number[][]; r: number[][] } {
  const m = a.length;
  const n = a[0]!.length;
  const q = a.map((row) => row.slice());
  const r = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let k = 0; k < m; k++) dot += q[k]![i]! * q[k]![j]!;
      r[i]![j] = dot;
      for (let k = 0; k < m; k++) q[k]![j]! -= dot * q[k]![i]!;
    }
    let norm = 0;
    for (let k = 0; k < m; k++) norm += q[k]![j]! ** 2;
    norm = Math.sqrt(norm);
    r[j]![j] = norm;
    for (let k = 0; k < m; k++) q[k]![j] = norm > 1e-300 ? q[k]![j]! / norm : 0;
  }
  return { q, r };
}

/** SVD of a small square matrix by one-sided Jacobi: `a = U·diag(s)·Vᵀ`, singular values descending. */
export function jacobiSvd(a: number[][]): { u: number[][]; s: number[]; v: number[][] } {
  const n = a.length;
  const w = a.map((row) => row.slice());
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let k = 0; k < n; k++) {
          alpha += w[k]![p]! ** 2;
          beta += w[k]![q]! ** 2;
          gamma += w[k]![p]! * w[k]![q]!;
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let k = 0; k < n; k++) {
          const wp = w[k]![p]!;
          const wq = w[k]![q]!;
          w[k]![p] = c * wp - s * wq;
          w[k]![q] = s * wp + c * wq;
          const vp = v[k]![p]!;
          const vq = v[k]![q]!;
          v[k]![p] = c * vp - s * vq;
          v[k]![q] = s * vp + c * vq;
        }
      }
    }
    if (off < 1e-14) break;
  }
  const s = Array.from({ length: n }, (_, j) => Math.sqrt(w.reduce((acc, row) => acc + row[j]! ** 2, 0)));
  const order = s.map((_, i) => i).sort((x, y) => s[y]! - s[x]!);
  const u = w.map((row) => order.map((j) => (s[j]! > 1e-300 ? row[j]! / s[j]! : 0)));
  return { u, s: order.map((j) => s[j]!), v: v.map((row) => order.map((j) => row[j]!)) };
}
