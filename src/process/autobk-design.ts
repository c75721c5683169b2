/**
 * The linear part of AUTOBK's objective. For spline coefficients c, Larch's residual is
 *   out(c) = realimag( (kstep/√π)·DFT[ Ω(k)·k^w·χ(k; c) ] )[: irbkg ],   χ(k; c) = S·(μ − B·c)
 * where S interpolates (not-a-knot cubic spline) from the measured k points onto the uniform k grid
 * and B evaluates the background B-spline at the measured k points. So out = a − M·c with a fixed
 * matrix M, which is built here once and reused (cached) by every spectrum sharing the k grid, knots,
 * window and k-weight.
 */
import { outsideScope, tmpF64 } from './arena.js';
import { bsplineDesign } from './bspline.js';
import { type QR, qrDecompose } from './linalg.js';
import { trigTable } from './trig-table.js';
import { processWasm } from './wasm-kernels.js';

/** Rows of S·B on the uniform k grid: row m has `width` entries for coefficients first[m] … */
export interface ChiBasis {
  width: number;
  first: Int32Array;
  values: Float64Array;
  ncoef: number;
}

export interface AutobkDesign {
  /** (2·irbkg) × ncoef, row-major: rows alternate Re, Im of χ(R) at R = 0, rstep, … */
  m: Float64Array;
  nrows: number;
  ncoef: number;
  qr: QR;
  chiBasis: ChiBasis;
}

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * The first `irb` DFT coefficients (interleaved Re, Im, times kstep/√π) of the sequence ftwin·y on the
 * uniform grid: the fixed part `a` of the residual.
 */
export function lowRTransform(
  y: ArrayLike<number>,
  ftwin: ArrayLike<number>,
  irb: number,
  nfft: number,
  kstep: number,
): Float64Array {
  const { cos, sin } = trigTable(nfft);
  const f = kstep / SQRT_PI;
  const nk = y.length;
  const g = tmpF64(nk);
  for (let m = 0; m < nk; m++) g[m] = f * ftwin[m] * y[m];
  const out = tmpF64(2 * irb);
  const mask = nfft - 1;
  let j = 0;
  for (; j + 3 < irb; j += 4) {
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    let i0 = 0;
    let i1 = 0;
    let i2 = 0;
    let i3 = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let m = 0; m < nk; m++) {
      const v = g[m];
      r0 += v * cos[t0];
      i0 -= v * sin[t0];
      r1 += v * cos[t1];
      i1 -= v * sin[t1];
      r2 += v * cos[t2];
      i2 -= v * sin[t2];
      r3 += v * cos[t3];
      i3 -= v * sin[t3];
      t0 = (t0 + j) & mask;
      t1 = (t1 + j + 1) & mask;
      t2 = (t2 + j + 2) & mask;
      t3 = (t3 + j + 3) & mask;
    }
    out[2 * j] = r0;
    out[2 * j + 1] = i0;
    out[2 * j + 2] = r1;
    out[2 * j + 3] = i1;
    out[2 * j + 4] = r2;
    out[2 * j + 5] = i2;
    out[2 * j + 6] = r3;
    out[2 * j + 7] = i3;
  }
  for (; j < irb; j++) {
    let re = 0;
    let im = 0;
    let t = 0;
    for (let m = 0; m < nk; m++) {
      re += g[m] * cos[t];
      im -= g[m] * sin[t];
      t = (t + j) & mask;
    }
    out[2 * j] = re;
    out[2 * j + 1] = im;
  }
  return out;
}

/**
 * M = (kstep/√π)·DFT rows of Ω·k^w·(S·B), for a chi basis given row-wise. Rows sharing the same
 * coefficient block (one knot interval) are summed together so the inner loop runs over k only.
 */
export function buildDesign(
  basis: ChiBasis,
  ftwin: ArrayLike<number>,
  irb: number,
  nfft: number,
  kstep: number,
  y?: ArrayLike<number>,
  aOut?: Float64Array,
): AutobkDesign {
  const n = basis.ncoef;
  const wasm = basis.width === 4 ? processWasm() : null;
  if (wasm) {
    // the WebAssembly twin of designBanded + qrDecompose (bit-identical results)
    const d = wasm.designBanded(basis, ftwin, irb, nfft, kstep, y);
    if (aOut) aOut.set(d.a);
    return { m: d.m, nrows: 2 * irb, ncoef: n, qr: d.qr, chiBasis: basis };
  }
  const { cos, sin } = trigTable(nfft);
  const m =
    basis.width === 4
      ? designBanded(basis, ftwin, irb, nfft, kstep, cos, sin, y, aOut)
      : designDense(basis, ftwin, irb, nfft, kstep, cos, sin);
  if (basis.width !== 4 && y && aOut) aOut.set(lowRTransform(y, ftwin, irb, nfft, kstep));
  return { m, nrows: 2 * irb, ncoef: n, qr: qrDecompose(m, 2 * irb, n, true), chiBasis: basis };
}

