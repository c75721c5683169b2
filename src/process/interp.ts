/**
 * Interpolation with the conventions of Larch 0.9.58's larch.math.interp: scipy interp1d inside the
 * data ('linear': straight lines between neighbours; 'cubic': the not-a-knot cubic spline), and outside
 * it an extrapolation from the end points (the line through the two end points, or the not-a-knot
 * cubic through the five end points).
 */
import { XasInputError } from '../core/errors.js';
import { evalSpline, notAKnotSpline } from './cubic-spline.js';

export type InterpKind = 'linear' | 'cubic';

export function checkInterpKind(kind: unknown, field = 'kind'): InterpKind {
  if (kind !== 'linear' && kind !== 'cubic') {
    throw new XasInputError(`unknown interpolation kind '${String(kind)}'`, {
      field,
      expected: "'linear' or 'cubic'",
    });
  }
  return kind;
}

/** scipy interp1d(kind='linear') at one point inside [x0, x_last] (searchsorted, left side). */
function linearInside(x: ArrayLike<number>, y: ArrayLike<number>, xv: number): number {
  const n = x.length;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] < xv) lo = mid + 1;
    else hi = mid;
  }
  const idx = Math.min(Math.max(lo, 1), n - 1);
  const x0 = x[idx - 1];
  const y0 = y[idx - 1];
  const slope = (y[idx] - y0) / (x[idx] - x0);
  return slope * (xv - x0) + y0;
}

/**
 * Larch interp(x, y, xnew, kind): x strictly increasing with at least 2 points (5 for 'cubic'
 * extrapolation, 4 for the cubic itself).
 */
export function larchInterp(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xnew: ArrayLike<number>,
  kind: InterpKind = 'linear',
): Float64Array {
  const n = x.length;
  const minPts = kind === 'cubic' ? 5 : 2;
  if (n < minPts || y.length !== n) {
    throw new XasInputError(
      `interpolation needs ${minPts} points and equal lengths (got ${n} and ${y.length})`,
      {
        expected: `at least ${minPts} points`,
      },
    );
  }
  for (let i = 1; i < n; i++) {
    if (!(x[i] > x[i - 1]))
      throw new XasInputError(`interpolation abscissa not increasing at index ${i}`, {
        expected: 'strictly increasing x',
      });
  }
  const out = new Float64Array(xnew.length);
  const xlo = x[0];
  const xhi = x[n - 1];
  if (kind === 'linear') {
    const sLo = (y[1] - y[0]) / (x[1] - x[0]);
    const sHi = (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]);
    for (let i = 0; i < xnew.length; i++) {
      const xv = xnew[i];
      if (xv < xlo) out[i] = y[0] + sLo * (xv - x[0]);
      else if (xv > xhi) out[i] = y[n - 1] + sHi * (xv - x[n - 1]);
      else out[i] = linearInside(x, y, xv);
    }
    return out;
  }
  const inner = notAKnotSpline(x, y, 'cubic interpolation');
  let below: ReturnType<typeof notAKnotSpline> | undefined;
  let above: ReturnType<typeof notAKnotSpline> | undefined;
  for (let i = 0; i < xnew.length; i++) {
    const xv = xnew[i];
    if (xv < xlo) {
      below ??= notAKnotSpline(Array.prototype.slice.call(x, 0, 5), Array.prototype.slice.call(y, 0, 5));
      out[i] = evalSpline(below, xv);
    } else if (xv > xhi) {
      above ??= notAKnotSpline(Array.prototype.slice.call(x, n - 5), Array.prototype.slice.call(y, n - 5));
      out[i] = evalSpline(above, xv);
    } else {
      out[i] = evalSpline(inner, xv);
    }
  }
  return out;
}
