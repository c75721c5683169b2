/**
 * Larch's own route to the AUTOBK coefficients, reproduced: start from the interpolating spline through
 * smoothed μ at the knots (autobk.py: spl_y, splrep) and run MINPACK's Levenberg–Marquardt with a
 * forward-difference Jacobian and Larch's settings (ftol = xtol = gtol = epsfcn = 1e-6). Larch often
 * stops this search before the exact minimum; following the same iterates gives Larch's χ(k) where
 * the exact solution (autobk-solve.ts) would differ by more than the agreed tolerances.
 *
 * The residual is evaluated in the reduced form of minpack-lm.ts: with M = Q_M·R_M, the low-R rows
 * a − M·c enter as Q_Mᵀ(a − M·c) = (Q_Mᵀa)_n − R_M·c plus their true norm.
 */
import { XasNumericalError } from '../core/errors.js';
import type { AutobkDesign } from './autobk-design.js';
import type { AutobkSolution, ClampRows } from './autobk-solve.js';
import { applyQt, rMatrix } from './linalg.js';
import { type LmProblem, lmdif } from './minpack-lm.js';

export function solveAutobkLarch(
  d: AutobkDesign,
  a: Float64Array,
  clamps: ClampRows,
  c0: Float64Array,
): AutobkSolution {
  const n = d.ncoef;
  const nout = d.nrows;
  const ncl = clamps.index.length;
  const qa = new Float64Array(a);
  applyQt(d.qr, qa);
  let rest2 = 0;
  for (let i = n; i < nout; i++) rest2 += qa[i] * qa[i];
  const rM = rMatrix(d.qr);
  const nRows = new Float64Array(ncl * n);
  const b = d.chiBasis;
  for (let i = 0; i < ncl; i++) {
    const row = clamps.index[i];
    for (let r = 0; r < b.width; r++) nRows[i * n + b.first[row] + r] = b.values[row * b.width + r];
  }
  const u = new Float64Array(n);
  const clampChi = new Float64Array(ncl);
  const rows = new Float64Array(ncl * n);
  const rhs = new Float64Array(ncl);

  /** u = (Q_Mᵀ out)_n = qa_n − R_M·c and χ at the clamp points; returns |out|². */
  const lowR = (c: Float64Array): number => {
    let ss = rest2;
    for (let i = 0; i < n; i++) {
      let s = qa[i];
      for (let j = i; j < n; j++) s -= rM[i * n + j] * c[j];
      u[i] = s;
      ss += s * s;
    }
    for (let i = 0; i < ncl; i++) {
      let v = clamps.y0[i];
      for (let j = 0; j < n; j++) v -= nRows[i * n + j] * c[j];
      clampChi[i] = v;
    }
    return ss;
  };

  const problem: LmProblem = {
    n,
    m: n + ncl,
    evaluate(c: Float64Array, f: Float64Array): number {
      const ss = lowR(c);
      f.set(u);
      const scale = 1 + (100 * ss) / nout;
      let cs = 0;
      for (let i = 0; i < ncl; i++) {
        const v = scale * clamps.weight[i] * clampChi[i];
        f[n + i] = v;
        cs += v * v;
      }
      return Math.sqrt(ss + cs);
    },
    factorJacobian(c, f, eps, r, qtf, acnorm): void {
      lowR(c);
      // forward differences: low-R rows exactly (they are linear), clamp rows as MINPACK's fdjac2
      for (let j = 0; j < n; j++) {
        const cj = c[j];
        let h = eps * Math.abs(cj);
        if (h === 0) h = eps;
        const delta = cj + h - cj;
        const q = delta / h;
        let norm2 = 0;
        for (let i = 0; i <= j; i++) {
          const v = -rM[i * n + j] * q;
          r[j * n + i] = v;
          norm2 += v * v;
        }
        if (ncl > 0) {
          let ss1 = rest2;
          for (let i = 0; i < n; i++) {
            const v = u[i] - delta * rM[i * n + j];
            ss1 += v * v;
          }
          const scale1 = 1 + (100 * ss1) / nout;
          for (let i = 0; i < ncl; i++) {
            const f1 = scale1 * clamps.weight[i] * (clampChi[i] - delta * nRows[i * n + j]);
            const v = (f1 - f[n + i]) / h;
            rows[i * n + j] = v;
            norm2 += v * v;
          }
        }
        acnorm[j] = Math.sqrt(norm2);
      }
      for (let i = 0; i < n; i++) qtf[i] = f[i];
      for (let i = 0; i < ncl; i++) rhs[i] = f[n + i];
      // rotate the clamp rows into the triangular low-R block (Givens)
      for (let k = 0; k < ncl; k++) {
        const ro = k * n;
        for (let j = 0; j < n; j++) {
          const cv = rows[ro + j];
          if (cv === 0) continue;
          const rjj = r[j * n + j];
          const rad = Math.hypot(rjj, cv);
          const cs = rjj / rad;
          const sn = cv / rad;
          r[j * n + j] = rad;
          rows[ro + j] = 0;
          for (let l = j + 1; l < n; l++) {
            const rv = r[l * n + j];
            const bv = rows[ro + l];
            r[l * n + j] = cs * rv + sn * bv;
            rows[ro + l] = -sn * rv + cs * bv;
          }
          const qv = qtf[j];
          qtf[j] = cs * qv + sn * rhs[k];
          rhs[k] = -sn * qv + cs * rhs[k];
        }
      }
    },
  };
  const res = lmdif(problem, c0, {
    ftol: 1e-6,
    xtol: 1e-6,
    gtol: 1e-6,
    epsfcn: 1e-6,
    maxfev: 2000 * (n + 1),
  });
  if (res.info === 0 || !Number.isFinite(res.fnorm)) {
    throw new XasNumericalError(`autobk: the Levenberg–Marquardt fit failed (MINPACK info ${res.info})`);
  }
  // final residual in Larch's layout: the low-R values themselves, then the clamp rows
  const f = new Float64Array(n + ncl);
  const fnorm = problem.evaluate(res.x, f);
  const residual = new Float64Array(nout + ncl);
  const mm = d.m;
  for (let i = 0; i < nout; i++) {
    let s = a[i];
    for (let j = 0; j < n; j++) s -= mm[i * n + j] * res.x[j];
    residual[i] = s;
  }
  residual.set(f.subarray(n), nout);
  return {
    coefs: res.x,
    residual,
    chisqr: fnorm * fnorm,
    iterations: res.nfev,
    covariance: pivotedCovariance(res.r, res.ipvt, n),
  };
}

/** (JᵀJ)⁻¹ from the pivoted QR J·P = Q·R (as scipy's leastsq builds cov_x). */
function pivotedCovariance(r: Float64Array, ipvt: Int32Array, n: number): Float64Array {
  const rinv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    if (r[j * n + j] === 0)
      throw new XasNumericalError('autobk: singular Jacobian, no covariance for delta_chi');
    rinv[j * n + j] = 1 / r[j * n + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[i * n + k] * rinv[k * n + j];
      rinv[i * n + j] = -s / r[i * n + i];
    }
  }
  const cov = new Float64Array(n * n);
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
