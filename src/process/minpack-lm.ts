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

const EPSMCH = 2.220446049250313e-16;
const DWARF = 2.2250738585072014e-308;

function enorm(v: ArrayLike<number>, start = 0, end = v.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** Householder QR with column pivoting of a (column-major m×n in `a`), MINPACK qrfac layout. */
function qrfac(
  m: number,
  n: number,
  a: Float64Array,
  ipvt: Int32Array,
  rdiag: Float64Array,
  acnorm: Float64Array,
): void {
  const wa = tmpF64(n);
  for (let j = 0; j < n; j++) {
    acnorm[j] = enorm(a, j * m, j * m + m);
    rdiag[j] = acnorm[j];
    wa[j] = rdiag[j];
    ipvt[j] = j;
  }
  const minmn = Math.min(m, n);
  for (let j = 0; j < minmn; j++) {
    let kmax = j;
    for (let k = j; k < n; k++) if (rdiag[k] > rdiag[kmax]) kmax = k;
    if (kmax !== j) {
      for (let i = 0; i < m; i++) {
        const t = a[j * m + i];
        a[j * m + i] = a[kmax * m + i];
        a[kmax * m + i] = t;
      }
      rdiag[kmax] = rdiag[j];
      wa[kmax] = wa[j];
      const k = ipvt[j];
      ipvt[j] = ipvt[kmax];
      ipvt[kmax] = k;
    }
    let ajnorm = enorm(a, j * m + j, j * m + m);
    if (ajnorm !== 0) {
      if (a[j * m + j] < 0) ajnorm = -ajnorm;
      for (let i = j; i < m; i++) a[j * m + i] /= ajnorm;
      a[j * m + j] += 1;
      for (let k = j + 1; k < n; k++) {
        let sum = 0;
        for (let i = j; i < m; i++) sum += a[j * m + i] * a[k * m + i];
        const temp = sum / a[j * m + j];
        for (let i = j; i < m; i++) a[k * m + i] -= temp * a[j * m + i];
        if (rdiag[k] !== 0) {
          const t = a[k * m + j] / rdiag[k];
          rdiag[k] *= Math.sqrt(Math.max(0, 1 - t * t));
          if (0.05 * (rdiag[k] / wa[k]) ** 2 <= EPSMCH) {
            rdiag[k] = enorm(a, k * m + j + 1, k * m + m);
            wa[k] = rdiag[k];
          }
        }
      }
    }
    rdiag[j] = -ajnorm;
  }
}

/**
 * Solves min |A x − b|² + |D x|² given the pivoted QR of A (MINPACK qrsolv). r is n×n column-major
 * (ldr = n): upper triangle R on input, strict lower triangle receives S.
 */
function qrsolv(
  n: number,
  r: Float64Array,
  ipvt: Int32Array,
  diag: Float64Array,
  qtb: Float64Array,
  x: Float64Array,
  sdiag: Float64Array,
  wa: Float64Array,
): void {
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) r[j * n + i] = r[i * n + j];
    x[j] = r[j * n + j];
    wa[j] = qtb[j];
  }
  for (let j = 0; j < n; j++) {
    const l = ipvt[j];
    if (diag[l] !== 0) {
      for (let k = j; k < n; k++) sdiag[k] = 0;
      sdiag[j] = diag[l];
      let qtbpj = 0;
      for (let k = j; k < n; k++) {
        if (sdiag[k] === 0) continue;
        let cos: number;
        let sin: number;
        const rkk = r[k * n + k];
        if (Math.abs(rkk) < Math.abs(sdiag[k])) {
          const cotan = rkk / sdiag[k];
          sin = 0.5 / Math.sqrt(0.25 + 0.25 * cotan * cotan);
          cos = sin * cotan;
        } else {
          const tan = sdiag[k] / rkk;
          cos = 0.5 / Math.sqrt(0.25 + 0.25 * tan * tan);
          sin = cos * tan;
        }
        r[k * n + k] = cos * rkk + sin * sdiag[k];
        const temp = cos * wa[k] + sin * qtbpj;
        qtbpj = -sin * wa[k] + cos * qtbpj;
        wa[k] = temp;
        for (let i = k + 1; i < n; i++) {
          const t = cos * r[k * n + i] + sin * sdiag[i];
          sdiag[i] = -sin * r[k * n + i] + cos * sdiag[i];
          r[k * n + i] = t;
        }
      }
    }
    sdiag[j] = r[j * n + j];
    r[j * n + j] = x[j];
  }
  let nsing = n;
  for (let j = 0; j < n; j++) {
    if (sdiag[j] === 0 && nsing === n) nsing = j;
    if (nsing < n) wa[j] = 0;
  }
  for (let j = nsing - 1; j >= 0; j--) {
    let sum = 0;
    for (let i = j + 1; i < nsing; i++) sum += r[j * n + i] * wa[i];
    wa[j] = (wa[j] - sum) / sdiag[j];
  }
  for (let j = 0; j < n; j++) x[ipvt[j]] = wa[j];
}

