/**
 * Energy alignment of a spectrum (or its reference channel) to a reference spectrum, as Larch 0.9.58's
 * XAS Viewer does it (larch/wxlib/xas_dialogs.py, EnergyCalibrateDialog.on_align): least-squares match
 * of the shifted, scaled derivative of the data to the derivative of the reference over
 * [E0_ref − 15, E0_ref + 35] eV, starting from the difference of the two E0s, with lmfit's bounded
 * parameters (|eshift| ≤ 50 eV, 0 ≤ scale ≤ 50) and Levenberg–Marquardt defaults.
 * Optionally (xcorr) the start is chosen by scanning the shift for the best derivative overlap, which
 * helps when the E0 estimates are far off.
 */
import { XasInputError } from '../core/errors.js';
import { derivative, indexOf, removeDups } from './array-utils.js';
import { evalSpline, notAKnotSpline } from './cubic-spline.js';
import { larchInterp } from './interp.js';
import { leastsq } from './minpack-lm.js';
import { preEdge } from './pre-edge.js';
import { checkNumber, checkSpectrum, optNumber } from './validate.js';

export interface AlignOptions {
  /** E0 of the spectrum to align (eV); from preEdge when omitted. */
  e0?: number;
  /** E0 of the reference (eV); from preEdge when omitted. */
  ref_e0?: number;
  /** Fit range relative to the reference E0 (eV), default −15 … +35. */
  emin?: number;
  emax?: number;
  /** Scan the shift over ±xcorr_range eV (step xcorr_step) for the starting value, default off. */
  xcorr?: boolean;
  xcorr_range?: number;
  xcorr_step?: number;
}

export interface AlignResult {
  /** Energy shift to add to the spectrum's energies (eV). */
  eshift: number;
  /** Scale of the derivative (fitted nuisance parameter). */
  scale: number;
  /** The spectrum's energies with the shift applied. */
  energyEv: Float64Array;
  e0: number;
  refE0: number;
  /** Sum of squared residuals of the derivative match, and the index range used on the reference grid. */
  chisqr: number;
  i1: number;
  i2: number;
  nfev: number;
  /** Starting shift of the fit. */
  eshiftStart: number;
}

const ESHIFT_MIN = -50;
const ESHIFT_MAX = 50;
const SCALE_MIN = 0;
const SCALE_MAX = 50;

/** lmfit's (MINUIT) transformation for a parameter bounded on both sides. */
const toInternal = (v: number, lo: number, hi: number) => Math.asin((2 * (v - lo)) / (hi - lo) - 1);
const fromInternal = (v: number, lo: number, hi: number) => lo + ((Math.sin(v) + 1) * (hi - lo)) / 2.0;

export function alignSpectra(
  refEnergyEv: ArrayLike<number>,
  refMu: ArrayLike<number>,
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  opts: AlignOptions = {},
): AlignResult {
  checkSpectrum(refEnergyEv, refMu, 'alignSpectra (reference)', 8, 'refMu');
  checkSpectrum(energyEv, mu, 'alignSpectra', 8);
  const refE = removeDups(refEnergyEv);
  const datE = removeDups(energyEv);
  const refE0 = optNumber(opts.ref_e0, 'ref_e0') ?? preEdge(refE, refMu).e0;
  const e0 = optNumber(opts.e0, 'e0') ?? preEdge(datE, mu).e0;
  const emin = checkNumber(opts.emin ?? -15, 'emin');
  const emax = checkNumber(opts.emax ?? 35, 'emax');
  const refD = derivative(refE, refMu);
  const datD = derivative(datE, mu);
  const i1 = indexOf(refE, refE0 + emin);
  const i2 = indexOf(refE, refE0 + emax);
  if (i2 - i1 < 3) {
    throw new XasInputError(`alignSpectra: only ${i2 - i1} reference points in [E0${emin}, E0+${emax}] eV`, {
      field: 'emin/emax',
      expected: 'a fit range holding at least 3 reference points',
    });
  }
  const target = refE.subarray(i1, i2);
  const m = i2 - i1;
  const shifted = new Float64Array(datE.length);
  const resid = (x: Float64Array, out: Float64Array) => {
    const eshift = fromInternal(x[0], ESHIFT_MIN, ESHIFT_MAX);
    const scale = fromInternal(x[1], SCALE_MIN, SCALE_MAX);
    for (let i = 0; i < datE.length; i++) shifted[i] = datE[i] + eshift;
    const y = larchInterp(shifted, datD, target, 'cubic');
    for (let i = 0; i < m; i++) out[i] = y[i] * scale - refD[i1 + i];
  };

  let start = refE0 - e0;
  if (opts.xcorr) start = scanShift(datE, datD, target, refD.subarray(i1, i2), opts);
  if (start < ESHIFT_MIN || start > ESHIFT_MAX) {
    throw new XasInputError(`alignSpectra: starting shift ${start.toFixed(2)} eV is beyond ±50 eV`, {
      field: 'e0',
      expected: 'spectra within 50 eV of each other',
    });
  }
  const x0 = new Float64Array([
    toInternal(start, ESHIFT_MIN, ESHIFT_MAX),
    toInternal(1, SCALE_MIN, SCALE_MAX),
  ]);
  const fit = leastsq(resid, m, x0, {
    ftol: 1.49012e-8,
    xtol: 1.49012e-8,
    gtol: 0,
    epsfcn: 2.220446049250313e-16,
    maxfev: 2 * 2000 * 3,
  });
  const eshift = fromInternal(fit.x[0], ESHIFT_MIN, ESHIFT_MAX);
  const scale = fromInternal(fit.x[1], SCALE_MIN, SCALE_MAX);
  const out = new Float64Array(m);
  resid(fit.x, out);
  let chisqr = 0;
  for (let i = 0; i < m; i++) chisqr += out[i] * out[i];
  const energyOut = new Float64Array(energyEv.length);
  for (let i = 0; i < energyOut.length; i++) energyOut[i] = energyEv[i] + eshift;
  return {
    eshift,
    scale,
    energyEv: energyOut,
    e0,
    refE0,
    chisqr,
    i1,
    i2,
    nfev: fit.nfev,
    eshiftStart: start,
  };
}

/** Shift maximising the normalised overlap of the derivatives over the fit range (coarse scan). */
function scanShift(
  datE: Float64Array,
  datD: Float64Array,
  target: Float64Array,
  refD: Float64Array,
  opts: AlignOptions,
): number {
  const range = checkNumber(opts.xcorr_range ?? 20, 'xcorr_range', { min: 0, max: 50 });
  const step = checkNumber(opts.xcorr_step ?? 0.05, 'xcorr_step', { min: 1e-4 });
  const sp = notAKnotSpline(datE, datD, 'alignSpectra');
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  let rr = 0;
  for (const v of refD) rr += v * v;
  for (let s = -range; s <= range + 1e-9; s += step) {
    let dd = 0;
    let dr = 0;
    for (let i = 0; i < target.length; i++) {
      const xv = target[i] - s;
      const v = xv < datE[0] || xv > datE[datE.length - 1] ? 0 : evalSpline(sp, xv);
      dd += v * v;
      dr += v * refD[i];
    }
    const score = dd > 0 ? dr / Math.sqrt(dd * rr) : Number.NEGATIVE_INFINITY;
    if (score > bestScore) {
      bestScore = score;
      best = s;
    }
  }
  return best;
}
