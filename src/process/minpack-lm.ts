/**
 * The Levenberg–Marquardt algorithm of MINPACK's lmdif (J. J. Moré, "The Levenberg-Marquardt
 * algorithm: implementation and theory", Lecture Notes in Mathematics 630 (1978); MINPACK-1, Argonne
 * 1980), which scipy.optimize.leastsq runs for Larch's fits. Written here from the published algorithm
 * so that AUTOBK can follow Larch's iterates, and therefore stop where Larch stops: Larch's
 * tolerances (ftol = xtol = gtol = 1e-6) often end the search before the exact minimum.
 *
 * The caller supplies the residual in a reduced form: any vector f̃ and Jacobian J̃ with
 * J̃ᵀJ̃ = JᵀJ and J̃ᵀf̃ = Jᵀf, plus the true norm |f|; every quantity the algorithm uses depends on
 * (J, f) only through these, so the iterates are those of the full problem.
 */
import { XasNumericalError } from '../core/errors.js';
import { outF64, tmpF64 } from './arena.js';
import { EPSMCH, enorm, lmpar, qrfac } from './minpack-qr.js';

export interface LmProblem {
  /** Number of parameters. */
  n: number;
  /** Rows of the reduced residual/Jacobian (≥ n). */
  m: number;
  /** Reduced residual at x, written into f, and the norm of the full residual. */
  evaluate(x: Float64Array, f: Float64Array): number;
  /** Forward-difference Jacobian (MINPACK fdjac2 conventions, step h_j = eps·|x_j| or eps), row-major m×n. */
  jacobian?(x: Float64Array, f: Float64Array, eps: number, jac: Float64Array): void;
  /**
   * Alternatively, the problem factors its own forward-difference Jacobian (no pivoting): R (n×n,
   * column-major, upper), the first n entries of Qᵀf̃, and the Jacobian's column norms.
   */
  factorJacobian?(
    x: Float64Array,
    f: Float64Array,
    eps: number,
    r: Float64Array,
    qtf: Float64Array,
    acnorm: Float64Array,
  ): void;
}

export interface LmOptions {
  ftol: number;
  xtol: number;
  gtol: number;
  epsfcn: number;
  maxfev: number;
  factor?: number;
}

export interface LmResult {
  x: Float64Array;
  /** MINPACK info code (1–4 converged, 5 maxfev, 6–8 tolerances too small). */
  info: number;
  nfev: number;
  /** Full-residual norm at x. */
  fnorm: number;
  /** R of the last Jacobian's pivoted QR (n×n row-major, upper) and its column permutation. */
  r: Float64Array;
  ipvt: Int32Array;
}

