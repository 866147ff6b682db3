import * as tf from '@tensorflow/tfjs-core';

/**
 * PyTorch's `torch.nn.utils.parametrizations.orthogonal` (default arguments: `use_trivialization=True`,
 * `orthogonal_map=None`) for a real `[rows, cols]` weight, as the forward of `_Orthogonal`:
 *
 * - the map is `"matrix_exp"` for a square weight, else `"householder"`;
 * - the parameter is `original` (shape of the weight), the buffer `base` is `[n, n]` with `n = max(rows, cols)`;
 * - a wide weight (`rows < cols`, e.g. ReFT's `[r, hidden]`) is handled transposed ("tall" `X = originalᵀ`, `[n, k]`).
 *
 * Householder: `A = tril(X, −1)`, `τ_j = 2 / (1 + Σ_i A_ij²)`, `Q = householder_product(A, τ)` (the first `k`
 * columns of `H_0·H_1·…·H_{k−1}`, `H_j = I − τ_j v_j v_jᵀ`, `v_j = e_j + A[:, j]`), then each column `j` is
 * multiplied by `int(X_jj)` (truncation toward zero, no gradient — PyTorch's `X.diagonal().int()`).
 * Matrix exp: `Q = expm(tril(X) − tril(X)ᵀ)`. Finally `W = base·Q` (transposed back for a wide weight).
 *
 * Built from differentiable tfjs ops (gradients flow into `original`; `base` is a buffer).
 */
export function orthogonalWeight(original: tf.Tensor, base: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const [rows, cols] = original.shape as [number, number];
    if (rows === cols) {
      const x = tf.mul(original, constMask(rows, cols, (i, j) => i >= j)); // tril (incl. diagonal)
      const q = expmTf(tf.sub(x, tf.transpose(x)));
      return tf.matMul(base, q) as tf.Tensor2D;
    }
    const transposed = rows < cols;
    const x = transposed ? tf.transpose(original) : original;
    const [n, k] = x.shape as [number, number];
    const a = tf.mul(x, constMask(n, k, (i, j) => i > j)); // tril(X, -1)
    const tau = tf.div(2, tf.add(1, tf.sum(tf.square(a), 0))); // [k]
    const v = tf.add(a, constMask(n, k, (i, j) => i === j)); // v_j = e_j + A[:, j]
    let q: tf.Tensor = constMask(n, k, (i, j) => i === j);
    for (let j = k - 1; j >= 0; j--) {
      const vj = tf.slice(v, [0, j], [n, 1]); // [n, 1]
      const tj = tf.slice(tau, [j], [1]);
      q = tf.sub(q, tf.mul(tj, tf.matMul(vj, tf.matMul(vj, q, true, false))));
    }
    const diag = tf.sum(tf.mul(x, constMask(n, k, (i, j) => i === j)), 0); // X_jj, [k]
    // int(X_jj): sign·floor(|·|) has zero gradient everywhere, like PyTorch's cast.
    const sign = tf.mul(tf.sign(diag), tf.floor(tf.abs(diag)));
    q = tf.matMul(base, tf.mul(q, tf.reshape(sign, [1, k])));
    return (transposed ? tf.transpose(q) : q) as tf.Tensor2D;
  });
}

/** An `[n, k]` 0/1 constant. */
function constMask(n: number, k: number, on: (i: number, j: number) => boolean): tf.Tensor2D {
  const d = new Float32Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) if (on(i, j)) d[i * k + j] = 1;
  return tf.tensor2d(d, [n, k]);
}

/**
 * Matrix exponential by scaling and squaring with a degree-18 Taylor polynomial (‖A/2^s‖₁ ≤ ½, so the
 * truncation error is far below float32 resolution). Differentiable (tfjs ops only); `s` is read from the data.
 */
