/**
 * Interpolating cubic spline with not-a-knot end conditions: the spline that FITPACK's curfit builds
 * with s = 0 (scipy UnivariateSpline(x, y, s=0), splrep(x, y, k=3)) and that scipy interp1d
 * kind='cubic' builds (make_interp_spline, not-a-knot). Outside the data the end polynomials are
 * continued, as FITPACK's splev does with ext=0.
 */
import { XasInputError } from '../core/errors.js';
import { processWasm } from './wasm-kernels.js';

/** Not-a-knot cubic interpolant in Hermite form: values y and slopes s at the knots x. */
export interface CubicSpline {
  x: Float64Array;
  y: Float64Array;
  s: Float64Array;
}

/**
 * Solves a tridiagonal system in place with partial pivoting (the scheme of LAPACK dgtsv).
 * dl: sub-diagonal (n−1), d: diagonal (n), du: super-diagonal (n−1); b is overwritten with x.
 */
export function solveTridiagonal(dl: Float64Array, d: Float64Array, du: Float64Array, b: Float64Array): void {
  const n = d.length;
  const du2 = new Float64Array(Math.max(0, n - 2));
  for (let i = 0; i < n - 1; i++) {
    if (Math.abs(d[i]) >= Math.abs(dl[i])) {
      const fact = dl[i] / d[i];
      d[i + 1] -= fact * du[i];
      b[i + 1] -= fact * b[i];
      if (i < n - 2) du2[i] = 0;
    } else {
      const fact = d[i] / dl[i];
      d[i] = dl[i];
      const temp = d[i + 1];
      d[i + 1] = du[i] - fact * temp;
      if (i < n - 2) {
        du2[i] = du[i + 1];
        du[i + 1] = -fact * du2[i];
      }
      du[i] = temp;
      const tb = b[i];
      b[i] = b[i + 1];
      b[i + 1] = tb - fact * b[i + 1];
    }
  }
  b[n - 1] /= d[n - 1];
  if (n > 1) b[n - 2] = (b[n - 2] - du[n - 2] * b[n - 1]) / d[n - 2];
  for (let i = n - 3; i >= 0; i--) b[i] = (b[i] - du[i] * b[i + 1] - du2[i] * b[i + 2]) / d[i];
}

/** Builds the not-a-knot interpolating spline through strictly increasing x. */
export function notAKnotSpline(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  what = 'cubic spline',
): CubicSpline {
  const n = x.length;
  if (n < 2 || y.length !== n) {
    throw new XasInputError(`${what}: needs at least 2 points and equal lengths (got ${n}, ${y.length})`);
  }
  const xs = new Float64Array(x);
  const dx = new Float64Array(n - 1);
  const slope = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    dx[i] = xs[i + 1] - xs[i];
    if (!(dx[i] > 0)) {
      throw new XasInputError(`${what}: x is not strictly increasing at index ${i + 1}`, {
        expected: 'strictly increasing abscissae',
      });
    }
    slope[i] = (y[i + 1] - y[i]) / dx[i];
  }
  const s = new Float64Array(n);
  if (n === 2) {
    s[0] = s[1] = slope[0];
  } else if (n === 3) {
    // not-a-knot on three points: the parabola through them
    const a = (slope[1] - slope[0]) / (xs[2] - xs[0]);
    s[0] = slope[0] - a * dx[0];
    s[1] = slope[0] + a * dx[0];
    s[2] = slope[1] + a * dx[1];
  } else {
    const d = new Float64Array(n);
    const du = new Float64Array(n - 1);
    const dl = new Float64Array(n - 1);
    const b = s;
    for (let i = 1; i < n - 1; i++) {
      dl[i - 1] = dx[i];
      d[i] = 2 * (dx[i - 1] + dx[i]);
      du[i] = dx[i - 1];
      b[i] = 3 * (dx[i] * slope[i - 1] + dx[i - 1] * slope[i]);
    }
    const w0 = xs[2] - xs[0];
    d[0] = dx[1];
    du[0] = w0;
    b[0] = ((dx[0] + 2 * w0) * dx[1] * slope[0] + dx[0] * dx[0] * slope[1]) / w0;
    const w1 = xs[n - 1] - xs[n - 3];
    d[n - 1] = dx[n - 3];
    dl[n - 2] = w1;
    b[n - 1] = (dx[n - 2] * dx[n - 2] * slope[n - 3] + (2 * w1 + dx[n - 2]) * dx[n - 3] * slope[n - 2]) / w1;
    solveTridiagonal(dl, d, du, b);
  }
  return { x: xs, y: new Float64Array(y), s };
}

/** Index of the piece used for xv: largest i with x[i] <= xv, clamped to the first/last piece. */
function pieceIndex(x: Float64Array, xv: number): number {
  const last = x.length - 2;
  if (xv <= x[0]) return 0;
  if (xv >= x[last]) return last;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= xv) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function evalSpline(sp: CubicSpline, xv: number): number {
  return hermite(sp, pieceIndex(sp.x, xv), xv);
}

/** The cubic of piece i (Hermite data at x[i], x[i+1]) at xv, continued outside the piece. */
function hermite(sp: CubicSpline, i: number, xv: number): number {
  const x0 = sp.x[i];
  const h = sp.x[i + 1] - x0;
  const y0 = sp.y[i];
  const s0 = sp.s[i];
  const s1 = sp.s[i + 1];
  const slope = (sp.y[i + 1] - y0) / h;
  const c2 = (3 * slope - 2 * s0 - s1) / h;
  const c3 = (s0 + s1 - 2 * slope) / (h * h);
  const t = xv - x0;
  return y0 + t * (s0 + t * (c2 + t * c3));
}

/** Evaluates at many points; increasing xs are handled by a moving piece pointer. */
export function evalSplineAt(sp: CubicSpline, xs: ArrayLike<number>): Float64Array {
  const out = new Float64Array(xs.length);
  const x = sp.x;
  const last = x.length - 2;
  let i = 0;
  for (let j = 0; j < xs.length; j++) {
    const xv = xs[j];
    if (!(i <= last && (i === 0 ? true : xv >= x[i]) && (i === last || xv < x[i + 1]))) {
      // increasing xs: a few steps forward usually reach the piece (the one the search would find)
      let k = i;
      for (let steps = 0; k < last && xv >= x[k + 1] && steps < 8; steps++) k++;
      i = (k === 0 || xv >= x[k]) && (k === last || xv < x[k + 1]) ? k : pieceIndex(x, xv);
    }
    out[j] = hermite(sp, i, xv);
  }
  return out;
}

/**
 * evalSplineAt(notAKnotSpline(x, y), xs), in the WebAssembly kernel when available (bit-identical).
 */
export function splineInterpolate(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xs: ArrayLike<number>,
  what = 'cubic spline',
): Float64Array {
  const wasm = x.length >= 4 && y.length === x.length ? processWasm() : null;
  if (wasm) {
    const r = wasm.splineAt(x, y, xs);
    if (typeof r !== 'number') return r;
    throw new XasInputError(`${what}: x is not strictly increasing at index ${r}`, {
      expected: 'strictly increasing abscissae',
    });
  }
  return evalSplineAt(notAKnotSpline(x, y, what), xs);
}