/** MINPACK lmdif (mode 1: automatic variable scaling) on a reduced problem, from x0. */
export function lmdif(problem: LmProblem, x0: ArrayLike<number>, opts: LmOptions): LmResult {
  const { n, m } = problem;
  const factor = opts.factor ?? 100;
  const eps = Math.sqrt(Math.max(opts.epsfcn, EPSMCH));
  const x = outF64(n);
  x.set(x0);
  const fvec = tmpF64(m, true);
  const wa4 = tmpF64(m, true);
  const jacRow = problem.factorJacobian ? new Float64Array(0) : tmpF64(m * n, true);
  const fjac = problem.factorJacobian ? new Float64Array(0) : tmpF64(m * n, true); // column-major
  const diag = tmpF64(n, true);
  const qtf = tmpF64(n, true);
  const ipvt = new Int32Array(n);
  const wa1 = tmpF64(n, true);
  const wa2 = tmpF64(n, true);
  const wa3 = tmpF64(n, true);
  const r = tmpF64(n * n, true); // R, column-major; its strict lower triangle is lmpar's workspace
  const sdiag = tmpF64(n, true);
  const work = [tmpF64(n), tmpF64(n), tmpF64(n)];
  let nfev = 1;
  let fnorm = problem.evaluate(x, fvec);
  let par = 0;
  let iter = 1;
  let delta = 0;
  let xnorm = 0;
  let info = 0;
  for (;;) {
    if (problem.factorJacobian) {
      r.fill(0);
      problem.factorJacobian(x, fvec, eps, r, qtf, wa2);
      for (let j = 0; j < n; j++) ipvt[j] = j;
    } else {
      problem.jacobian?.(x, fvec, eps, jacRow);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) fjac[j * m + i] = jacRow[i * n + j];
      qrfac(m, n, fjac, ipvt, wa1, wa2);
      wa4.set(fvec);
      for (let j = 0; j < n; j++) {
        const ajj = fjac[j * m + j];
        if (ajj !== 0) {
          let sum = 0;
          for (let i = j; i < m; i++) sum += fjac[j * m + i] * wa4[i];
          const temp = -sum / ajj;
          for (let i = j; i < m; i++) wa4[i] += fjac[j * m + i] * temp;
        }
        qtf[j] = wa4[j];
      }
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < j; i++) r[j * n + i] = fjac[j * m + i];
        r[j * n + j] = wa1[j];
      }
    }
    nfev += n;
    if (iter === 1) {
      for (let j = 0; j < n; j++) {
        diag[j] = wa2[j] === 0 ? 1 : wa2[j];
        wa3[j] = diag[j] * x[j];
      }
      xnorm = enorm(wa3);
      delta = factor * xnorm;
      if (delta === 0) delta = factor;
    }
    let gnorm = 0;
    if (fnorm !== 0) {
      for (let j = 0; j < n; j++) {
        const l = ipvt[j];
        if (wa2[l] !== 0) {
          let sum = 0;
          for (let i = 0; i <= j; i++) sum += r[j * n + i] * (qtf[i] / fnorm);
          gnorm = Math.max(gnorm, Math.abs(sum / wa2[l]));
        }
      }
    }
    if (gnorm <= opts.gtol) info = 4;
    if (info !== 0) break;
    for (let j = 0; j < n; j++) diag[j] = Math.max(diag[j], wa2[j]);

    let ratio = 0;
    do {
      par = lmpar(n, r, ipvt, diag, qtf, delta, par, wa1, sdiag, work);
      for (let j = 0; j < n; j++) {
        wa1[j] = -wa1[j];
        wa2[j] = x[j] + wa1[j];
        wa3[j] = diag[j] * wa1[j];
      }
      const pnorm = enorm(wa3);
      if (iter === 1) delta = Math.min(delta, pnorm);
      const fnorm1 = problem.evaluate(wa2, wa4);
      nfev++;
      let actred = -1;
      if (0.1 * fnorm1 < fnorm) {
        const t = fnorm1 / fnorm;
        actred = 1 - t * t;
      }
      for (let j = 0; j < n; j++) {
        wa3[j] = 0;
        const temp = wa1[ipvt[j]];
        for (let i = 0; i <= j; i++) wa3[i] += r[j * n + i] * temp;
      }
      const temp1 = enorm(wa3) / fnorm;
      const temp2 = (Math.sqrt(par) * pnorm) / fnorm;
      const prered = temp1 * temp1 + (temp2 * temp2) / 0.5;
      const dirder = -(temp1 * temp1 + temp2 * temp2);
      ratio = prered !== 0 ? actred / prered : 0;
      if (ratio <= 0.25) {
        let temp = actred >= 0 ? 0.5 : (0.5 * dirder) / (dirder + 0.5 * actred);
        if (0.1 * fnorm1 >= fnorm || temp < 0.1) temp = 0.1;
        delta = temp * Math.min(delta, pnorm / 0.1);
        par /= temp;
      } else if (par === 0 || ratio >= 0.75) {
        delta = pnorm / 0.5;
        par *= 0.5;
      }
      if (ratio >= 1e-4) {
        for (let j = 0; j < n; j++) {
          x[j] = wa2[j];
          wa2[j] = diag[j] * x[j];
        }
        fvec.set(wa4);
        xnorm = enorm(wa2);
        fnorm = fnorm1;
        iter++;
      }
      if (Math.abs(actred) <= opts.ftol && prered <= opts.ftol && 0.5 * ratio <= 1) info = 1;
      if (delta <= opts.xtol * xnorm) info = 2;
      if (Math.abs(actred) <= opts.ftol && prered <= opts.ftol && 0.5 * ratio <= 1 && info === 2) info = 3;
      if (info !== 0) break;
      if (nfev >= opts.maxfev) info = 5;
      if (Math.abs(actred) <= EPSMCH && prered <= EPSMCH && 0.5 * ratio <= 1) info = 6;
      if (delta <= EPSMCH * xnorm) info = 7;
      if (gnorm <= EPSMCH) info = 8;
      if (info !== 0) break;
    } while (ratio < 1e-4);
    if (info !== 0) break;
  }
  // R of the last factorisation, row-major upper triangle
  const rOut = tmpF64(n * n, true);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) rOut[i * n + j] = r[j * n + i];
  return { x, info, nfev, fnorm, r: rOut, ipvt: new Int32Array(ipvt) };
}

/**
 * scipy.optimize.leastsq's use of lmdif: a residual function of n parameters with m values and a
 * forward-difference Jacobian (MINPACK fdjac2: step eps·|x_j|, or eps when x_j = 0).
 */
export function leastsq(
  fcn: (x: Float64Array, out: Float64Array) => void,
  m: number,
  x0: ArrayLike<number>,
  opts: LmOptions,
): LmResult {
  const n = x0.length;
  const wa = new Float64Array(m);
  const problem: LmProblem = {
    n,
    m,
    evaluate(x, f) {
      fcn(x, f);
      return enorm(f);
    },
    jacobian(x, f, eps, jac) {
      for (let j = 0; j < n; j++) {
        const temp = x[j];
        let h = eps * Math.abs(temp);
        if (h === 0) h = eps;
        x[j] = temp + h;
        fcn(x, wa);
        x[j] = temp;
        for (let i = 0; i < m; i++) jac[i * n + j] = (wa[i] - f[i]) / h;
      }
    },
  };
  return lmdif(problem, x0, opts);
}

/**
 * (JᵀJ)⁻¹ from the pivoted QR J·P = Q·R of an lmdif result (r row-major upper, ipvt its column
 * permutation), as scipy's leastsq builds cov_x. `alloc` supplies zeroed scratch/result arrays.
 */
export function lmCovariance(
  r: Float64Array,
  ipvt: Int32Array,
  n: number,
  singularMessage = 'singular Jacobian: the parameters are not determined by the data',
  alloc: (length: number) => Float64Array = (length) => new Float64Array(length),
): Float64Array {
  const rinv = alloc(n * n);
  for (let j = 0; j < n; j++) {
    if (r[j * n + j] === 0) throw new XasNumericalError(singularMessage);
    rinv[j * n + j] = 1 / r[j * n + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[i * n + k] * rinv[k * n + j];
      rinv[i * n + j] = -s / r[i * n + i];
    }
  }
  const cov = alloc(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let k = b; k < n; k++) s += rinv[a * n + k] * rinv[b * n + k];
      const pa = ipvt[a];
      const pb = ipvt[b];
      cov[pa * n + pb] = s;
      cov[pb * n + pa] = s;
    }
  }
  return cov;
}