export function expmTf(a: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const n = a.shape[0]!;
    const norm1 = tf.max(tf.sum(tf.abs(a), 0)).dataSync()[0]!;
    const s = norm1 > 0.5 ? Math.ceil(Math.log2(norm1 / 0.5)) : 0;
    const b = s > 0 ? tf.div(a, 2 ** s) : a;
    const eye = tf.eye(n);
    // Horner: I + B(I + B/2(I + B/3(… (I + B/18))))
    let p: tf.Tensor = eye;
    for (let m = 18; m >= 1; m--) p = tf.add(eye, tf.div(tf.matMul(b, p), m));
    for (let i = 0; i < s; i++) p = tf.matMul(p, p);
    return p as tf.Tensor2D;
  });
}

/**
 * The buffer `base` and parameter `original` PyTorch's `right_inverse` produces for an initial weight `w`
 * (`[rows, cols]`, row-major): `base` is an orthogonal `[n, n]` matrix whose first `k` columns are the QR
 * orthonormalisation (positive `R` diagonal) of the tall weight, `original = −I` (so that `W(original, base)`
 * equals those columns at initialisation).
 *
 * Deviation: PyTorch completes the tall weight with N(0, 1) columns before its QR; here the completion is the
 * deterministic one from the Householder QR of the weight (an `O(n²k)` computation instead of `O(n³)`). Both are
 * orthonormal bases of the same complement, so the initial weight and the reachable weights are the same.
 */
export function orthogonalInit(w: Float32Array, rows: number, cols: number): { base: Float32Array; original: Float32Array; n: number } {
  const transposed = rows < cols;
  const n = Math.max(rows, cols);
  const k = Math.min(rows, cols);
  // Tall matrix M [n, k] in float64.
  const m = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) m[i * k + j] = transposed ? w[j * cols + i]! : w[i * cols + j]!;
  const base = householderQ(m, n, k);
  const original = new Float32Array(rows * cols);
  for (let j = 0; j < k; j++) original[j * cols + j] = -1;
  return { base: Float32Array.from(base), original, n };
}

/**
 * Householder QR of a tall `[n, k]` matrix: returns the full orthogonal `Q` (`[n, n]`, row-major) with the signs
 * of its first `k` columns chosen so that `R` has a non-negative diagonal.
 */
export function householderQ(m: Float64Array, n: number, k: number): Float64Array {
  const r = Float64Array.from(m);
  const vs: (Float64Array | null)[] = [];
  const rdiag: number[] = [];
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < n; i++) norm += r[i * k + j]! ** 2;
    norm = Math.sqrt(norm);
    const x0 = r[j * k + j]!;
    const alpha = x0 >= 0 ? -norm : norm;
    const v = new Float64Array(n - j);
    for (let i = j; i < n; i++) v[i - j] = r[i * k + j]!;
    v[0] = x0 - alpha;
    let vn = 0;
    for (const e of v) vn += e * e;
    if (vn === 0 || norm === 0) {
      vs.push(null);
      rdiag.push(x0);
      continue;
    }
    // R ← H·R on rows j.., columns j..
    for (let c = j; c < k; c++) {
      let dot = 0;
      for (let i = j; i < n; i++) dot += v[i - j]! * r[i * k + c]!;
      const f = (2 * dot) / vn;
      for (let i = j; i < n; i++) r[i * k + c] = r[i * k + c]! - f * v[i - j]!;
    }
    vs.push(v.map((e) => e / Math.sqrt(vn)));
    rdiag.push(r[j * k + j]!);
  }
  // Q = H_0·H_1·…·H_{k−1}·I
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j];
    if (!v) continue;
    for (let c = 0; c < n; c++) {
      let dot = 0;
      for (let i = j; i < n; i++) dot += v[i - j]! * q[i * n + c]!;
      if (dot === 0) continue;
      for (let i = j; i < n; i++) q[i * n + c] = q[i * n + c]! - 2 * dot * v[i - j]!;
    }
  }
  for (let j = 0; j < k; j++) if (rdiag[j]! < 0) for (let i = 0; i < n; i++) q[i * n + j] = -q[i * n + j]!;
  return q;
}
