/**
 * Small array helpers with the exact semantics of Larch 0.9.58's larch/math/utils.py and of the numpy
 * calls it relies on (np.gradient, np.linspace, Python's round-half-to-even), so index choices and
 * grids agree with Larch point for point.
 */

/** Python/numpy round(): nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

/** Larch index_of: largest index with array[i] <= value; 0 if value is below every element. */
export function indexOf(array: ArrayLike<number>, value: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < array.length; i++) if (array[i] < min) min = array[i];
  if (value < min) return 0;
  for (let i = array.length - 1; i >= 0; i--) if (array[i] <= value) return i;
  return 0;
}

/** Larch index_nearest: index of the element nearest to value (first one on ties, as numpy argmin). */
export function indexNearest(array: ArrayLike<number>, value: number): number {
  let best = 0;
  let bestDist = Number.POSITIVE_INFINITY;
  for (let i = 0; i < array.length; i++) {
    const d = Math.abs(array[i] - value);
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  }
  return best;
}

/** index_of for an increasing array, by bisection (same answer as the scan). */
export function indexOfSorted(array: ArrayLike<number>, value: number): number {
  const n = array.length;
  if (n === 0 || value < array[0]) return 0;
  if (value >= array[n - 1]) return n - 1;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (array[mid] <= value) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Number of elements of an increasing array within [lo, hi]. */
export function countInRangeSorted(array: ArrayLike<number>, lo: number, hi: number): number {
  if (hi < lo || array.length === 0 || hi < array[0] || lo > array[array.length - 1]) return 0;
  const last = indexOfSorted(array, hi);
  let first = indexOfSorted(array, lo);
  if (array[first] < lo) first++;
  return Math.max(0, last - first + 1);
}

/**
 * index_nearest for a strictly increasing array, by bisection: same answer as the linear scan
 * (on a tie between two neighbours the lower index, as numpy's argmin).
 */
export function indexNearestSorted(array: ArrayLike<number>, value: number): number {
  const n = array.length;
  if (n === 0) return 0;
  if (value <= array[0]) return 0;
  if (value >= array[n - 1]) return n - 1;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (array[mid] <= value) lo = mid;
    else hi = mid;
  }
  return Math.abs(array[hi] - value) < Math.abs(array[lo] - value) ? hi : lo;
}

/**
 * Larch remove_dups: makes a non-decreasing array strictly increasing by nudging each value that does
 * not exceed its (already nudged) predecessor by at least `tiny` to predecessor + max(tiny, frac·|gap|).
 */
export function removeDups(arr: ArrayLike<number>, tiny = 1e-7, frac = 1e-6): Float64Array {
  const out = new Float64Array(arr);
  const n = out.length;
  for (let i = 1; i < n; i++) {
    if (out[i] - out[i - 1] < tiny) {
      const t = Math.max(tiny, frac * Math.abs(out[i] - out[i - 1]));
      out[i] = out[i - 1] + t;
    }
  }
  if (n >= 2 && Math.abs(out[n - 1] - out[n - 2]) < tiny) out[n - 1] = out[n - 2] + tiny;
  return out;
}

/** numpy.gradient with unit spacing: central differences inside, one-sided at the ends. */
export function gradient(y: ArrayLike<number>): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  if (n < 2) return out;
  out[0] = y[1] - y[0];
  out[n - 1] = y[n - 1] - y[n - 2];
  for (let i = 1; i < n - 1; i++) out[i] = (y[i + 1] - y[i - 1]) / 2;
  return out;
}

/** dy/dx as Larch computes it: np.gradient(y) / np.gradient(x). */
export function derivative(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const gy = gradient(y);
  const gx = gradient(x);
  for (let i = 0; i < gy.length; i++) gy[i] /= gx[i];
  return gy;
}

/** numpy.linspace(start, stop, num) with endpoint: start + i·step, last value exactly stop. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(Math.max(0, num));
  if (num <= 0) return out;
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/** kstep·[0, 1, …, n−1]: Larch's uniform grids (k, R). */
export function uniformGrid(step: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = step * i;
  return out;
}

export function maxOf(a: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

export function minOf(a: ArrayLike<number>): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < a.length; i++) if (a[i] < m) m = a[i];
  return m;
}

/** x^w, by repeated multiplication for small integer w (exactly what numpy's power does for them). */
export function powInt(x: number, w: number): number {
  switch (w) {
    case 0:
      return 1;
    case 1:
      return x;
    case 2:
      return x * x;
    case 3:
      return x * x * x;
    default:
      return x ** w;
  }
}

/** Interleaves real and imaginary parts (Larch's realimag). */
export function realImag(re: ArrayLike<number>, im: ArrayLike<number>): Float64Array {
  const out = new Float64Array(2 * re.length);
  for (let i = 0; i < re.length; i++) {
    out[2 * i] = re[i];
    out[2 * i + 1] = im[i];
  }
  return out;
}
