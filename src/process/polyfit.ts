/**
 * Least-squares polynomials as numpy.polyfit defines them (the pre-edge line and post-edge curve of
 * Larch's pre_edge). The fit runs in a centred, scaled variable so that degree-5 fits over keV-sized
 * energies stay well conditioned; coefficients are also returned in numpy's power basis.
 */
import { XasInputError } from '../core/errors.js';
import { tmpF64 } from './arena.js';
import { lstsq } from './linalg.js';

export interface Polynomial {
  /** Coefficients in the scaled variable t = (x − center)/scale, lowest power first. */
  coefScaled: Float64Array;
  center: number;
  scale: number;
  degree: number;
}

/** Fits y ≈ p(x) of the given degree over x[start:end) (numpy.polyfit(x[start:end], y[start:end], deg)). */
export function polyfit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  degree: number,
  start = 0,
  end = x.length,
  what = 'polynomial fit',
): Polynomial {
  const m = end - start;
  const n = degree + 1;
  if (m < n) {
    throw new XasInputError(`${what}: ${m} points for a degree-${degree} polynomial`, {
      expected: `at least ${n} points in the fit range`,
    });
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = start; i < end; i++) {
    lo = Math.min(lo, x[i]);
    hi = Math.max(hi, x[i]);
  }
  const center = 0.5 * (lo + hi);
  const scale = hi > lo ? 0.5 * (hi - lo) : 1;
  const coefScaled =
    degree <= 3
      ? normalEquationFit(x, y, n, start, end, center, scale, what)
      : qrFit(x, y, n, start, end, center, scale, what);
  return { coefScaled, center, scale, degree };
}

/** QR least squares on the scaled Vandermonde matrix (any degree). */
function qrFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  start: number,
  end: number,
  center: number,
  scale: number,
  what: string,
): Float64Array {
  const m = end - start;
  const a = new Float64Array(m * n);
  const b = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const t = (x[start + i] - center) / scale;
    let p = 1;
    for (let j = 0; j < n; j++) {
      a[i * n + j] = p;
      p *= t;
    }
    b[i] = y[start + i];
  }
  return lstsq(a, m, n, b, what);
}

/**
 * Normal equations solved by Cholesky: with t in [−1, 1] and degree ≤ 3 the Gram matrix is well
 * conditioned (condition number below 10³ for any spread of points), so this is accurate to ~1e-13.
 */
function normalEquationFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  start: number,
  end: number,
  center: number,
  scale: number,
  what: string,
): Float64Array {
  const pw = new Float64Array(2 * n - 1);
  const rhs = new Float64Array(n);
  if (n <= 3) {
    // degree ≤ 2 (all of pre_edge's defaults): scalar accumulators
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    let p4 = 0;
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    for (let i = start; i < end; i++) {
      const t = (x[i] - center) / scale;
      const yi = y[i];
      const t2 = t * t;
      p0 += 1;
      p1 += t;
      p2 += t2;
      p3 += t2 * t;
      p4 += t2 * t2;
      r0 += yi;
      r1 += t * yi;
      r2 += t2 * yi;
    }
    pw[0] = p0;
    rhs[0] = r0;
    if (n >= 2) {
      pw[1] = p1;
      pw[2] = p2;
      rhs[1] = r1;
    }
    if (n === 3) {
      pw[3] = p3;
      pw[4] = p4;
      rhs[2] = r2;
    }
  } else {
    for (let i = start; i < end; i++) {
      const t = (x[i] - center) / scale;
      const yi = y[i];
      let p = 1;
      for (let j = 0; j < n; j++) {
        pw[j] += p;
        rhs[j] += p * yi;
        p *= t;
      }
      for (let j = n; j < 2 * n - 1; j++) {
        pw[j] += p;
        p *= t;
      }
    }
  }
  // Cholesky of G[i][j] = pw[i + j]
  const l = tmpF64(n * n, true);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = pw[i + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 1e-12 * pw[2 * i])) return qrFit(x, y, n, start, end, center, scale, what);
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = rhs[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * z[k];
    z[i] = s / l[i * n + i];
  }
  const c = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * c[k];
    c[i] = s / l[i * n + i];
  }
  return c;
}

export function polyval(p: Polynomial, x: number): number {
  const t = (x - p.center) / p.scale;
  let v = 0;
  for (let j = p.degree; j >= 0; j--) v = v * t + p.coefScaled[j];
  return v;
}

/** Evaluates p at x[i] for i in [start, end), writing into out[i]. */
export function polyvalArray(
  p: Polynomial,
  x: ArrayLike<number>,
  out: Float64Array,
  start = 0,
  end = x.length,
): void {
  const c = p.coefScaled;
  const deg = p.degree;
  const center = p.center;
  const scale = p.scale;
  for (let i = start; i < end; i++) {
    const t = (x[i] - center) / scale;
    let v = 0;
    for (let j = deg; j >= 0; j--) v = v * t + c[j];
    out[i] = v;
  }
}

/** Coefficients in powers of x, lowest power first (Larch's norm_c0, norm_c1, …). */
export function powerCoefficients(p: Polynomial): Float64Array {
  const n = p.degree + 1;
  const out = new Float64Array(n);
  // expand sum_j a_j ((x - c)/s)^j = sum_j a_j s^-j sum_i binom(j,i) x^i (-c)^(j-i)
  for (let j = 0; j < n; j++) {
    const aj = p.coefScaled[j] / p.scale ** j;
    let binom = 1;
    for (let i = 0; i <= j; i++) {
      out[i] += aj * binom * (-p.center) ** (j - i);
      binom = (binom * (j - i)) / (i + 1);
    }
  }
  return out;
}