/** Levenberg–Marquardt parameter for the trust radius delta (MINPACK lmpar). Returns the new par. */
function lmpar(
  n: number,
  r: Float64Array,
  ipvt: Int32Array,
  diag: Float64Array,
  qtb: Float64Array,
  delta: number,
  parIn: number,
  x: Float64Array,
  sdiag: Float64Array,
  work: Float64Array[],
): number {
  const [wa1, wa2, wa3] = work;
  let nsing = n;
  for (let j = 0; j < n; j++) {
    wa1[j] = qtb[j];
    if (r[j * n + j] === 0 && nsing === n) nsing = j;
    if (nsing < n) wa1[j] = 0;
  }
  for (let j = nsing - 1; j >= 0; j--) {
    wa1[j] /= r[j * n + j];
    const temp = wa1[j];
    for (let i = 0; i < j; i++) wa1[i] -= r[j * n + i] * temp;
  }
  for (let j = 0; j < n; j++) x[ipvt[j]] = wa1[j];
  let iter = 0;
  for (let j = 0; j < n; j++) wa2[j] = diag[j] * x[j];
  let dxnorm = enorm(wa2);
  let fp = dxnorm - delta;
  if (fp <= 0.1 * delta) return 0;
  let parl = 0;
  if (nsing >= n) {
    for (let j = 0; j < n; j++) {
      const l = ipvt[j];
      wa1[j] = diag[l] * (wa2[l] / dxnorm);
    }
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let i = 0; i < j; i++) sum += r[j * n + i] * wa1[i];
      wa1[j] = (wa1[j] - sum) / r[j * n + j];
    }
    const temp = enorm(wa1);
    parl = fp / delta / temp / temp;
  }
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i <= j; i++) sum += r[j * n + i] * qtb[i];
    wa1[j] = sum / diag[ipvt[j]];
  }
  const gnorm = enorm(wa1);
  let paru = gnorm / delta;
  if (paru === 0) paru = DWARF / Math.min(delta, 0.1);
  let par = Math.max(parIn, parl);
  par = Math.min(par, paru);
  if (par === 0) par = gnorm / dxnorm;
  for (;;) {
    iter++;
    if (par === 0) par = Math.max(DWARF, 0.001 * paru);
    const temp = Math.sqrt(par);
    for (let j = 0; j < n; j++) wa1[j] = temp * diag[j];
    qrsolv(n, r, ipvt, wa1, qtb, x, sdiag, wa3);
    for (let j = 0; j < n; j++) wa2[j] = diag[j] * x[j];
    dxnorm = enorm(wa2);
    const fpOld = fp;
    fp = dxnorm - delta;
    if (Math.abs(fp) <= 0.1 * delta || (parl === 0 && fp <= fpOld && fpOld < 0) || iter === 10) return par;
    for (let j = 0; j < n; j++) {
      const l = ipvt[j];
      wa1[j] = diag[l] * (wa2[l] / dxnorm);
    }
    for (let j = 0; j < n; j++) {
      wa1[j] /= sdiag[j];
      const t = wa1[j];
      for (let i = j + 1; i < n; i++) wa1[i] -= r[j * n + i] * t;
    }
    const tn = enorm(wa1);
    const parc = fp / delta / tn / tn;
    if (fp > 0) parl = Math.max(parl, par);
    if (fp < 0) paru = Math.min(paru, par);
    par = Math.max(parl, par + parc);
  }
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
