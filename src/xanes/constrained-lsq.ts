/**
 * Linear least squares min |A w − y|² with box bounds l ≤ w ≤ u and an optional equality Σw = t,
 * solved exactly by a primal active-set method (Lawson & Hanson, "Solving Least Squares Problems",
 * 1974, ch. 23; Stark & Parker, Comput. Stat. 10 (1995) 129, BVLS): fixed variables sit at a bound,
 * the free ones solve the equality-constrained subproblem by Householder QR (the equality is
 * eliminated through the last free variable), steps stay feasible, and a fixed variable is released
 * when its Lagrange multiplier has the wrong sign. This is the true constrained optimum that Larch's
 * bounded lmfit search does not reach from a start on a bound.
 */
import { XasInputError, XasNumericalError } from '../core/errors.js';
import { applyQt, isRankDeficient, qrDecompose, solveR } from '../process/linalg.js';

export interface LsqBounds {
  lower: Float64Array;
  upper: Float64Array;
  /** Required sum of the weights (null: no equality). */
  sumTo: number | null;
}

export interface LsqSolution {
  w: Float64Array;
  /** −1 at the lower bound, +1 at the upper bound, 0 free. */
  active: Int8Array;
  chisqr: number;
  iterations: number;
}

/** Σ (A w − y)². */
export function chiSquare(
  a: Float64Array,
  y: Float64Array,
  npts: number,
  n: number,
  w: ArrayLike<number>,
): number {
  let s = 0;
  for (let i = 0; i < npts; i++) {
    let f = -y[i];
    for (let j = 0; j < n; j++) f += a[i * n + j] * w[j];
    s += f * f;
  }
  return s;
}

/** Solves the subproblem on the free columns S with the others fixed at w; returns the free values. */
function solveFree(
  a: Float64Array,
  y: Float64Array,
  npts: number,
  n: number,
  w: Float64Array,
  free: number[],
  sumTo: number | null,
  labels: string[] | undefined,
): Float64Array {
  const r = new Float64Array(y);
  const isFree = new Uint8Array(n);
  for (const j of free) isFree[j] = 1;
  let fixedSum = 0;
  for (let j = 0; j < n; j++) {
    if (isFree[j]) continue;
    fixedSum += w[j];
    if (w[j] !== 0) for (let i = 0; i < npts; i++) r[i] -= a[i * n + j] * w[j];
  }
  const out = new Float64Array(free.length);
  if (free.length === 0) return out;
  const useEq = sumTo !== null;
  const last = free[free.length - 1];
  const t = useEq ? sumTo - fixedSum : 0;
  const cols = useEq ? free.slice(0, -1) : free;
  if (useEq) for (let i = 0; i < npts; i++) r[i] -= a[i * n + last] * t;
  if (cols.length > 0) {
    const k = cols.length;
    const m = new Float64Array(npts * k);
    for (let i = 0; i < npts; i++) {
      for (let c = 0; c < k; c++) {
        const v = a[i * n + cols[c]];
        m[i * k + c] = useEq ? v - a[i * n + last] : v;
      }
    }
    const f = qrDecompose(m, npts, k);
    if (isRankDeficient(f, 1e-12)) {
      const names = free.map((j) => (labels ? `'${labels[j]}'` : `#${j}`)).join(', ');
      throw new XasNumericalError(
        `the references ${names} are linearly dependent on the fit range (singular reference set)`,
      );
    }
    applyQt(f, r);
    const z = solveR(f, r);
    let s = 0;
    for (let c = 0; c < k; c++) {
      out[c] = z[c];
      s += z[c];
    }
    if (useEq) out[k] = t - s;
  } else if (useEq) out[0] = t;
  return out;
}

/** A feasible start: the point nearest to `v` (clipped, then shifted uniformly) satisfying the constraints. */
export function feasibleStart(v: ArrayLike<number>, b: LsqBounds): Float64Array {
  const n = v.length;
  const clip = (x: number, j: number) => Math.min(b.upper[j], Math.max(b.lower[j], x));
  const w = new Float64Array(n);
  if (b.sumTo === null) {
    for (let j = 0; j < n; j++) w[j] = clip(v[j], j);
    return w;
  }
  const total = (tau: number) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += clip(v[j] - tau, j);
    return s;
  };
  let lo = -1;
  let hi = 1;
  while (total(lo) < b.sumTo && lo > -1e12) lo *= 2;
  while (total(hi) > b.sumTo && hi < 1e12) hi *= 2;
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (total(mid) > b.sumTo) lo = mid;
    else hi = mid;
  }
  for (let j = 0; j < n; j++) w[j] = clip(v[j] - 0.5 * (lo + hi), j);
  // remove the bisection residue on a free variable so the equality holds to rounding
  let s = 0;
  for (let j = 0; j < n; j++) s += w[j];
  const d = b.sumTo - s;
  for (let j = 0; j < n && Math.abs(d) > 0; j++) {
    if (w[j] + d >= b.lower[j] && w[j] + d <= b.upper[j]) {
      w[j] += d;
      break;
    }
  }
  return w;
}

