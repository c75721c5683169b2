/**
 * Special functions needed to turn AUTOBK's covariance into Larch's delta_chi: erf (through the
 * regularised incomplete gamma function) and the Student-t quantile (through the regularised
 * incomplete beta function), each to near double precision, matching scipy.special.erf and
 * scipy.stats.t.ppf as Larch calls them.
 */
import { lnGamma } from '../core/gamma.js';

/** Regularised lower incomplete gamma P(a, x). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lnPre = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    // series: all terms positive
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return sum * Math.exp(lnPre);
  }
  // continued fraction for Q(a, x) (modified Lentz)
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return 1 - Math.exp(lnPre) * h;
}

export function erf(x: number): number {
  if (x === 0) return 0;
  const p = gammaP(0.5, x * x);
  return x < 0 ? -p : p;
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function betaInc(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Student-t cumulative distribution with df degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * betaInc(df / 2, 0.5, x);
  return t >= 0 ? 1 - tail : tail;
}

function studentTPdf(t: number, df: number): number {
  const ln =
    lnGamma((df + 1) / 2) -
    lnGamma(df / 2) -
    0.5 * Math.log(df * Math.PI) -
    ((df + 1) / 2) * Math.log1p((t * t) / df);
  return Math.exp(ln);
}

const ppfCache = new Map<number, Map<number, number>>();
let ppfCount = 0;

/** Student-t quantile (scipy.stats.t.ppf) for 0 < p < 1, df > 0 (memoised: AUTOBK asks for few values). */
export function studentTPpf(p: number, df: number): number {
  const hit = ppfCache.get(p)?.get(df);
  if (hit !== undefined) return hit;
  const v = studentTPpfUncached(p, df);
  if (ppfCount >= 4096) clearQuantiles();
  let byDf = ppfCache.get(p);
  if (!byDf) {
    byDf = new Map();
    ppfCache.set(p, byDf);
  }
  byDf.set(df, v);
  ppfCount++;
  return v;
}

/** Drops the memoised t quantiles. */
export function clearQuantiles(): void {
  ppfCache.clear();
  ppfCount = 0;
}

function studentTPpfUncached(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return Number.NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTPpfUncached(1 - p, df);
  if (df >= 8) {
    const t = quantileFromExpansion(p, df);
    if (t !== undefined) return t;
  }
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Number.POSITIVE_INFINITY;
  }
  let t = 0.5 * (lo + hi);
  for (let it = 0; it < 200; it++) {
    const f = studentTCdf(t, df) - p;
    if (f > 0) hi = t;
    else lo = t;
    let next = t - f / studentTPdf(t, df);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-15 * Math.abs(t)) return next;
    t = next;
  }
  return t;
}

/**
 * Newton's method on the Student-t distribution from the Cornish–Fisher expansion of its quantile
 * about the normal quantile z (Abramowitz & Stegun 26.7.5, terms to 1/df⁴): for df ≥ 8 the start is
 * already close, so two or three distribution evaluations reach the root instead of a bracketing
 * search. The distribution function itself is exact only to a few 1e-15, so the steps stop at 1e-13
 * relative (far below the 1e-8 to which scipy's own quantiles agree). Undefined when they do not
 * settle (the bracketing search then runs).
 */
function quantileFromExpansion(p: number, df: number): number | undefined {
  const z = normalQuantile(p);
  if (!(z > 0) || !Number.isFinite(z)) return undefined;
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  let t = z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
  for (let it = 0; it < 12; it++) {
    const next = t - (studentTCdf(t, df) - p) / studentTPdf(t, df);
    if (!(next > 0) || !Number.isFinite(next)) return undefined;
    if (Math.abs(next - t) <= 1e-13 * Math.abs(t)) return next;
    t = next;
  }
  return undefined;
}

/** Standard normal quantile for 1/2 < p < 1, by safeguarded Newton steps on Φ(z) = (1 + erf(z/√2))/2. */
function normalQuantile(p: number): number {
  let lo = 0;
  let hi = 40;
  let z = Math.sqrt(-2 * Math.log(2 * (1 - p)));
  for (let it = 0; it < 100; it++) {
    const f = 0.5 * (1 + erf(z / Math.SQRT2)) - p;
    if (f > 0) hi = z;
    else lo = z;
    let next = z - f / (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI));
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - z) <= 1e-14 * z) return next;
    z = next;
  }
  return z;
}
