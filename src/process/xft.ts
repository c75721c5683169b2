/**
 * XAFS Fourier transforms with Larch 0.9.58's conventions (larch/xafs/xafsft.py):
 *   χ(R) = (kstep/√π) Σ_m k_m^w Ω(k_m) χ(k_m) e^{−2πi·nm/N},  R_n = n·π/(kstep·N), n < N/2
 *   χ(q) = s·(4√π/kstep)·(1/N) Σ_n R_n^w Ω(R_n) χ(R_n) e^{+2πi·nm/N}, s = ½ for complex χ(R)
 * on the uniform grids k = kstep·m (χ(k) linearly interpolated onto it) and R = rstep·n.
 */
import { XasInputError } from '../core/errors.js';
import { inScope, outF64, reserveOut, tmpF64 } from './arena.js';
import { linspace, maxOf, powInt, roundHalfEven, uniformGrid } from './array-utils.js';
import { complexIfft, realFftHalf } from './fft.js';
import { canonicalWindow, ftwindow } from './ftwindow.js';
import { checkArray, checkNumber, optNumber } from './validate.js';
import { processWasm } from './wasm-kernels.js';

const SQRT_PI = Math.sqrt(Math.PI);

export interface XftfOptions {
  /** Start of the k window (Å⁻¹), default 0. */
  kmin?: number;
  /** End of the k window (Å⁻¹), default 20. */
  kmax?: number;
  /** k-weight exponent w in k^w·χ(k), default 0. */
  kweight?: number;
  /** Window taper (Å⁻¹; Bessel parameter for kaiser), default 1. */
  dk?: number;
  /** Taper at kmax, default dk. */
  dk2?: number;
  /** Window shape, default 'kaiser'. */
  window?: string;
  /** Highest R in the output (Å), default 10. */
  rmax_out?: number;
  /** FFT length, default 2048. */
  nfft?: number;
  /** k grid step (Å⁻¹), default 0.05. */
  kstep?: number;
}

/** Resolved forward-transform parameters (Larch's names). */
export interface XftfParams {
  kmin: number;
  kmax: number;
  kweight: number;
  dk: number;
  dk2: number;
  window: string;
  rmax_out: number;
  nfft: number;
  kstep: number;
}

export interface XftfResult {
  /** R grid in Å: rstep·n, rstep = π/(kstep·nfft). */
  r: Float64Array;
  chirRe: Float64Array;
  chirIm: Float64Array;
  chirMag: Float64Array;
  /** Phase of χ(R) with 2π jumps removed (Larch complex_phase). */
  chirPha: Float64Array;
  /** Window Ω(k) on the uniform k grid (length of the input χ(k), as Larch's kwin). */
  kwin: Float64Array;
  params: XftfParams;
}

export function resolveXftfParams(opts: XftfOptions = {}): XftfParams {
  const kmin = checkNumber(opts.kmin ?? 0, 'kmin');
  const kmax = checkNumber(opts.kmax ?? 20, 'kmax');
  if (!(kmax > kmin))
    throw new XasInputError(`kmax (${kmax}) is not above kmin (${kmin})`, {
      field: 'kmax',
      expected: 'kmax > kmin',
    });
  const dk = checkNumber(opts.dk ?? 1, 'dk');
  const dk2 = optNumber(opts.dk2, 'dk2') ?? dk;
  return {
    kmin,
    kmax,
    kweight: checkNumber(opts.kweight ?? 0, 'kweight'),
    dk,
    dk2,
    window: canonicalWindow(opts.window ?? 'kaiser'),
    rmax_out: checkNumber(opts.rmax_out ?? 10, 'rmax_out', { min: 0 }),
    nfft: checkNumber(opts.nfft ?? 2048, 'nfft', { integer: true, min: 4 }),
    kstep: checkNumber(opts.kstep ?? 0.05, 'kstep', { min: Number.MIN_VALUE }),
  };
}

/**
 * numpy.interp: linear interpolation, constant beyond the ends. xp must be increasing. Inside an
 * allocation scope (arena.ts) the result is a temporary.
 */
export function npInterp(x: ArrayLike<number>, xp: ArrayLike<number>, fp: ArrayLike<number>): Float64Array {
  const n = xp.length;
  const out = tmpF64(x.length);
  let j = 0;
  for (let i = 0; i < x.length; i++) {
    const xv = x[i];
    if (xv <= xp[0]) {
      out[i] = fp[0];
      continue;
    }
    if (xv >= xp[n - 1]) {
      out[i] = fp[n - 1];
      continue;
    }
    if (!(xp[j] <= xv && xv < xp[j + 1])) {
      let lo = 0;
      let hi = n - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (xp[mid] <= xv) lo = mid;
        else hi = mid;
      }
      j = lo;
    }
    const slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
    out[i] = slope * (xv - xp[j]) + fp[j];
  }
  return out;
}

