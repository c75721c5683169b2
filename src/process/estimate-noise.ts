/**
 * Noise in χ(k) estimated from χ(R) at high R, as Larch 0.9.58's estimate_noise
 * (larch/xafs/estimate_noise.py): ε_R is the RMS of Re and Im χ(R) over [rmin, rmax] divided by the
 * mean window value, ε_k follows by Parseval's theorem for the k-weight, and kmax_suggest is the
 * first q above (kmin+kmax)/2 where the back-transformed |χ(q)|/q^w falls below ε_k.
 */
import { XasInputError } from '../core/errors.js';
import { indexOf } from './array-utils.js';
import { checkNumber, optNumber } from './validate.js';
import { xftf, xftr } from './xft.js';

export interface EstimateNoiseOptions {
  /** High-R range (Å) taken as pure noise, default 15 … 30. */
  rmin?: number;
  rmax?: number;
  /** k-weight, default 1. */
  kweight?: number;
  /** k window (Å⁻¹), default 0 … 20, taper dk = 4 (dk2 = dk). */
  kmin?: number;
  kmax?: number;
  dk?: number;
  dk2?: number;
  /** k grid step, default 0.05. */
  kstep?: number;
  /** Window of the forward transform, default 'kaiser' (Larch 0.9.58 always uses kaiser, see docs). */
  kwindow?: string;
  /** FFT length, default 2048. */
  nfft?: number;
}

export interface EstimateNoiseResult {
  /** Estimated noise in χ(k) (Larch's epsilon_k). */
  epsilonK: number;
  /** Estimated noise in χ(R) (Larch's epsilon_r). */
  epsilonR: number;
  /** Highest k where χ(k) stands above the noise (Larch's kmax_suggest). */
  kmaxSuggest: number;
  params: Required<Omit<EstimateNoiseOptions, 'dk2'>> & { dk2: number | null };
}

export function estimateNoise(
  k: ArrayLike<number>,
  chi: ArrayLike<number>,
  opts: EstimateNoiseOptions = {},
): EstimateNoiseResult {
  const rmin = checkNumber(opts.rmin ?? 15, 'rmin', { min: 0 });
  const rmax = checkNumber(opts.rmax ?? 30, 'rmax', { min: 0 });
  if (!(rmax > rmin))
    throw new XasInputError(`estimateNoise: rmax (${rmax}) is not above rmin (${rmin})`, {
      field: 'rmax',
      expected: 'rmax > rmin',
    });
  const kweight = checkNumber(opts.kweight ?? 1, 'kweight');
  const kmin = checkNumber(opts.kmin ?? 0, 'kmin');
  const kmax = checkNumber(opts.kmax ?? 20, 'kmax');
  const dk = checkNumber(opts.dk ?? 4, 'dk');
  const dk2 = optNumber(opts.dk2, 'dk2');
  const kstep = checkNumber(opts.kstep ?? 0.05, 'kstep', { min: Number.MIN_VALUE });
  const nfft = checkNumber(opts.nfft ?? 2048, 'nfft', { integer: true, min: 4 });
  const kwindow = opts.kwindow ?? 'kaiser';
  const rmaxOut = Math.min(10 * Math.PI, rmax + 2);
  const ft = xftf(k, chi, { kmin, kmax, rmax_out: rmaxOut, kweight, dk, dk2, window: kwindow, nfft, kstep });
  const rstep = ft.r[1] - ft.r[0];
  const irmin = Math.trunc(0.01 + rmin / rstep);
  const irmax = Math.min(nfft / 2, Math.trunc(1.01 + rmax / rstep), ft.r.length);
  if (irmax - irmin < 1) {
    throw new XasInputError(`estimateNoise: no χ(R) points in [${rmin}, ${rmax}] Å`, {
      field: 'rmin/rmax',
      expected: `a range below ${(nfft / 2) * rstep} Å`,
    });
  }
  let ss = 0;
  for (let i = irmin; i < irmax; i++) ss += ft.chirRe[i] ** 2 + ft.chirIm[i] ** 2;
  let winSum = 0;
  for (let i = 0; i < ft.kwin.length; i++) winSum += ft.kwin[i];
  const kwinAve = (winSum * kstep) / (kmax - kmin);
  const epsilonR = Math.sqrt(ss / (2 * (irmax - irmin))) / kwinAve;
  const w = 2 * kweight + 1;
  const scale = Math.sqrt((2 * Math.PI * w) / (kstep * (kmax ** w - kmin ** w)));
  const epsilonK = scale * epsilonR;

  const back = xftr(ft.r, ft.chirRe, ft.chirIm, { rmin: 0.5, rmax: 9.5, dr: 1.0, window: 'parzen', nfft });
  const iq0 = indexOf(back.q, (kmax + kmin) / 2.0);
  let kmaxSuggest = back.q[back.q.length - 1];
  for (let i = iq0; i < back.q.length; i++) {
    if (back.chiqMag[i] / back.q[i] ** kweight < epsilonK) {
      kmaxSuggest = back.q[i];
      break;
    }
  }
  if (!Number.isFinite(epsilonK) || !Number.isFinite(epsilonR)) {
    throw new XasInputError('estimateNoise: the k window holds no data (window sum is 0)', {
      field: 'kmin/kmax',
      expected: 'a k range overlapping chi(k)',
    });
  }
  return {
    epsilonK,
    epsilonR,
    kmaxSuggest,
    params: { rmin, rmax, kweight, kmin, kmax, dk, dk2: dk2 ?? null, kstep, kwindow, nfft },
  };
}
