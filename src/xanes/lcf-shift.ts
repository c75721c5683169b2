/**
 * Energy shifts in linear combination fitting, solved by variable projection (Golub & Pereyra,
 * SIAM J. Numer. Anal. 10 (1973) 413): for given shifts the weights are the exact (bounded,
 * sum-to-one) linear solution, so only the shifts are searched. One shift of the data is Larch's
 * vary_e0 (the data are re-interpolated at E + δ, searched locally from Larch's start 0.01 eV by
 * Brent's method); one shift per reference (reference j evaluated at E − δⱼ, as ParSeq's and
 * Athena's LCF allow) is searched by Levenberg–Marquardt with box bounds.
 */
import { brentMinimize } from '../core/brent.js';
import { type LsqBounds, solveConstrainedLsq } from './constrained-lsq.js';
import type { Curve, FitMatrix } from './fit-matrix.js';
import { derivLarchCubic, evalLarchCubic, larchCubic } from './interp.js';

export interface DataShiftFit {
  weights: Float64Array;
  active: Int8Array;
  shift: number;
  shiftAtBound: number;
  shiftedData: Float64Array;
  /** ∂residual/∂shift at the solution. */
  dShift: Float64Array;
}

/** Local bracket [a, b] around x of a minimum of f, walking downhill from x0 with doubling steps in [lo, hi]. */
function bracket(
  f: (x: number) => number,
  x0: number,
  lo: number,
  hi: number,
  h: number,
): [number, number, number] {
  const f0 = f(x0);
  const xr = Math.min(hi, x0 + h);
  const xl = Math.max(lo, x0 - h);
  const fr = f(xr);
  const fl = f(xl);
  if (fl >= f0 && fr >= f0) return [xl, xr, x0];
  const dir = fr < fl ? 1 : -1;
  let prev = x0;
  let x = dir > 0 ? xr : xl;
  let fx = dir > 0 ? fr : fl;
  let step = h;
  for (let k = 0; k < 60; k++) {
    if (x === lo || x === hi) return dir > 0 ? [prev, x, x] : [x, prev, x];
    step *= 2;
    const next = Math.min(hi, Math.max(lo, x + dir * step));
    const fn = f(next);
    if (fn >= fx) return dir > 0 ? [prev, next, x] : [next, prev, x];
    prev = x;
    x = next;
    fx = fn;
  }
  return [lo, hi, x];
}

export function fitDataShift(m: FitMatrix, b: LsqBounds, maxShift: number): DataShiftFit {
  const spline = larchCubic(m.x, m.y, 'spectrum');
  const shifted = (d: number) => {
    const y = new Float64Array(m.npts);
    for (let i = 0; i < m.npts; i++) y[i] = evalLarchCubic(spline, m.x[i] + d);
    return y;
  };
  const profile = (d: number) =>
    solveConstrainedLsq(m.a, shifted(d), m.npts, m.ncomps, b, undefined, m.labels).chisqr;
  const x0 = Math.min(maxShift, 0.01);
  const [lo, hi, xs] = bracket(profile, x0, -maxShift, maxShift, 0.1);
  const shift = brentMinimize(profile, lo, hi, { x0: xs, relTol: 1e-10, absTol: 1e-12 }).x;
  const y = shifted(shift);
  const sol = solveConstrainedLsq(m.a, y, m.npts, m.ncomps, b, undefined, m.labels);
  const dShift = new Float64Array(m.npts);
  for (let i = 0; i < m.npts; i++) dShift[i] = -derivLarchCubic(spline, m.x[i] + shift);
  const atBound = Math.abs(shift) >= maxShift * (1 - 1e-9) ? Math.sign(shift) : 0;
  return { weights: sol.w, active: sol.active, shift, shiftAtBound: atBound, shiftedData: y, dShift };
}

export interface ReferenceShiftFit {
  weights: Float64Array;
  active: Int8Array;
  shifts: Float64Array;
  /** ±1 at a bound, 2 where the shift is undetermined (weight zero), else 0. */
  shiftsAtBound: Int8Array;
  /** References on the fit grid at the fitted shifts (row-major npts × n). */
  a: Float64Array;
  dShifts: Float64Array[];
}