/** Larch complex_phase: atan2 phase with jumps of π·round(|Δ|/π) removed. */
export function complexPhase(re: ArrayLike<number>, im: ArrayLike<number>): Float64Array {
  const n = re.length;
  const out = outF64(n);
  let prev = n > 0 ? Math.atan2(im[0], re[0]) : 0;
  if (n > 0) out[0] = prev;
  let cum = 0;
  for (let i = 1; i < n; i++) {
    const ph = Math.atan2(im[i], re[i]);
    const d = (ph - prev) / Math.PI;
    cum += roundHalfEven(Math.abs(d)) * Math.sign(d);
    out[i] = ph - Math.PI * cum;
    prev = ph;
  }
  return out;
}

/**
 * Larch xftf_fast: (kstep/√π)·FFT of an already weighted and windowed χ on the uniform k grid,
 * zero-padded to nfft; returns nfft/2 interleaved complex values.
 */
export function xftfFast(chiWeighted: ArrayLike<number>, nfft = 2048, kstep = 0.05): Float64Array {
  const spec = realFftHalf(chiWeighted, nfft);
  const f = kstep / SQRT_PI;
  const out = new Float64Array(nfft);
  for (let i = 0; i < nfft; i++) out[i] = f * spec[i];
  return out;
}

/** Larch xftf_prep: k^w·χ on the uniform grid up to max(k), and the window on that grid. */
export function xftfPrep(
  k: ArrayLike<number>,
  chi: ArrayLike<number>,
  p: XftfParams,
): { cchi: Float64Array; win: Float64Array } {
  const kmaxData = maxOf(k);
  const npts = Math.trunc(1.01 + kmaxData / p.kstep);
  const kMax = Math.max(kmaxData, p.kmax + p.dk2);
  const kGrid = uniformGrid(p.kstep, Math.trunc(1.01 + kMax / p.kstep));
  // χ already on the grid (autobk output): numpy.interp returns the values themselves
  let onGrid = k.length >= npts;
  for (let i = 0; onGrid && i < npts; i++) onGrid = k[i] === kGrid[i];
  const chiGrid = onGrid ? chi : npInterp(kGrid.subarray(0, npts), k, chi);
  const win = cachedWindow(kGrid.length, p);
  const cchi = new Float64Array(npts);
  for (let i = 0; i < npts; i++) cchi[i] = chiGrid[i] * powInt(kGrid[i], p.kweight);
  return { cchi, win: win.slice(0, npts) };
}

interface WindowEntry {
  n: number;
  p: XftfParams;
  w: Float64Array;
}
const windowCache: WindowEntry[] = [];

/** Drops the cached xftf windows. */
export function clearXftfWindows(): void {
  windowCache.length = 0;
}

/** The k window depends only on the grid length and the window parameters: computed once per set. */
function cachedWindow(kGridLength: number, p: XftfParams): Float64Array {
  for (const e of windowCache) {
    const q = e.p;
    if (
      e.n === kGridLength &&
      q.kstep === p.kstep &&
      q.kmin === p.kmin &&
      q.kmax === p.kmax &&
      q.dk === p.dk &&
      q.dk2 === p.dk2 &&
      q.window === p.window
    )
      return e.w;
  }
  const w = ftwindow(uniformGrid(p.kstep, kGridLength), {
    xmin: p.kmin,
    xmax: p.kmax,
    dx: p.dk,
    dx2: p.dk2,
    window: p.window,
  });
  windowCache.unshift({ n: kGridLength, p: { ...p }, w });
  if (windowCache.length > 32) windowCache.pop();
  return w;
}

