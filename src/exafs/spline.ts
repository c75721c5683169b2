/**
 * Interpolating cubic spline with not-a-knot end conditions. With s = 0, FITPACK (scipy's
 * UnivariateSpline, which Larch uses for feffNNNN.dat columns) places knots at every data point
 * except the second and the second-to-last, which is exactly the not-a-knot interpolant; outside
 * the data the end polynomial pieces are continued, as UnivariateSpline does by default.
 */
import { XasInputError } from '../core/errors.js';

export interface CubicSpline {
  /** Abscissae (strictly increasing). */
  x: Float64Array;
  /** Ordinates at x. */
  y: Float64Array;
  /** Second derivatives at x. */
  m: Float64Array;
}

/** Builds the not-a-knot spline through (x, y); needs at least 4 strictly increasing points. */
export function notAKnotSpline(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  what = 'spline data',
): CubicSpline {
  const n = x.length;
  if (y.length !== n) throw new XasInputError(`${what}: ${n} abscissae but ${y.length} ordinates`);
  if (n < 4)
    throw new XasInputError(`${what}: ${n} points`, { expected: 'at least 4 points for a cubic spline' });
  const xs = Float64Array.from(x);
  const ys = Float64Array.from(y);
  const h = new Float64Array(n - 1);
  const d = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    h[i] = xs[i + 1] - xs[i];
    if (!(h[i] > 0)) {
      throw new XasInputError(`${what}: abscissa ${i + 1} (${xs[i + 1]}) does not increase from ${xs[i]}`, {
        expected: 'strictly increasing abscissae',
      });
    }
    d[i] = (ys[i + 1] - ys[i]) / h[i];
  }
  // Unknowns M1..M_{n-2}; M0 and M_{n-1} follow from continuity of the third derivative at x1 and x_{n-2}.
  const nu = n - 2;
  const sub = new Float64Array(nu);
  const diag = new Float64Array(nu);
  const sup = new Float64Array(nu);
  const rhs = new Float64Array(nu);
  for (let r = 0; r < nu; r++) {
    const i = r + 1;
    sub[r] = h[i - 1];
    diag[r] = 2 * (h[i - 1] + h[i]);
    sup[r] = h[i];
    rhs[r] = 6 * (d[i] - d[i - 1]);
  }
  // M0 = ((h0+h1) M1 − h0 M2)/h1
  const h0 = h[0];
  const h1 = h[1];
  diag[0] += (h0 * (h0 + h1)) / h1;
  sup[0] -= (h0 * h0) / h1;
  // M_{n-1} = ((hA+hB) M_{n-2} − hA M_{n-3})/hB with hA = h[n-2], hB = h[n-3]
  const hA = h[n - 2];
  const hB = h[n - 3];
  diag[nu - 1] += (hA * (hA + hB)) / hB;
  sub[nu - 1] -= (hA * hA) / hB;
  const mInner = solveTridiagonal(sub, diag, sup, rhs, nu);
  const m = new Float64Array(n);
  for (let r = 0; r < nu; r++) m[r + 1] = mInner[r];
  m[0] = ((h0 + h1) * m[1] - h0 * m[2]) / h1;
  m[n - 1] = ((hA + hB) * m[n - 2] - hA * m[n - 3]) / hB;
  return { x: xs, y: ys, m };
}

function solveTridiagonal(
  sub: Float64Array,
  diag: Float64Array,
  sup: Float64Array,
  rhs: Float64Array,
  n: number,
): Float64Array {
  // For n = 2 the system is a full 2×2 (sub[0] and sup[1] unused in the Thomas sweep otherwise).
  const c = new Float64Array(n);
  const r = new Float64Array(n);
  let beta = diag[0];
  r[0] = rhs[0] / beta;
  for (let i = 1; i < n; i++) {
    c[i - 1] = sup[i - 1] / beta;
    beta = diag[i] - sub[i] * c[i - 1];
    r[i] = (rhs[i] - sub[i] * r[i - 1]) / beta;
  }
  for (let i = n - 2; i >= 0; i--) r[i] -= c[i] * r[i + 1];
  return r;
}

