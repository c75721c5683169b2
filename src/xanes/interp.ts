/**
 * Interpolation as Larch 0.9.58's larch.math.utils.interp(kind='cubic') does it for linear
 * combination fitting and PCA (process/interp.ts larchInterp): the not-a-knot spline inside the
 * data, the not-a-knot cubic through the five end points outside. LarchCubic keeps that interpolant
 * as an object, for fits that evaluate one curve at many shifted energies. Also a plain linear
 * interpolation (numpy.interp) for the fast paths.
 */
import { XasInputError } from '../core/errors.js';
import { type CubicSpline, evalSpline, notAKnotSpline } from '../process/cubic-spline.js';
import { larchInterp } from '../process/interp.js';

/** A cubic interpolant of tabulated (x, y) with Larch's extrapolation rule. */
export interface LarchCubic {
  inner: CubicSpline;
  /** Splines through the first and last five points (the extrapolation). */
  below: CubicSpline;
  above: CubicSpline;
  xmin: number;
  xmax: number;
}

export function larchCubic(x: ArrayLike<number>, y: ArrayLike<number>, what = 'interpolation'): LarchCubic {
  const n = x.length;
  if (n < 5) {
    throw new XasInputError(`${what}: cubic interpolation needs at least 5 points, got ${n}`, {
      expected: 'a spectrum with at least 4 energy points',
    });
  }
  const inner = notAKnotSpline(x, y, what);
  const xs = Array.from(x);
  const ys = Array.from(y);
  return {
    inner,
    below: notAKnotSpline(xs.slice(0, 5), ys.slice(0, 5), what),
    above: notAKnotSpline(xs.slice(n - 5), ys.slice(n - 5), what),
    xmin: x[0],
    xmax: x[n - 1],
  };
}

export function evalLarchCubic(c: LarchCubic, xv: number): number {
  if (xv < c.xmin) return evalSpline(c.below, xv);
  if (xv > c.xmax) return evalSpline(c.above, xv);
  return evalSpline(c.inner, xv);
}

/** Larch interp(x, y, xnew, kind='cubic') (process/interp.ts larchInterp). */
export function interpCubic(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xnew: ArrayLike<number>,
  what = 'interpolation',
): Float64Array {
  if (x.length < 5) {
    throw new XasInputError(`${what}: cubic interpolation needs at least 5 points, got ${x.length}`, {
      expected: 'a spectrum with at least 5 energy points',
    });
  }
  return larchInterp(x, y, xnew, 'cubic');
}

/**
 * Derivative dy/dx of the Larch cubic interpolant at xv, by a central difference of the cubic
 * itself (exact up to rounding for a cubic piece; the step stays inside one piece except at knots,
 * where the spline is C² so the error is O(h²)).
 */
export function derivLarchCubic(c: LarchCubic, xv: number): number {
  const h = 1e-4;
  return (evalLarchCubic(c, xv + h) - evalLarchCubic(c, xv - h)) / (2 * h);
}

/**
 * Linear interpolation of increasing x onto xnew (any order); outside the data the end values are
 * held (numpy.interp semantics).
 */
export function interpLinear(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xnew: ArrayLike<number>,
): Float64Array {
  const n = x.length;
  const out = new Float64Array(xnew.length);
  for (let j = 0; j < xnew.length; j++) {
    const v = xnew[j];
    if (v <= x[0]) out[j] = y[0];
    else if (v >= x[n - 1]) out[j] = y[n - 1];
    else {
      let lo = 0;
      let hi = n - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (x[mid] <= v) lo = mid;
        else hi = mid;
      }
      const w = (v - x[lo]) / (x[hi] - x[lo]);
      out[j] = y[lo] + w * (y[hi] - y[lo]);
    }
  }
  return out;
}
