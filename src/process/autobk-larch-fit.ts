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
import { tmpF64 } from './arena.js';
import type { AutobkDesign } from './autobk-design.js';
import type { AutobkSolution, ClampRows } from './autobk-solve.js';
import { applyQt, rMatrix } from './linalg.js';
import { type LmProblem, lmCovariance, lmdif } from './minpack-lm.js';
import { type ProcessWasm, processWasm } from './wasm-kernels.js';

export function solveAutobkLarch(
  d: AutobkDesign,
  a: Float64Array,
  clamps: ClampRows,
  c0: Float64Array,
): AutobkSolution {
  const n = d.ncoef;
  const nout = d.nrows;
  const ncl = clamps.index.length;
  const wasm = n <= 128 ? processWasm() : null;
  if (wasm) return solveInWasm(wasm, d, a, clamps, c0);
  const qa = tmpF64(a.length);
  qa.set(a);
  applyQt(d.qr, qa);
  let rest2 = 0;
  for (let i = n; i < nout; i++) rest2 += qa[i] * qa[i];
  const rM = rMatrix(d.qr, true);
  const nRows = clampRows(d, clamps);
  const u = tmpF64(n, true);
  const clampChi = tmpF64(ncl, true);
  const rows = tmpF64(ncl * n, true);
  const rhs = tmpF64(ncl, true);

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
          const rad = hypot(rjj, cv);
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
  const res = lmdif(problem, c0, lmOptions(n));
  if (res.info === 0 || !Number.isFinite(res.fnorm)) {
    throw new XasNumericalError(`autobk: the Levenberg–Marquardt fit failed (MINPACK info ${res.info})`);
  }
  // the residual norm at the solution (Larch's chisqr = its square)
  const fnorm = problem.evaluate(res.x, tmpF64(n + ncl));
  return {
    coefs: res.x,
    ndata: nout + ncl,
    chisqr: fnorm * fnorm,
    iterations: res.nfev,
    covariance: lmCovariance(
      res.r,
      res.ipvt,
      n,
      'autobk: singular Jacobian, no covariance for delta_chi',
      (len) => tmpF64(len, true),
    ),
  };
}

/** Larch's settings for the AUTOBK fit (autobk.py: leastsq with these tolerances). */
function lmOptions(n: number) {
  return { ftol: 1e-6, xtol: 1e-6, gtol: 1e-6, epsfcn: 1e-6, maxfev: 2000 * (n + 1) };
}

/** Rows of the spline basis at the clamped k points (ncl × n, dense). */
function clampRows(d: AutobkDesign, clamps: ClampRows): Float64Array {
  const n = d.ncoef;
  const ncl = clamps.index.length;
  const nRows = tmpF64(ncl * n, true);
  const b = d.chiBasis;
  for (let i = 0; i < ncl; i++) {
    const row = clamps.index[i];
    for (let r = 0; r < b.width; r++) nRows[i * n + b.first[row] + r] = b.values[row * b.width + r];
  }
  return nRows;
}

/** The same search in the WebAssembly twin (bit-identical: autobk_lm.c). */
function solveInWasm(
  wasm: ProcessWasm,
  d: AutobkDesign,
  a: Float64Array,
  clamps: ClampRows,
  c0: Float64Array,
): AutobkSolution {
  const n = d.ncoef;
  const res = wasm.autobkLm(d.qr, a, clampRows(d, clamps), clamps.weight, clamps.y0, c0, lmOptions(n));
  if (res.info === 0 || !Number.isFinite(res.fnormLm)) {
    throw new XasNumericalError(`autobk: the Levenberg–Marquardt fit failed (MINPACK info ${res.info})`);
  }
  if (res.singular) throw new XasNumericalError('autobk: singular Jacobian, no covariance for delta_chi');
  return {
    coefs: res.x,
    ndata: d.nrows + clamps.index.length,
    chisqr: res.fnorm * res.fnorm,
    iterations: res.nfev,
    covariance: res.covariance,
  };
}

/**
 * Math.hypot(a, b) as V8 computes it (both values divided by the larger magnitude, squares summed,
 * square root, times that magnitude), written out: the same bits without the builtin's cost.
 */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x === Number.POSITIVE_INFINITY || y === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  const max = x > y ? x : y;
  if (max === 0) return 0;
  const p = x / max;
  const q = y / max;
  return Math.sqrt(p * p + q * q) * max;
}
