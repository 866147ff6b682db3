import type { Rng } from '@adapters/core';
import type { PhmOptions } from './options';

/**
 * Opt-in corrections of Python Compacter quirks. The default (`{}`) reproduces Python 1.1.0.
 */
export interface CompacterFixes {
  /**
   * Honour `hypercomplex_nonlinearity` when initialising W. Python's `init_W` first tests
   * `if config["hypercomplex_nonlinearity"]:`, which is true for every accepted value, so W is
   * always Xavier-normal. With this fix: `glorot-uniform` → Xavier-uniform, `normal` →
   * N(0, `phm_init_range`), `glorot-normal` and `phm` → Xavier-normal.
   */
  readonly hypercomplexInit?: boolean;
  /**
   * Allow `shared_W_phm: true` with `factorized_phm_W: false`. Python's `init_shared_parameters`
   * reads an undefined local there (NameError); with this fix the shared `W_down`
   * `[n, hidden/n, bottleneck/n]` and `W_up` `[n, bottleneck/n, hidden/n]` are created.
   */
  readonly sharedUnfactorizedW?: boolean;
}

/** `nn.init.xavier_normal_` of one `[rows, cols]` matrix: N(0, √(2 / (rows + cols))). */
function xavierNormal(rng: Rng, out: Float32Array, offset: number, rows: number, cols: number): void {
  const std = Math.sqrt(2 / (rows + cols));
  for (let i = 0; i < rows * cols; i++) out[offset + i] = rng.normal(0, std);
}

/** `nn.init.xavier_uniform_` of one `[rows, cols]` matrix: U(−b, b), b = √(6 / (rows + cols)). */
function xavierUniform(rng: Rng, out: Float32Array, offset: number, rows: number, cols: number): void {
  const b = Math.sqrt(6 / (rows + cols));
  for (let i = 0; i < rows * cols; i++) out[offset + i] = rng.uniform(-b, b);
}

/**
 * Python `init_W` for a `[phm_dim, rows, cols]` tensor (each of the `phm_dim` matrices separately).
 * Reproduces the Python quirk (always Xavier-normal) unless `fixes.hypercomplexInit`.
 */
export function initW(rng: Rng, o: PhmOptions, rows: number, cols: number, fixes: CompacterFixes = {}): Float32Array {
  const n = o.phmDim;
  const out = new Float32Array(n * rows * cols);
  // Python: `if config["hypercomplex_nonlinearity"]:` is true for every accepted (non-empty) value.
  const scheme = fixes.hypercomplexInit ? o.wInit : 'glorot-normal';
  for (let i = 0; i < n; i++) {
    const off = i * rows * cols;
    if (scheme === 'glorot-uniform') xavierUniform(rng, out, off, rows, cols);
    else if (scheme === 'normal') for (let j = 0; j < rows * cols; j++) out[off + j] = rng.normal(0, o.initRange);
    else xavierNormal(rng, out, off, rows, cols);
  }
  return out;
}

/**
 * PHM rule init. Shared rules (`init_shared_parameters`): normal → N(0, `phm_init_range`),
 * uniform → U(−1, 1). Per-layer rules (`PHMLayer.reset_parameters`): normal → N(0, 0.01),
 * uniform → U(−0.01, 0.01) (`phm_init_range` is ignored there, as in Python).
 */
export function initRule(rng: Rng, o: PhmOptions, size: number, shared: boolean): Float32Array {
  if (o.cInit === 'uniform') {
    const b = shared ? 1 : 0.01;
    return rng.fill(size, () => rng.uniform(-b, b));
  }
  const std = shared ? o.initRange : 0.01;
  return rng.fill(size, () => rng.normal(0, std));
}
