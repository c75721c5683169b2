/**
 * Minimiser of Larch's AUTOBK objective, solved directly instead of by Larch's finite-difference
 * Levenberg–Marquardt. The residual vector (larch/xafs/autobk.py, __resid) is
 *   R(c) = [ out(c) ;  s(c)·|clamp_lo|·χ_first(c) ;  s(c)·|clamp_hi|·χ_last(c) ],
 *   out(c) = a − M·c,  χ(c) = y − N·c at the clamped k points,  s(c) = 1 + 100·mean(out²).
 * Everything is linear in c except the clamp scale s(c), so Gauss–Newton with the exact Jacobian
 * (including ∂s/∂c) converges in a few steps from the s = 1 linear solution; each step is a small QR
 * because M = Q·R is factored once.
 */
import { XasNumericalError } from '../core/errors.js';
import type { AutobkDesign } from './autobk-design.js';
import {
  applyQt,
  inverseNormalMatrix,
  isRankDeficient,
  type QR,
  qrDecompose,
  rMatrix,
  solveR,
} from './linalg.js';

export interface ClampRows {
  /** Uniform-grid indices of the clamped χ points, low end first. */
  index: Int32Array;
  /** |clamp_lo| or |clamp_hi| for each row. */
  weight: Float64Array;
  /** χ at those points for c = 0 (the spline of μ, minus chi_std if given). */
  y0: Float64Array;
}

export interface AutobkSolution {
  coefs: Float64Array;
  /** Length of Larch's residual vector (low-R values and clamp rows). */
  ndata: number;
  /** Larch's residual vector at the solution (out values then clamp rows), where computed. */
  residual?: Float64Array;
  chisqr: number;
  iterations: number;
  /** Unscaled covariance (JᵀJ)⁻¹ of the coefficients (n×n row-major). */
  covariance: Float64Array;
}

interface State {
  c: Float64Array;
  out: Float64Array;
  scale: number;
  clampChi: Float64Array;
  objective: number;
}

function clampRow(d: AutobkDesign, row: number, into: Float64Array): void {
  into.fill(0);
  const b = d.chiBasis;
  const f = b.first[row];
  for (let r = 0; r < b.width; r++) into[f + r] = b.values[row * b.width + r];
}