function checkK(k: ArrayLike<number>, chi: ArrayLike<number>, fn: string): void {
  // one pass for valid input; the checks below name the problem otherwise
  const n = k?.length;
  if (
    typeof n === 'number' &&
    n >= 2 &&
    chi?.length === n &&
    Number.isFinite(k[0]) &&
    Number.isFinite(chi[0])
  ) {
    let ok = true;
    for (let i = 1; i < n; i++) {
      const v = k[i];
      if (!(Number.isFinite(v) && Number.isFinite(chi[i]) && v > k[i - 1])) {
        ok = false;
        break;
      }
    }
    if (ok) return;
  }
  checkArray(k, `${fn}: k`, 2);
  checkArray(chi, `${fn}: chi`, 2);
  if (k.length !== chi.length) {
    throw new XasInputError(`${fn}: k has ${k.length} points but chi has ${chi.length}`, {
      field: 'chi',
      expected: 'arrays of equal length',
    });
  }
  for (let i = 1; i < k.length; i++) {
    if (!(k[i] > k[i - 1]))
      throw new XasInputError(`${fn}: k is not increasing at index ${i}`, {
        field: 'k',
        expected: 'strictly increasing k',
      });
  }
}

/** Forward XAFS Fourier transform χ(k) → χ(R) (Larch xftf). */
export function xftf(k: ArrayLike<number>, chi: ArrayLike<number>, opts: XftfOptions = {}): XftfResult {
  return inScope(0, () => runXftf(k, chi, opts));
}

function runXftf(k: ArrayLike<number>, chi: ArrayLike<number>, opts: XftfOptions): XftfResult {
  checkK(k, chi, 'xftf');
  const p = resolveXftfParams(opts);
  const kmaxData = k[k.length - 1]; // k increases
  if (!(p.kmin < kmaxData)) {
    throw new XasInputError(`xftf: kmin (${p.kmin}) is beyond the data (k ≤ ${kmaxData})`, {
      field: 'kmin',
      expected: 'kmin below the highest k of chi',
    });
  }
  // xftf_prep: k^w·χ on the uniform grid up to max(k), times the window on that grid
  const npts = Math.trunc(1.01 + kmaxData / p.kstep);
  const kMax = Math.max(kmaxData, p.kmax + p.dk2);
  const win = cachedWindow(Math.trunc(1.01 + kMax / p.kstep), p);
  let onGrid = k.length >= npts;
  for (let i = 0; onGrid && i < npts; i++) onGrid = k[i] === p.kstep * i;
  const chiGrid = onGrid ? chi : npInterp(uniformGrid(p.kstep, npts), k, chi);
  if (npts > p.nfft) {
    throw new XasInputError(`xftf: ${npts} k points do not fit nfft = ${p.nfft}`, {
      field: 'nfft',
      expected: 'a larger nfft or kstep',
    });
  }
  const cchi = tmpF64(npts);
  for (let i = 0; i < npts; i++) cchi[i] = chiGrid[i] * powInt(p.kstep * i, p.kweight) * win[i];
  const rstep = Math.PI / (p.kstep * p.nfft);
  const irmax = Math.trunc(Math.min(p.nfft / 2, 1.01 + p.rmax_out / rstep));
  const f = p.kstep / SQRT_PI;
  reserveOut(5 * irmax + Math.min(npts, chi.length));
  const r = outF64(irmax);
  for (let i = 0; i < irmax; i++) r[i] = rstep * i;
  const kwin = outF64(Math.min(npts, chi.length));
  kwin.set(win.subarray(0, kwin.length));
  // xftf_fast restricted to the R points kept
  const wasm = processWasm();
  if (wasm && (p.nfft & (p.nfft - 1)) === 0 && p.nfft >= 4) {
    const t = wasm.xftfTransform(cchi, p.nfft, irmax, f);
    return { r, chirRe: t.re, chirIm: t.im, chirMag: t.mag, chirPha: t.pha, kwin, params: p };
  }
  const spec = realFftHalf(cchi, p.nfft, irmax);
  const chirRe = outF64(irmax);
  const chirIm = outF64(irmax);
  const chirMag = outF64(irmax);
  for (let i = 0; i < irmax; i++) {
    const re = f * spec[2 * i];
    const im = f * spec[2 * i + 1];
    chirRe[i] = re;
    chirIm[i] = im;
    chirMag[i] = Math.sqrt(re * re + im * im);
  }
  return { r, chirRe, chirIm, chirMag, chirPha: complexPhase(chirRe, chirIm), kwin, params: p };
}

export interface XftrOptions {
  /** Start of the R window (Å), default 0. */
  rmin?: number;
  /** End of the R window (Å), default 20. */
  rmax?: number;
  /** Window taper (Å), default 1. */
  dr?: number;
  /** Taper at rmax, default dr. */
  dr2?: number;
  /** R-weight exponent, default 0 (Larch's rw / rweight). */
  rweight?: number;
  /** Window shape, default 'kaiser'. */
  window?: string;
  /** Highest q in the output (Å⁻¹), default 30. */
  qmax_out?: number;
  /** FFT length, default 2048. */
  nfft?: number;
}

