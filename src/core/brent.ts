/**
 * Brent's minimisation of a function of one variable on [a, b] (golden-section search with
 * parabolic interpolation; R. P. Brent, Algorithms for Minimization without Derivatives, 1973,
 * ch. 5). Shared by the LCF energy-shift search and the EAM lattice-constant search.
 */

export interface BrentOptions {
  /** Starting point inside [a, b]; default the golden-section point a + 0.382·(b − a). */
  x0?: number;
  /** Relative tolerance on x. */
  relTol?: number;
  /** Absolute tolerance on x. */
  absTol?: number;
  maxIter?: number;
}

export interface BrentResult {
  x: number;
  fx: number;
  iterations: number;
}

const GOLDEN = 0.381966011250105;

export function brentMinimize(
  f: (x: number) => number,
  lo: number,
  hi: number,
  opts: BrentOptions = {},
): BrentResult {
  let a = lo;
  let b = hi;
  const relTol = opts.relTol ?? 1e-9;
  const absTol = opts.absTol ?? 1e-12;
  const maxIter = opts.maxIter ?? 200;
  let x = opts.x0 ?? a + GOLDEN * (b - a);
  let w = x;
  let v = x;
  let fx = f(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  let it = 0;
  for (; it < maxIter; it++) {
    const m = 0.5 * (a + b);
    const tol1 = relTol * Math.abs(x) + absTol;
    const tol2 = 2 * tol1;
    if (Math.abs(x - m) <= tol2 - 0.5 * (b - a)) break;
    let useGolden = true;
    if (Math.abs(e) > tol1) {
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      const etemp = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * etemp) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < m ? tol1 : -tol1;
        useGolden = false;
      }
    }
    if (useGolden) {
      e = x < m ? b - x : a - x;
      d = GOLDEN * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = f(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, fx, iterations: it };
}