export function solveAutobkExact(d: AutobkDesign, a: Float64Array, clamps: ClampRows): AutobkSolution {
  const n = d.ncoef;
  const nout = d.nrows;
  const ncl = clamps.index.length;
  if (isRankDeficient(d.qr)) {
    throw new XasNumericalError(
      'autobk: the background spline is not determined by the low-R part of chi(R) (singular design); lower nknots or raise rbkg',
    );
  }
  const qa = new Float64Array(a);
  applyQt(d.qr, qa);
  // rows of N (spline basis at clamped points), dense
  const nRows = new Float64Array(ncl * n);
  const tmp = new Float64Array(n);
  for (let i = 0; i < ncl; i++) {
    clampRow(d, clamps.index[i], tmp);
    nRows.set(tmp, i * n);
  }
  const rFactor = rMatrix(d.qr);

  const evaluate = (c: Float64Array): State => {
    const out = new Float64Array(a);
    const m = d.m;
    for (let i = 0; i < nout; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += m[i * n + j] * c[j];
      out[i] -= s;
    }
    let ss = 0;
    for (let i = 0; i < nout; i++) ss += out[i] * out[i];
    const scale = 1 + (100 * ss) / nout;
    const clampChi = new Float64Array(ncl);
    let cs = 0;
    for (let i = 0; i < ncl; i++) {
      let v = clamps.y0[i];
      for (let j = 0; j < n; j++) v -= nRows[i * n + j] * c[j];
      clampChi[i] = v;
      const w = scale * clamps.weight[i] * v;
      cs += w * w;
    }
    return { c, out, scale, clampChi, objective: ss + cs };
  };

  // Jacobian rows of the clamp residuals: ∂(s·w·χ)/∂c = −s·w·N + w·χ·∂s/∂c, ∂s/∂c = −(200/nout)·Mᵀ·out
  const clampJacobian = (st: State): Float64Array => {
    const ds = new Float64Array(n);
    const m = d.m;
    for (let i = 0; i < nout; i++) {
      const o = st.out[i];
      if (o === 0) continue;
      for (let j = 0; j < n; j++) ds[j] += m[i * n + j] * o;
    }
    for (let j = 0; j < n; j++) ds[j] *= -200 / nout;
    const jac = new Float64Array(ncl * n);
    for (let i = 0; i < ncl; i++) {
      const w = clamps.weight[i];
      for (let j = 0; j < n; j++)
        jac[i * n + j] = -st.scale * w * nRows[i * n + j] + w * st.clampChi[i] * ds[j];
    }
    return jac;
  };

  /** QR of [R_M; B] and solution of min |top − R_M·δ|² + |bottom − B·δ|². */
  const stackedSolve = (
    bRows: Float64Array,
    top: Float64Array,
    bottom: Float64Array,
  ): { delta: Float64Array; f: QR } => {
    const rows = n + ncl;
    const mat = new Float64Array(rows * n);
    mat.set(rFactor);
    mat.set(bRows, n * n);
    const rhs = new Float64Array(rows);
    rhs.set(top);
    rhs.set(bottom, n);
    const f = qrDecompose(mat, rows, n);
    if (isRankDeficient(f)) throw new XasNumericalError('autobk: singular least-squares step');
    applyQt(f, rhs);
    return { delta: solveR(f, rhs), f };
  };

  // start: clamp scale fixed at 1, the problem is linear
  const startRows = new Float64Array(ncl * n);
  const startRhs = new Float64Array(ncl);
  for (let i = 0; i < ncl; i++) {
    for (let j = 0; j < n; j++) startRows[i * n + j] = clamps.weight[i] * nRows[i * n + j];
    startRhs[i] = clamps.weight[i] * clamps.y0[i];
  }
  let st = evaluate(stackedSolve(startRows, qa.subarray(0, n), startRhs).delta);
  let iterations = 0;
  if (ncl > 0) {
    for (; iterations < 100; iterations++) {
      const jac = clampJacobian(st);
      // GN step: min |out − M·δ|² + |Rcl + Jcl·δ|²  →  top (Qᵀout)_n = qa_n − R·c, bottom Rcl, rows −Jcl
      const top = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = qa[i];
        for (let j = i; j < n; j++) s -= rFactor[i * n + j] * st.c[j];
        top[i] = s;
      }
      const bottom = new Float64Array(ncl);
      for (let i = 0; i < ncl; i++) bottom[i] = st.scale * clamps.weight[i] * st.clampChi[i];
      const negJac = jac.map((v) => -v);
      const { delta } = stackedSolve(negJac, top, bottom);
      let stepSize = 0;
      let cSize = 0;
      for (let j = 0; j < n; j++) {
        stepSize = Math.max(stepSize, Math.abs(delta[j]));
        cSize = Math.max(cSize, Math.abs(st.c[j]));
      }
      let accepted: State | undefined;
      let lambda = 1;
      for (let h = 0; h < 40; h++, lambda /= 2) {
        const c = new Float64Array(n);
        for (let j = 0; j < n; j++) c[j] = st.c[j] + lambda * delta[j];
        const trial = evaluate(c);
        if (trial.objective <= st.objective) {
          accepted = trial;
          break;
        }
      }
      if (!accepted) break;
      const gain = st.objective - accepted.objective;
      st = accepted;
      if (stepSize <= 1e-13 * cSize || gain <= 1e-15 * st.objective) break;
    }
  }
  // Jacobian at the solution: [−M; clamp rows]; JᵀJ = R_MᵀR_M + JclᵀJcl
  const jac = ncl > 0 ? clampJacobian(st) : new Float64Array(0);
  const rows = n + ncl;
  const mat = new Float64Array(rows * n);
  mat.set(rFactor);
  mat.set(jac, n * n);
  const covariance = inverseNormalMatrix(qrDecompose(mat, rows, n));
  const residual = new Float64Array(nout + ncl);
  residual.set(st.out);
  for (let i = 0; i < ncl; i++) residual[nout + i] = st.scale * clamps.weight[i] * st.clampChi[i];
  return { coefs: st.c, ndata: residual.length, residual, chisqr: st.objective, iterations, covariance };
}