export interface XftrParams {
  rmin: number;
  rmax: number;
  dr: number;
  dr2: number;
  rweight: number;
  window: string;
  qmax_out: number;
  nfft: number;
}

export interface XftrResult {
  /** q grid (Å⁻¹), Larch's linspace(0, qmax_out, int(1.05 + qmax_out/kstep)). */
  q: Float64Array;
  chiqRe: Float64Array;
  chiqIm: Float64Array;
  chiqMag: Float64Array;
  chiqPha: Float64Array;
  /** Window Ω(R) (length of the input χ(R)). */
  rwin: Float64Array;
  params: XftrParams;
}

/**
 * Reverse XAFS Fourier transform χ(R) → χ(q) (Larch xftr). chirIm = null means a real χ(R)
 * (Larch then applies no ½ factor).
 */
export function xftr(
  r: ArrayLike<number>,
  chirRe: ArrayLike<number>,
  chirIm: ArrayLike<number> | null,
  opts: XftrOptions & { rw?: number } = {},
): XftrResult {
  checkK(r, chirRe, 'xftr');
  if (chirIm) checkArray(chirIm, 'xftr: chirIm', chirRe.length);
  if (chirIm && chirIm.length !== chirRe.length) {
    throw new XasInputError(`xftr: chirIm has ${chirIm.length} points but chirRe has ${chirRe.length}`, {
      field: 'chirIm',
      expected: 'equal lengths',
    });
  }
  const dr = checkNumber(opts.dr ?? 1, 'dr');
  const p: XftrParams = {
    rmin: checkNumber(opts.rmin ?? 0, 'rmin'),
    rmax: checkNumber(opts.rmax ?? 20, 'rmax'),
    dr,
    dr2: optNumber(opts.dr2, 'dr2') ?? dr,
    rweight: checkNumber(opts.rweight ?? opts.rw ?? 0, 'rweight'),
    window: canonicalWindow(opts.window ?? 'kaiser'),
    qmax_out: checkNumber(opts.qmax_out ?? 30, 'qmax_out', { min: 0 }),
    nfft: checkNumber(opts.nfft ?? 2048, 'nfft', { integer: true, min: 4 }),
  };
  if (!(p.rmax > p.rmin))
    throw new XasInputError(`rmax (${p.rmax}) is not above rmin (${p.rmin})`, {
      field: 'rmax',
      expected: 'rmax > rmin',
    });
  const n = chirRe.length;
  if (n > p.nfft)
    throw new XasInputError(`xftr: ${n} R points do not fit nfft = ${p.nfft}`, {
      field: 'nfft',
      expected: 'a larger nfft',
    });
  const rstep = r[1] - r[0];
  const kstep = Math.PI / (rstep * p.nfft);
  const rGrid = uniformGrid(rstep, p.nfft);
  const win = ftwindow(rGrid, { xmin: p.rmin, xmax: p.rmax, dx: p.dr, dx2: p.dr2, window: p.window });
  const buf = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const w = win[i] * powInt(rGrid[i], p.rweight);
    buf[2 * i] = chirRe[i] * w;
    buf[2 * i + 1] = chirIm ? chirIm[i] * w : 0;
  }
  const inv = complexIfft(buf, p.nfft);
  const scale = chirIm ? 0.5 : 1.0;
  const f = (4 * SQRT_PI) / kstep;
  const q = linspace(0, p.qmax_out, Math.trunc(1.05 + p.qmax_out / kstep));
  const nq = q.length;
  if (nq > p.nfft / 2) {
    throw new XasInputError(`xftr: qmax_out = ${p.qmax_out} needs ${nq} points but nfft/2 = ${p.nfft / 2}`, {
      field: 'qmax_out',
      expected: `qmax_out below ${(kstep * p.nfft) / 2}`,
    });
  }
  const chiqRe = new Float64Array(nq);
  const chiqIm = new Float64Array(nq);
  const chiqMag = new Float64Array(nq);
  for (let i = 0; i < nq; i++) {
    chiqRe[i] = scale * (f * inv[2 * i]);
    chiqIm[i] = scale * (f * inv[2 * i + 1]);
    chiqMag[i] = Math.sqrt(chiqRe[i] ** 2 + chiqIm[i] ** 2);
  }
  return {
    q,
    chiqRe,
    chiqIm,
    chiqMag,
    chiqPha: complexPhase(chiqRe, chiqIm),
    rwin: win.slice(0, n),
    params: p,
  };
}
