/**
 * Levenberg–Marquardt least squares for a handful of parameters (Marquardt's diagonal scaling,
 * central-difference Jacobian), returning the covariance (JᵀJ)⁻¹ at the minimum — the quantity
 * lmfit/MINPACK's cov_x holds, which Larch's feffit then scales.
 */
import { inverse, Matrix } from 'ml-matrix';
import { XasNumericalError } from '../../core/errors.js';

export interface LeastSquaresResult {
  x: Float64Array;
  residual: Float64Array;
  chiSquare: number;
  /** (JᵀJ)⁻¹ at the solution, row-major n×n. */
  covariance: Float64Array;
  nfev: number;
  iterations: number;
}

export interface LeastSquaresOptions {
  /** Typical magnitude of each parameter, for Jacobian steps (default 1). */
  scale?: ArrayLike<number>;
  maxIterations?: number;
}

function sumSq(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return s;
}

export function levenbergMarquardt(
  residual: (x: Float64Array) => Float64Array,
  x0: ArrayLike<number>,
  opts: LeastSquaresOptions = {},
): LeastSquaresResult {
  const n = x0.length;
  const scale = Float64Array.from({ length: n }, (_, i) => opts.scale?.[i] ?? 1);
  let x = Float64Array.from(x0);
  let nfev = 0;
  const f = (p: Float64Array) => {
    nfev++;
    const r = residual(p);
    for (let i = 0; i < r.length; i++) {
      if (!Number.isFinite(r[i]))
        throw new XasNumericalError(
          `the fit residual is not finite at parameters [${Array.from(p).join(', ')}]`,
        );
    }
    return r;
  };
  const jacobian = (p: Float64Array): Float64Array[] => {
    const cols: Float64Array[] = [];
    for (let j = 0; j < n; j++) {
      const h = 1e-6 * Math.max(Math.abs(p[j]), scale[j]);
      const up = Float64Array.from(p);
      const dn = Float64Array.from(p);
      up[j] += h;
      dn[j] -= h;
      const ru = f(up);
      const rd = f(dn);
      cols.push(Float64Array.from(ru, (v, i) => (v - rd[i]) / (2 * h)));
    }
    return cols;
  };
  const normal = (cols: Float64Array[], r: Float64Array) => {
    const a = new Float64Array(n * n);
    const g = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let s = 0;
        for (let m = 0; m < r.length; m++) s += cols[i][m] * cols[j][m];
        a[i * n + j] = s;
        a[j * n + i] = s;
      }
      let s = 0;
      for (let m = 0; m < r.length; m++) s += cols[i][m] * r[m];
      g[i] = s;
    }
    return { a, g };
  };
  let r = f(x);
  let cost = sumSq(r);
  let lambda = 1e-3;
  const maxIter = opts.maxIterations ?? 200;
  let it = 0;
  for (; it < maxIter; it++) {
    const { a, g } = normal(jacobian(x), r);
    let improved = false;
    let converged = false;
    for (let tries = 0; tries < 30; tries++) {
      const m = new Matrix(n, n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++)
          m.set(i, j, a[i * n + j] + (i === j ? lambda * Math.max(a[i * n + i], 1e-300) : 0));
      }
      let step: Matrix;
      try {
        step = inverse(m).mmul(Matrix.columnVector(Array.from(g, (v) => -v)));
      } catch {
        lambda *= 10;
        continue;
      }
      const trial = Float64Array.from(x, (v, i) => v + step.get(i, 0));
      const rt = f(trial);
      const ct = sumSq(rt);
      if (ct <= cost) {
        const rel = (cost - ct) / Math.max(cost, 1e-300);
        const small = Array.from(
          { length: n },
          (_, i) => Math.abs(step.get(i, 0)) <= 1e-10 * Math.max(Math.abs(x[i]), scale[i]),
        ).every(Boolean);
        x = trial;
        r = rt;
        cost = ct;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        converged = rel < 1e-12 || small;
        break;
      }
      lambda *= 10;
    }
    if (!improved || converged) break;
  }
  const cols = jacobian(x);
  const { a } = normal(cols, r);
  let cov: Matrix;
  try {
    cov = inverse(
      new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)))),
    );
  } catch {
    throw new XasNumericalError(
      'the fit Jacobian is singular: some parameters are not determined by the data',
    );
  }
  const covariance = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) covariance[i * n + j] = cov.get(i, j);
  if (
    covariance.some((v) => !Number.isFinite(v)) ||
    Array.from({ length: n }, (_, i) => covariance[i * n + i]).some((v) => !(v > 0))
  ) {
    throw new XasNumericalError(
      'the fit Jacobian is singular: some parameters are not determined by the data',
    );
  }
  return { x, residual: r, chiSquare: cost, covariance, nfev, iterations: it };
}
