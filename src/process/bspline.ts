/**
 * Cubic B-splines as FITPACK evaluates them (splev): de Boor–Cox recursion on a knot vector, with the
 * end polynomial pieces continued outside the base interval (splev's ext=0). AUTOBK's background is
 * such a spline in k, with the knot vector splrep builds for an interpolating spline.
 */
import { outF64, tmpF64, tmpI32 } from './arena.js';
import { processWasm } from './wasm-kernels.js';

/** The k+1 non-zero B-spline values at x in knot interval l (t[l] ≤ x < t[l+1], or continued). */
export function bsplineBasis(
  t: ArrayLike<number>,
  k: number,
  x: number,
  l: number,
  out: Float64Array,
  left: Float64Array = new Float64Array(k + 1),
  right: Float64Array = new Float64Array(k + 1),
): void {
  out[0] = 1;
  for (let j = 1; j <= k; j++) {
    left[j] = x - t[l + 1 - j];
    right[j] = t[l + j] - x;
    let saved = 0;
    for (let r = 0; r < j; r++) {
      const temp = out[r] / (right[r + 1] + left[j - r]);
      out[r] = saved + right[r + 1] * temp;
      saved = left[j - r] * temp;
    }
    out[j] = saved;
  }
}

/** splev's interval choice: largest l with t[l] ≤ x, clamped to [k, ncoef−1]. */
export function knotInterval(t: ArrayLike<number>, k: number, ncoef: number, x: number): number {
  let lo = k;
  let hi = ncoef - 1;
  if (x < t[lo + 1]) return lo;
  if (x >= t[hi]) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (t[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Sparse design matrix of a degree-k spline at points x: row i holds basis values
 * values[i·(k+1) + r] for coefficient index first[i] + r.
 */
export interface BsplineDesign {
  k: number;
  ncoef: number;
  first: Int32Array;
  values: Float64Array;
}

export function bsplineDesign(t: ArrayLike<number>, k: number, x: ArrayLike<number>): BsplineDesign {
  if (k === 3) {
    // many points: the WebAssembly twin of cubicDesign (bit-identical)
    const wasm = x.length >= 32 && t.length >= 8 ? processWasm() : null;
    if (wasm) return { k: 3, ncoef: t.length - 4, ...wasm.bsplineCubic(t, x) };
    return cubicDesign(t, x);
  }
  const ncoef = t.length - k - 1;
  const first = new Int32Array(x.length);
  const values = new Float64Array(x.length * (k + 1));
  const buf = new Float64Array(k + 1);
  const left = new Float64Array(k + 1);
  const right = new Float64Array(k + 1);
  for (let i = 0; i < x.length; i++) {
    const l = knotInterval(t, k, ncoef, x[i]);
    bsplineBasis(t, k, x[i], l, buf, left, right);
    first[i] = l - k;
    values.set(buf, i * (k + 1));
  }
  return { k, ncoef, first, values };
}

/** The cubic case of bsplineDesign, unrolled (the de Boor–Cox recursion written out for k = 3). */
function cubicDesign(t: ArrayLike<number>, x: ArrayLike<number>): BsplineDesign {
  const ncoef = t.length - 4;
  const npts = x.length;
  const first = tmpI32(npts);
  const values = tmpF64(npts * 4);
  let l = 3;
  for (let i = 0; i < npts; i++) {
    const xv = x[i];
    // the interval pointer only moves forward for sorted x; fall back to a search otherwise
    if (!(l < ncoef - 1 && xv >= t[l] && xv < t[l + 1])) l = knotInterval(t, 3, ncoef, xv);
    const l1 = t[l - 2];
    const l2 = t[l - 1];
    const l3 = t[l];
    const r1 = t[l + 1];
    const r2 = t[l + 2];
    const r3 = t[l + 3];
    const dl1 = xv - l3;
    const dl2 = xv - l2;
    const dl3 = xv - l1;
    const dr1 = r1 - xv;
    const dr2 = r2 - xv;
    const dr3 = r3 - xv;
    // j = 1
    let tmp = 1 / (dr1 + dl1);
    let b0 = dr1 * tmp;
    let b1 = dl1 * tmp;
    // j = 2
    tmp = b0 / (dr1 + dl2);
    const c0 = dr1 * tmp;
    let saved = dl2 * tmp;
    tmp = b1 / (dr2 + dl1);
    const c1 = saved + dr2 * tmp;
    const c2 = dl1 * tmp;
    // j = 3
    tmp = c0 / (dr1 + dl3);
    b0 = dr1 * tmp;
    saved = dl3 * tmp;
    tmp = c1 / (dr2 + dl2);
    b1 = saved + dr2 * tmp;
    saved = dl2 * tmp;
    tmp = c2 / (dr3 + dl1);
    const o = 4 * i;
    values[o] = b0;
    values[o + 1] = b1;
    values[o + 2] = saved + dr3 * tmp;
    values[o + 3] = dl1 * tmp;
    first[i] = l - 3;
  }
  return { k: 3, ncoef, first, values };
}

/** Spline values B·c at the design's points. */
export function designTimes(d: BsplineDesign, c: ArrayLike<number>): Float64Array {
  const w = d.k + 1;
  const out = tmpF64(d.first.length);
  const { first, values } = d;
  if (w === 4) {
    for (let i = 0; i < out.length; i++) {
      const f = first[i];
      const o = 4 * i;
      let s = 0;
      s += values[o] * c[f];
      s += values[o + 1] * c[f + 1];
      s += values[o + 2] * c[f + 2];
      s += values[o + 3] * c[f + 3];
      out[i] = s;
    }
    return out;
  }
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    const f = d.first[i];
    for (let r = 0; r < w; r++) s += d.values[i * w + r] * c[f + r];
    out[i] = s;
  }
  return out;
}

/** Knot vector of splrep(x, y, k=3, s=0) for nx points: x0 ×4, x[2..nx−3], x[nx−1] ×4. */
export function interpolatingKnots(x: ArrayLike<number>): Float64Array {
  const nx = x.length;
  const t = outF64(nx + 4);
  for (let i = 0; i < 4; i++) {
    t[i] = x[0];
    t[nx + i] = x[nx - 1];
  }
  for (let i = 2; i <= nx - 3; i++) t[i + 2] = x[i];
  return t;
}