export function solveConstrainedLsq(
  a: Float64Array,
  y: Float64Array,
  npts: number,
  n: number,
  b: LsqBounds,
  start?: ArrayLike<number>,
  labels?: string[],
): LsqSolution {
  let lsum = 0;
  let usum = 0;
  for (let j = 0; j < n; j++) {
    if (!(b.lower[j] <= b.upper[j])) {
      throw new XasInputError(`bounds of '${labels?.[j] ?? j}' are empty: [${b.lower[j]}, ${b.upper[j]}]`, {
        field: 'bounds',
        expected: 'min <= max',
      });
    }
    lsum += b.lower[j];
    usum += b.upper[j];
  }
  if (b.sumTo !== null && !(lsum <= b.sumTo + 1e-12 && usum >= b.sumTo - 1e-12)) {
    throw new XasInputError(`weights bounded to [${lsum}, ${usum}] in total cannot sum to ${b.sumTo}`, {
      field: 'bounds',
      expected: 'bounds that admit the sum-to-one constraint',
    });
  }
  const w = feasibleStart(start ?? new Float64Array(n).fill(b.sumTo !== null ? b.sumTo / n : 0), b);
  const active = new Int8Array(n);
  const tol = 1e-13;
  for (let j = 0; j < n; j++) {
    if (w[j] <= b.lower[j]) active[j] = -1;
    else if (w[j] >= b.upper[j]) active[j] = 1;
  }
  const maxIter = 10 * n + 50;
  for (let iter = 1; iter <= maxIter; iter++) {
    const free: number[] = [];
    for (let j = 0; j < n; j++) if (active[j] === 0) free.push(j);
    const z = solveFree(a, y, npts, n, w, free, b.sumTo, labels);
    // step toward z, stopping at the first bound crossed
    let alpha = 1;
    let hit = -1;
    free.forEach((j, c) => {
      const d = z[c] - w[j];
      if (z[c] < b.lower[j] - tol * (1 + Math.abs(b.lower[j])) && d < 0) {
        const s = (b.lower[j] - w[j]) / d;
        if (s < alpha) {
          alpha = s;
          hit = j;
        }
      } else if (z[c] > b.upper[j] + tol * (1 + Math.abs(b.upper[j])) && d > 0) {
        const s = (b.upper[j] - w[j]) / d;
        if (s < alpha) {
          alpha = s;
          hit = j;
        }
      }
    });
    alpha = Math.max(0, alpha);
    free.forEach((j, c) => {
      w[j] += alpha * (z[c] - w[j]);
    });
    if (hit >= 0) {
      for (const j of free) {
        if (j === hit || w[j] <= b.lower[j] + tol || w[j] >= b.upper[j] - tol) {
          active[j] = w[j] - b.lower[j] < b.upper[j] - w[j] ? -1 : 1;
          w[j] = active[j] < 0 ? b.lower[j] : b.upper[j];
        }
      }
      continue;
    }
    // subproblem optimum is feasible: check the multipliers of the fixed variables
    const g = new Float64Array(n);
    for (let i = 0; i < npts; i++) {
      let f = -y[i];
      for (let j = 0; j < n; j++) f += a[i * n + j] * w[j];
      for (let j = 0; j < n; j++) g[j] += a[i * n + j] * f;
    }
    let gscale = 0;
    for (let j = 0; j < n; j++) gscale = Math.max(gscale, Math.abs(g[j]));
    const gtol = 1e-10 * (gscale + 1e-300);
    const release: number[] = [];
    if (b.sumTo !== null && free.length === 0) {
      let nuLo = -Infinity;
      let nuHi = Infinity;
      let jLo = -1;
      let jHi = -1;
      for (let j = 0; j < n; j++) {
        if (active[j] < 0 && -g[j] > nuLo) {
          nuLo = -g[j];
          jLo = j;
        }
        if (active[j] > 0 && -g[j] < nuHi) {
          nuHi = -g[j];
          jHi = j;
        }
      }
      if (nuLo > nuHi + gtol) release.push(jLo, jHi);
    } else {
      const nu = b.sumTo !== null ? -g[free[free.length - 1]] : 0;
      let worst = gtol;
      let jw = -1;
      for (let j = 0; j < n; j++) {
        if (active[j] === 0) continue;
        const lambda = g[j] + nu;
        const viol = active[j] < 0 ? -lambda : lambda;
        if (viol > worst) {
          worst = viol;
          jw = j;
        }
      }
      if (jw >= 0) release.push(jw);
    }
    if (release.length === 0) {
      return { w, active, chisqr: chiSquare(a, y, npts, n, w), iterations: iter };
    }
    for (const j of release) active[j] = 0;
  }
  throw new XasNumericalError(`bounded least squares did not converge in ${maxIter} active-set iterations`);
}