/** Solves (JᵀJ + λ·diag(JᵀJ)) s = Jᵀr for small p by Gaussian elimination with pivoting. */
function solveDamped(jtj: Float64Array, g: Float64Array, p: number, lambda: number): Float64Array {
  const m = new Float64Array(p * (p + 1));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++)
      m[i * (p + 1) + j] = jtj[i * p + j] + (i === j ? lambda * (jtj[i * p + i] + 1e-12) : 0);
    m[i * (p + 1) + p] = g[i];
  }
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++)
      if (Math.abs(m[r * (p + 1) + c]) > Math.abs(m[piv * (p + 1) + c])) piv = r;
    for (let k = 0; k <= p; k++)
      [m[c * (p + 1) + k], m[piv * (p + 1) + k]] = [m[piv * (p + 1) + k], m[c * (p + 1) + k]];
    const d = m[c * (p + 1) + c];
    if (d === 0) continue;
    for (let r = c + 1; r < p; r++) {
      const f = m[r * (p + 1) + c] / d;
      for (let k = c; k <= p; k++) m[r * (p + 1) + k] -= f * m[c * (p + 1) + k];
    }
  }
  const s = new Float64Array(p);
  for (let r = p - 1; r >= 0; r--) {
    let v = m[r * (p + 1) + p];
    for (let k = r + 1; k < p; k++) v -= m[r * (p + 1) + k] * s[k];
    const d = m[r * (p + 1) + r];
    s[r] = d !== 0 ? v / d : 0;
  }
  return s;
}

export function fitReferenceShifts(
  m: FitMatrix,
  refs: Curve[],
  b: LsqBounds,
  maxShift: number,
): ReferenceShiftFit {
  const n = m.ncomps;
  const splines = refs.map((r) => larchCubic(r.energyEv, r.y, `reference '${r.label}'`));
  const matrixAt = (shifts: Float64Array) => {
    const a = new Float64Array(m.npts * n);
    for (let i = 0; i < m.npts; i++)
      for (let j = 0; j < n; j++) a[i * n + j] = evalLarchCubic(splines[j], m.x[i] - shifts[j]);
    return a;
  };
  const residual = (shifts: Float64Array) => {
    const a = matrixAt(shifts);
    const sol = solveConstrainedLsq(a, m.y, m.npts, n, b, undefined, m.labels);
    const r = new Float64Array(m.npts);
    for (let i = 0; i < m.npts; i++) {
      let s = -m.y[i];
      for (let j = 0; j < n; j++) s += a[i * n + j] * sol.w[j];
      r[i] = s;
    }
    return { r, chi: sol.chisqr };
  };
  const shifts = new Float64Array(n);
  let cur = residual(shifts);
  let lambda = 1e-3;
  const h = 1e-4;
  for (let it = 0; it < 100; it++) {
    const jac = new Float64Array(m.npts * n);
    for (let j = 0; j < n; j++) {
      const s2 = new Float64Array(shifts);
      s2[j] += s2[j] + h > maxShift ? -h : h;
      const step = s2[j] - shifts[j];
      const r2 = residual(s2).r;
      for (let i = 0; i < m.npts; i++) jac[i * n + j] = (r2[i] - cur.r[i]) / step;
    }
    const jtj = new Float64Array(n * n);
    const g = new Float64Array(n);
    for (let i = 0; i < m.npts; i++) {
      for (let a = 0; a < n; a++) {
        g[a] -= jac[i * n + a] * cur.r[i];
        for (let c = 0; c < n; c++) jtj[a * n + c] += jac[i * n + a] * jac[i * n + c];
      }
    }
    let improved = false;
    for (let tries = 0; tries < 30; tries++) {
      const step = solveDamped(jtj, g, n, lambda);
      const trial = new Float64Array(n);
      for (let j = 0; j < n; j++) trial[j] = Math.min(maxShift, Math.max(-maxShift, shifts[j] + step[j]));
      const next = residual(trial);
      if (next.chi < cur.chi) {
        let moved = 0;
        for (let j = 0; j < n; j++) moved = Math.max(moved, Math.abs(trial[j] - shifts[j]));
        const rel = (cur.chi - next.chi) / (cur.chi + 1e-300);
        shifts.set(trial);
        cur = next;
        lambda = Math.max(1e-9, lambda / 3);
        improved = rel > 1e-13 && moved > 1e-9;
        break;
      }
      lambda *= 4;
    }
    if (!improved) break;
  }
  const a = matrixAt(shifts);
  const sol = solveConstrainedLsq(a, m.y, m.npts, n, b, undefined, m.labels);
  const shiftsAtBound = new Int8Array(n);
  const dShifts = refs.map((_, j) => {
    const col = new Float64Array(m.npts);
    for (let i = 0; i < m.npts; i++) col[i] = -sol.w[j] * derivLarchCubic(splines[j], m.x[i] - shifts[j]);
    if (Math.abs(shifts[j]) >= maxShift * (1 - 1e-9)) shiftsAtBound[j] = Math.sign(shifts[j]);
    if (sol.active[j] !== 0 && sol.w[j] === 0) shiftsAtBound[j] = 2;
    return col;
  });
  return { weights: sol.w, active: sol.active, shifts, shiftsAtBound, a, dShifts };
}
