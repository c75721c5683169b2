/**
 * Dense least squares for the small problems of XAFS reduction (polynomial fits, the AUTOBK spline
 * coefficients): Householder QR on row-major Float64Arrays, triangular solves and (RᵀR)⁻¹.
 * QR rather than normal equations keeps the fits accurate to rounding even when columns are nearly
 * dependent (high-order post-edge polynomials, neighbouring spline knots).
 */
import { XasNumericalError } from '../core/errors.js';
import { tmpF64 } from './arena.js';

/** Householder QR of an m×n (m ≥ n) matrix; factors stored column-major (Householder vectors below the diagonal). */
export interface QR {
  m: number;
  n: number;
  /** Column-major m×n: Householder vectors on and below the diagonal, R strictly above it. */
  qr: Float64Array;
  /** Diagonal of R. */
  rdiag: Float64Array;
}

/**
 * Factorises a row-major m×n matrix (the input is not modified). temporary: the factors are temporaries
 * of the current allocation scope (arena.ts), for callers that use them only within it.
 */
export function qrDecompose(a: Float64Array, m: number, n: number, temporary = false): QR {
  const qr = temporary ? tmpF64(m * n) : new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) qr[j * m + i] = a[i * n + j];
  const rdiag = temporary ? tmpF64(n) : new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const ck = k * m;
    let nrm = 0;
    for (let i = k; i < m; i++) nrm += qr[ck + i] * qr[ck + i];
    nrm = Math.sqrt(nrm);
    if (nrm !== 0) {
      if (qr[ck + k] < 0) nrm = -nrm;
      for (let i = k; i < m; i++) qr[ck + i] /= nrm;
      qr[ck + k] += 1;
      const vkk = qr[ck + k];
      for (let j = k + 1; j < n; j++) {
        const cj = j * m;
        let s = 0;
        for (let i = k; i < m; i++) s += qr[ck + i] * qr[cj + i];
        s = -s / vkk;
        for (let i = k; i < m; i++) qr[cj + i] += s * qr[ck + i];
      }
    }
    rdiag[k] = -nrm;
  }
  return { m, n, qr, rdiag };
}

/** Overwrites b (length m) with Qᵀb. */
export function applyQt(f: QR, b: Float64Array): void {
  const { m, n, qr } = f;
  for (let k = 0; k < n; k++) {
    const ck = k * m;
    const vkk = qr[ck + k];
    if (vkk === 0) continue;
    let s = 0;
    for (let i = k; i < m; i++) s += qr[ck + i] * b[i];
    s = -s / vkk;
    for (let i = k; i < m; i++) b[i] += s * qr[ck + i];
  }
}

/** True if R has a zero (relative to its largest) diagonal entry: the columns are dependent. */
export function isRankDeficient(f: QR, rtol = 1e-13): boolean {
  let max = 0;
  for (let k = 0; k < f.n; k++) max = Math.max(max, Math.abs(f.rdiag[k]));
  for (let k = 0; k < f.n; k++) if (!(Math.abs(f.rdiag[k]) > rtol * max)) return true;
  return false;
}

/** Solves R x = y for the n leading entries of y (y is Qᵀb), returning x. */
export function solveR(f: QR, y: ArrayLike<number>): Float64Array {
  const { m, n, qr, rdiag } = f;
  const x = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    let s = y[k];
    for (let j = k + 1; j < n; j++) s -= qr[j * m + k] * x[j];
    x[k] = s / rdiag[k];
  }
  return x;
}

/** Minimises |A x − b|₂ for a full-rank m×n row-major A. */
export function lstsq(
  a: Float64Array,
  m: number,
  n: number,
  b: ArrayLike<number>,
  what = 'least squares',
): Float64Array {
  if (m < n) throw new XasNumericalError(`${what}: ${m} equations for ${n} unknowns`);
  const f = qrDecompose(a, m, n, true);
  if (isRankDeficient(f))
    throw new XasNumericalError(`${what}: the fit matrix is singular (dependent columns)`);
  const y = tmpF64(m);
  y.set(b);
  applyQt(f, y);
  return solveR(f, y);
}

/** Upper-triangular R (n×n, row-major) of a factorisation (a temporary when asked, see qrDecompose). */
export function rMatrix(f: QR, temporary = false): Float64Array {
  const { m, n, qr, rdiag } = f;
  const r = temporary ? tmpF64(n * n, true) : new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    r[i * n + i] = rdiag[i];
    for (let j = i + 1; j < n; j++) r[i * n + j] = qr[j * m + i];
  }
  return r;
}

/** (AᵀA)⁻¹ = R⁻¹R⁻ᵀ from the QR of A: the unscaled covariance of a least-squares fit. */
export function inverseNormalMatrix(f: QR): Float64Array {
  const n = f.n;
  const r = rMatrix(f);
  // Rinv upper triangular
  const rinv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    rinv[j * n + j] = 1 / r[j * n + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[i * n + k] * rinv[k * n + j];
      rinv[i * n + j] = -s / r[i * n + i];
    }
  }
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = j; k < n; k++) s += rinv[i * n + k] * rinv[j * n + k];
      c[i * n + j] = s;
      c[j * n + i] = s;
    }
  }
  return c;
}