/** Cubic B-spline rows (4 coefficients per k point): one pass per knot interval and frequency. */
function designBanded(
  basis: ChiBasis,
  ftwin: ArrayLike<number>,
  irb: number,
  nfft: number,
  kstep: number,
  cos: Float64Array,
  sin: Float64Array,
  y?: ArrayLike<number>,
  aOut?: Float64Array,
): Float64Array {
  const n = basis.ncoef;
  const m = tmpF64(2 * irb * n, true);
  const f = kstep / SQRT_PI;
  const mask = nfft - 1;
  const nk = basis.first.length;
  // weighted basis (4 per point) and, when asked, the weighted χ(k; c = 0) as a fifth column
  const g = tmpF64(nk * 5);
  const vals = basis.values;
  for (let km = 0; km < nk; km++) {
    const fw = f * ftwin[km];
    const o = km * 5;
    const v = km * 4;
    g[o] = fw * vals[v];
    g[o + 1] = fw * vals[v + 1];
    g[o + 2] = fw * vals[v + 2];
    g[o + 3] = fw * vals[v + 3];
    g[o + 4] = y ? fw * y[km] : 0;
  }
  const a = aOut ?? tmpF64(2 * irb);
  a.fill(0);
  let start = 0;
  while (start < nk) {
    const first = basis.first[start];
    let end = start + 1;
    while (end < nk && basis.first[end] === first) end++;
    for (let j = 0; j < irb; j++) {
      let r0 = 0;
      let r1 = 0;
      let r2 = 0;
      let r3 = 0;
      let r4 = 0;
      let i0 = 0;
      let i1 = 0;
      let i2 = 0;
      let i3 = 0;
      let i4 = 0;
      let t = (j * start) & mask;
      for (let km = start; km < end; km++) {
        const c = cos[t];
        const s = sin[t];
        const o = km * 5;
        const v0 = g[o];
        const v1 = g[o + 1];
        const v2 = g[o + 2];
        const v3 = g[o + 3];
        const v4 = g[o + 4];
        r0 += v0 * c;
        r1 += v1 * c;
        r2 += v2 * c;
        r3 += v3 * c;
        r4 += v4 * c;
        i0 -= v0 * s;
        i1 -= v1 * s;
        i2 -= v2 * s;
        i3 -= v3 * s;
        i4 -= v4 * s;
        t = (t + j) & mask;
      }
      const re = 2 * j * n + first;
      const im = re + n;
      m[re] += r0;
      m[re + 1] += r1;
      m[re + 2] += r2;
      m[re + 3] += r3;
      m[im] += i0;
      m[im + 1] += i1;
      m[im + 2] += i2;
      m[im + 3] += i3;
      a[2 * j] += r4;
      a[2 * j + 1] += i4;
    }
    start = end;
  }
  return m;
}

/** General (dense) rows: used when S·B had to be formed column by column. */
function designDense(
  basis: ChiBasis,
  ftwin: ArrayLike<number>,
  irb: number,
  nfft: number,
  kstep: number,
  cos: Float64Array,
  sin: Float64Array,
): Float64Array {
  const n = basis.ncoef;
  const w = basis.width;
  const m = tmpF64(2 * irb * n, true);
  const f = kstep / SQRT_PI;
  const mask = nfft - 1;
  const nk = basis.first.length;
  for (let j = 0; j < irb; j++) {
    let t = 0;
    const re = 2 * j * n;
    const im = re + n;
    for (let km = 0; km < nk; km++) {
      const fw = f * ftwin[km];
      const c = fw * cos[t];
      const s = fw * sin[t];
      const o = km * w;
      const col = basis.first[km];
      for (let r = 0; r < w; r++) {
        const v = basis.values[o + r];
        m[re + col + r] += v * c;
        m[im + col + r] -= v * s;
      }
      t = (t + j) & mask;
    }
  }
  return m;
}

/** S·B when the background B-spline lies in the interpolating spline's space: B evaluated on the k grid. */
export function chiBasisFromKnots(knots: Float64Array, kout: Float64Array): ChiBasis {
  const d = bsplineDesign(knots, 3, kout);
  return { width: 4, first: d.first, values: d.values, ncoef: d.ncoef };
}

interface CacheEntry {
  nfft: number;
  irb: number;
  nk: number;
  kstep: number;
  knots: Float64Array;
  /** The window as passed (fit windows are themselves cached, so a repeat is usually the same array) and a copy. */
  ftwinRef: Float64Array;
  ftwin: Float64Array;
  design: AutobkDesign;
}
/** Most recently used first. */
const cache: CacheEntry[] = [];
const CACHE_SIZE = 16;

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Cached design for the common case (background spline reproduced exactly by the interpolation):
 * spectra on the same energy grid with the same E0 and parameters share knots, window and design.
 */
export function cachedDesign(
  knots: Float64Array,
  kout: Float64Array,
  ftwin: Float64Array,
  irb: number,
  nfft: number,
  kstep: number,
): AutobkDesign {
  const nk = kout.length;
  for (let i = 0; i < cache.length; i++) {
    const e = cache[i];
    if (
      e.nfft === nfft &&
      e.irb === irb &&
      e.nk === nk &&
      e.kstep === kstep &&
      sameValues(e.knots, knots) &&
      (e.ftwinRef === ftwin || sameValues(e.ftwin, ftwin))
    ) {
      if (i > 0) {
        cache.splice(i, 1);
        cache.unshift(e);
      }
      return e.design;
    }
  }
  // cached beyond this call: plain arrays, not temporaries of the current allocation scope
  const design = outsideScope(() => buildDesign(chiBasisFromKnots(knots, kout), ftwin, irb, nfft, kstep));
  cache.unshift({
    nfft,
    irb,
    nk,
    kstep,
    knots: new Float64Array(knots),
    ftwinRef: ftwin,
    ftwin: new Float64Array(ftwin),
    design,
  });
  if (cache.length > CACHE_SIZE) cache.pop();
  return design;
}

/** Drops every cached design (tests, memory-sensitive callers). */
export function clearDesignCache(): void {
  cache.length = 0;
}