/** Index i of the interval [x_i, x_{i+1}] used for t (end intervals continue outward). */
export function splineInterval(x: Float64Array, t: number): number {
  const n = x.length;
  if (t <= x[1]) return 0;
  if (t >= x[n - 2]) return n - 2;
  let lo = 1;
  let hi = n - 2;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Value of the spline at t (the end pieces are continued outside the data range). */
export function evalSpline(s: CubicSpline, t: number): number {
  return evalPiece(s, splineInterval(s.x, t), t);
}

/** Values at many points, written to `out` (allocated when absent). */
export function evalSplineMany(s: CubicSpline, t: ArrayLike<number>, out?: Float64Array): Float64Array {
  const res = out ?? new Float64Array(t.length);
  for (let j = 0; j < t.length; j++) res[j] = evalPiece(s, splineInterval(s.x, t[j]), t[j]);
  return res;
}

function evalPiece(s: CubicSpline, i: number, t: number): number {
  const { x, y, m } = s;
  const h = x[i + 1] - x[i];
  const a = (x[i + 1] - t) / h;
  const b = (t - x[i]) / h;
  return a * y[i] + b * y[i + 1] + (((a * a * a - a) * m[i] + (b * b * b - b) * m[i + 1]) * h * h) / 6;
}

/**
 * Not-a-knot splines through many data sets sharing the same abscissae: the tridiagonal system is
 * factorised once, and evaluation points are located once (see `locate`).
 */
export class SplineBasis {
  readonly x: Float64Array;
  private readonly h: Float64Array;
  private readonly c: Float64Array;
  private readonly beta: Float64Array;
  private readonly sub: Float64Array;

  constructor(x: ArrayLike<number>) {
    const n = x.length;
    if (n < 4) throw new XasInputError(`spline basis with ${n} nodes`, { expected: 'at least 4 nodes' });
    this.x = Float64Array.from(x);
    this.h = new Float64Array(n - 1);
    for (let i = 0; i < n - 1; i++) {
      this.h[i] = this.x[i + 1] - this.x[i];
      if (!(this.h[i] > 0)) throw new XasInputError('spline nodes must increase strictly');
    }
    const h = this.h;
    const nu = n - 2;
    const diag = new Float64Array(nu);
    const sup = new Float64Array(nu);
    this.sub = new Float64Array(nu);
    for (let r = 0; r < nu; r++) {
      this.sub[r] = h[r];
      diag[r] = 2 * (h[r] + h[r + 1]);
      sup[r] = h[r + 1];
    }
    diag[0] += (h[0] * (h[0] + h[1])) / h[1];
    sup[0] -= (h[0] * h[0]) / h[1];
    const hA = h[n - 2];
    const hB = h[n - 3];
    diag[nu - 1] += (hA * (hA + hB)) / hB;
    this.sub[nu - 1] -= (hA * hA) / hB;
    this.c = new Float64Array(nu);
    this.beta = new Float64Array(nu);
    this.beta[0] = diag[0];
    for (let i = 1; i < nu; i++) {
      this.c[i - 1] = sup[i - 1] / this.beta[i - 1];
      this.beta[i] = diag[i] - this.sub[i] * this.c[i - 1];
    }
  }

  /** Second derivatives of the spline through y (read with `stride` from `offset`) into m. */
  secondDerivatives(y: Float64Array, offset: number, stride: number, m: Float64Array): void {
    const n = this.x.length;
    const nu = n - 2;
    const h = this.h;
    const at = (i: number) => y[offset + i * stride];
    let prevD = (at(1) - at(0)) / h[0];
    // forward sweep, storing the partial solution in m[1..nu]
    for (let r = 0; r < nu; r++) {
      const d = (at(r + 2) - at(r + 1)) / h[r + 1];
      const rhs = 6 * (d - prevD);
      prevD = d;
      m[r + 1] = r === 0 ? rhs / this.beta[0] : (rhs - this.sub[r] * m[r]) / this.beta[r];
    }
    for (let r = nu - 2; r >= 0; r--) m[r + 1] -= this.c[r] * m[r + 2];
    const h0 = h[0];
    const h1 = h[1];
    m[0] = ((h0 + h1) * m[1] - h0 * m[2]) / h1;
    const hA = h[n - 2];
    const hB = h[n - 3];
    m[n - 1] = ((hA + hB) * m[n - 2] - hA * m[n - 3]) / hB;
  }

  /**
   * For each point t: interval index and the four coefficients (a, b, c, d) with
   * s(t) = a·y_i + b·y_{i+1} + c·m_i + d·m_{i+1}.
   */
  locate(t: ArrayLike<number>): { index: Int32Array; coef: Float64Array } {
    const index = new Int32Array(t.length);
    const coef = new Float64Array(4 * t.length);
    for (let j = 0; j < t.length; j++) {
      const i = splineInterval(this.x, t[j]);
      const h = this.h[i];
      const a = (this.x[i + 1] - t[j]) / h;
      const b = (t[j] - this.x[i]) / h;
      index[j] = i;
      coef[4 * j] = a;
      coef[4 * j + 1] = b;
      coef[4 * j + 2] = ((a * a * a - a) * h * h) / 6;
      coef[4 * j + 3] = ((b * b * b - b) * h * h) / 6;
    }
    return { index, coef };
  }
}
