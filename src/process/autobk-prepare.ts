/**
 * Setting up AUTOBK exactly as Larch 0.9.58 does (larch/xafs/autobk.py): parameter defaults and
 * resolution, the k grids (measured k from E0 and the uniform grid k = kstep·i), the window, the
 * number and placement of the spline knots, Larch's starting spline, and the linear model of the
 * residual (see autobk-design.ts).
 */
import { XasInputError } from '../core/errors.js';
import { outF64, reserveOut, tmpF64 } from './arena.js';
import { indexNearestSorted, indexOfSorted, powInt, removeDups } from './array-utils.js';
import {
  type AutobkDesign,
  buildDesign,
  type ChiBasis,
  cachedDesign,
  chiBasisFromKnots,
  lowRTransform,
} from './autobk-design.js';
import type { ClampRows } from './autobk-solve.js';
import type { AutobkOptions, AutobkParams } from './autobk-types.js';
import { bsplineDesign, designTimes, interpolatingKnots } from './bspline.js';
import { ETOK } from './constants.js';
import { splineInterpolate } from './cubic-spline.js';
import { canonicalWindow, ftwindow } from './ftwindow.js';
import { lstsq } from './linalg.js';
import { preEdge } from './pre-edge.js';
import { checkArray, checkNumber, checkSpectrum, optNumber } from './validate.js';
import { npInterp } from './xft.js';

export interface Prepared {
  e: Float64Array;
  mu: ArrayLike<number>;
  p: AutobkParams;
  ie0: number;
  iemax: number;
  kr: Float64Array;
  kout: Float64Array;
  ftwin: Float64Array;
  irbkg: number;
  nspl: number;
  knots: Float64Array;
  splK: Float64Array;
  splIdx: Int32Array;
  fastPath: boolean;
}

interface FitWindowEntry {
  n: number;
  kstep: number;
  kmin: number;
  kmax: number;
  dk: number;
  win: string;
  kweight: number;
  w: Float64Array;
}
const fitWindows: FitWindowEntry[] = [];

/** Drops the cached fit windows. */
export function clearFitWindows(): void {
  fitWindows.length = 0;
}

/** Ω(k)·k^kweight on the uniform grid; the same for every spectrum with the same k range and settings. */
function fitWindow(
  kout: Float64Array,
  kmin: number,
  kmax: number,
  dk: number,
  win: string,
  kweight: number,
  kstep: number,
): Float64Array {
  const n = kout.length;
  for (const e of fitWindows) {
    if (
      e.n === n &&
      e.kstep === kstep &&
      e.kmin === kmin &&
      e.kmax === kmax &&
      e.dk === dk &&
      e.win === win &&
      e.kweight === kweight
    )
      return e.w;
  }
  const w = ftwindow(kout, { xmin: kmin, xmax: kmax, window: win, dx: dk, dx2: dk });
  for (let i = 0; i < n; i++) w[i] *= powInt(kout[i], kweight);
  fitWindows.unshift({ n, kstep, kmin, kmax, dk, win, kweight, w });
  if (fitWindows.length > 64) fitWindows.pop();
  return w;
}

/**
 * energyDedup: the energies already checked and passed through remove_dups together with mu (the chain
 * does this once in pre_edge); otherwise both are checked here.
 */
export function prepare(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  opts: AutobkOptions,
  energyDedup?: Float64Array,
): Prepared {
  if (!energyDedup) checkSpectrum(energyEv, mu, 'autobk');
  const e = energyDedup ?? removeDups(energyEv);
  const n = e.length;
  let e0 = optNumber(opts.e0, 'e0');
  let edgeStep = optNumber(opts.edge_step, 'edge_step');
  if (e0 !== undefined && (e0 < e[0] || e0 > e[n - 1])) {
    throw new XasInputError(`autobk: e0 = ${e0} eV is outside the data`, {
      field: 'e0',
      expected: `an energy between ${e[0]} and ${e[n - 1]} eV`,
    });
  }
  if (e0 === undefined || edgeStep === undefined) {
    const pre = preEdge(e, mu, opts.pre_edge_kws ?? {});
    e0 ??= pre.e0;
    edgeStep ??= pre.edgeStep;
  }
  if (!(edgeStep !== 0))
    throw new XasInputError('autobk: edge_step is 0', {
      field: 'edge_step',
      expected: 'a non-zero edge step',
    });

  const nfft = checkNumber(opts.nfft ?? 2048, 'nfft', { integer: true, min: 4 });
  if ((nfft & (nfft - 1)) !== 0)
    throw new XasInputError(`nfft is ${nfft}`, { field: 'nfft', expected: 'a power of two' });
  const kstep = checkNumber(opts.kstep ?? 0.05, 'kstep', { min: Number.MIN_VALUE });
  const kweight = checkNumber(opts.kweight ?? 1, 'kweight');
  const dk = checkNumber(opts.dk ?? 0.1, 'dk');
  const win = canonicalWindow(opts.win ?? 'hanning', 'win');
  const kmin = checkNumber(opts.kmin ?? 0, 'kmin', { min: 0 });
  const nclamp = checkNumber(opts.nclamp ?? 3, 'nclamp', { integer: true, min: 0 });
  const clampLo = checkNumber(opts.clamp_lo ?? 0, 'clamp_lo');
  const clampHi = checkNumber(opts.clamp_hi ?? 1, 'clamp_hi');
  const errSigma = checkNumber(opts.err_sigma ?? 1, 'err_sigma', { min: Number.MIN_VALUE });
  const nknotsIn = optNumber(opts.nknots, 'nknots', { integer: true, min: 1 });
  const solver = opts.solver ?? 'larch';
  if (solver !== 'larch' && solver !== 'exact') {
    throw new XasInputError(`autobk: solver is '${String(solver)}'`, {
      field: 'solver',
      expected: "'larch' or 'exact'",
    });
  }

  const ie0 = indexOfSorted(e, e0);
  const rgrid = Math.PI / (kstep * nfft);
  let rbkg = checkNumber(opts.rbkg ?? 1, 'rbkg', { min: 0 });
  if (rbkg < 2 * rgrid) rbkg = 2 * rgrid;

  const kraw = tmpF64(n - ie0);
  for (let i = ie0; i < n; i++) {
    const enpe = e[i] - e0;
    kraw[i - ie0] = Math.sign(enpe) * Math.sqrt(ETOK * Math.abs(enpe));
  }
  const kmaxData = kraw[kraw.length - 1];
  const kmaxIn = optNumber(opts.kmax, 'kmax');
  const kmax = kmaxIn === undefined ? kmaxData : Math.max(0, Math.min(kmaxData, kmaxIn));
  if (!(kmax > kmin)) {
    throw new XasInputError(
      `autobk: kmin = ${kmin} is not below kmax = ${kmax} Å⁻¹ (the data reach k = ${kmaxData.toFixed(3)})`,
      {
        field: 'kmin',
        expected: 'kmin < kmax within the measured k range',
      },
    );
  }
  const nkout = Math.trunc(1.01 + kmax / kstep);
  // autobk's results: k, χ, δχ; bkg, chie, δbkg on the energy grid; knots and coefficients
  reserveOut(3 * nkout + 3 * n + 2 * 128 + 4);
  const kout = outF64(nkout);
  for (let i = 0; i < kout.length; i++) kout[i] = kstep * i;
  const iemax = Math.min(n, 2 + indexOfSorted(e, e0 + (kmax * kmax) / ETOK)) - 1;
  const ftwin = fitWindow(kout, kmin, kmax, dk, win, kweight, kstep);

  let nspl = 1 + Math.trunc((2 * rbkg * (kmax - kmin)) / Math.PI);
  const irbkg = Math.trunc(1 + ((nspl - 1) * Math.PI) / (2 * rgrid * (kmax - kmin)));
  if (nknotsIn !== undefined) nspl = nknotsIn;
  nspl = Math.max(5, Math.min(128, nspl));

  const nr = iemax - ie0 + 1;
  if (nr < nspl || nr < 5) {
    throw new XasInputError(`autobk: only ${nr} energy points between e0 and kmax for ${nspl} spline knots`, {
      field: 'kmax',
      expected: 'more data above the edge, a larger kmax or fewer nknots',
    });
  }
  const splK = tmpF64(nspl);
  const splIdx = new Int32Array(nspl);
  for (let i = 0; i < nspl; i++) {
    const q = kmin + (i * (kmax - kmin)) / (nspl - 1);
    splIdx[i] = indexNearestSorted(kraw, q);
    splK[i] = kraw[splIdx[i]];
    if (i > 0 && !(splK[i] > splK[i - 1])) {
      throw new XasInputError(
        `autobk: knots ${i - 1} and ${i} fall on the same data point (k = ${splK[i].toFixed(4)})`,
        {
          field: 'nknots',
          expected: 'fewer knots (or rbkg) for this sparse k grid',
        },
      );
    }
  }
  // The background spline is reproduced exactly by the interpolating spline of the data when each of
  // its interior knots is one of the interpolant's knots (kr[2] … kr[nr−3]).
  let fastPath = true;
  for (let i = 2; i <= nspl - 3; i++) if (splIdx[i] < 2 || splIdx[i] > nr - 3) fastPath = false;

  const p: AutobkParams = {
    e0,
    edge_step: edgeStep,
    rbkg,
    nknots: nknotsIn ?? null,
    kmin,
    kmax,
    kweight,
    dk,
    win,
    nfft,
    kstep,
    nclamp,
    clamp_lo: clampLo,
    clamp_hi: clampHi,
    calc_uncertainties: opts.calc_uncertainties ?? true,
    err_sigma: errSigma,
    solver,
  };
  return {
    e,
    mu,
    p,
    ie0,
    iemax,
    kr: kraw.subarray(0, nr),
    kout,
    ftwin,
    irbkg,
    nspl,
    knots: interpolatingKnots(splK),
    splK,
    splIdx,
    fastPath,
  };
}

/**
 * Larch's starting coefficients: the interpolating spline (splrep) through μ smoothed over ±5 points
 * (weights 1/4, 1/2, 1/4) at the knot positions.
 */
export function larchStartCoefs(pr: Prepared): Float64Array {
  const { nspl, splK, knots } = pr;
  const splY = larchStartValues(pr);
  const d = bsplineDesign(knots, 3, splK);
  const a = tmpF64(nspl * nspl, true);
  for (let i = 0; i < nspl; i++)
    for (let r = 0; r < 4; r++) a[i * nspl + d.first[i] + r] = d.values[i * 4 + r];
  return lstsq(a, nspl, nspl, splY, 'autobk starting spline');
}

/** μ smoothed over ±5 points (weights 1/4, 1/2, 1/4) at the knots: the values Larch's start interpolates. */
export function larchStartValues(pr: Prepared): Float64Array {
  const { nspl, splIdx, mu, ie0 } = pr;
  const nk = pr.e.length - ie0;
  const splY = tmpF64(nspl);
  for (let i = 0; i < nspl; i++) {
    const ik = splIdx[i];
    const i1 = Math.min(nk - 1, ik + 5);
    const i2 = Math.max(0, ik - 5);
    splY[i] = (2 * mu[ik + ie0] + mu[i1 + ie0] + mu[i2 + ie0]) / 4.0;
  }
  return splY;
}

/** S·B column by column: each background basis spline sampled at the data k, re-interpolated. */
export function generalChiBasis(
  knots: Float64Array,
  kr: Float64Array,
  kout: Float64Array,
  ncoef: number,
): ChiBasis {
  const bkr = bsplineDesign(knots, 3, kr);
  const values = new Float64Array(kout.length * ncoef);
  const unit = new Float64Array(ncoef);
  for (let j = 0; j < ncoef; j++) {
    unit.fill(0);
    unit[j] = 1;
    const col = splineInterpolate(kr, designTimes(bkr, unit), kout, 'autobk basis');
    for (let m = 0; m < kout.length; m++) values[m * ncoef + j] = col[m];
  }
  return { width: ncoef, first: new Int32Array(kout.length), values, ncoef };
}

/** Everything AUTOBK's least-squares problem needs, built from a spectrum and the options. */
export interface AutobkProblem {
  pr: Prepared;
  /** Interpolating spline of μ on the uniform k grid (χ·edge_step for zero background). */
  y: Float64Array;
  design: AutobkDesign;
  /** Low-R transform of y (minus chi_std): the constant part of the residual. */
  a: Float64Array;
  clamps: ClampRows;
}

export function autobkProblem(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  opts: AutobkOptions = {},
  energyDedup?: Float64Array,
): AutobkProblem {
  return problemOf(prepare(energyEv, mu, opts, energyDedup), mu, opts);
}

/** The least-squares problem of a prepared spectrum. */
export function problemOf(pr: Prepared, mu: ArrayLike<number>, opts: AutobkOptions): AutobkProblem {
  const { p, kr, kout, ftwin, knots, nspl } = pr;
  const irb = Math.min(pr.irbkg, p.nfft / 2);
  const muSeg = tmpF64(kr.length);
  for (let i = 0; i < kr.length; i++) muSeg[i] = mu[pr.ie0 + i];

  // χ for c = 0: the interpolating spline of μ on the uniform grid
  const y = splineInterpolate(kr, muSeg, kout, 'autobk');
  let yFit = y;
  if (opts.chi_std !== undefined || opts.k_std !== undefined) {
    if (!opts.chi_std || !opts.k_std)
      throw new XasInputError('autobk: k_std and chi_std must be given together', { field: 'chi_std' });
    checkArray(opts.k_std, 'autobk: k_std', 2);
    checkArray(opts.chi_std, 'autobk: chi_std', opts.k_std.length);
    const std = npInterp(kout, opts.k_std, opts.chi_std);
    yFit = tmpF64(y.length);
    yFit.set(y);
    for (let i = 0; i < yFit.length; i++) yFit[i] -= std[i];
  }

  // a fresh design also yields the low-R transform of y in the same pass
  let a: Float64Array;
  let design: AutobkDesign;
  if (!pr.fastPath || opts.reuse_design === false) {
    a = tmpF64(2 * irb, true);
    const basis = pr.fastPath ? chiBasisFromKnots(knots, kout) : generalChiBasis(knots, kr, kout, nspl);
    design = buildDesign(basis, ftwin, irb, p.nfft, p.kstep, yFit, a);
  } else {
    design = cachedDesign(knots, kout, ftwin, irb, p.nfft, p.kstep);
    a = lowRTransform(yFit, ftwin, irb, p.nfft, p.kstep);
  }

  const { index, weight } = clampPoints(p, kout.length);
  const clamps: ClampRows = { index, weight, y0: new Float64Array(index.length) };
  for (let i = 0; i < index.length; i++) clamps.y0[i] = yFit[index[i]];
  return { pr, y, design, a, clamps };
}

/** The clamped points of the uniform grid (nclamp at each end, low end first) and their weights. */
export function clampPoints(p: AutobkParams, nk: number): { index: Int32Array; weight: Float64Array } {
  const ncl = p.nclamp === 0 ? 0 : Math.min(p.nclamp, nk);
  const index = new Int32Array(2 * ncl);
  const weight = new Float64Array(2 * ncl);
  for (let i = 0; i < ncl; i++) {
    index[i] = i;
    weight[i] = Math.abs(p.clamp_lo);
    index[ncl + i] = nk - ncl + i;
    weight[ncl + i] = Math.abs(p.clamp_hi);
  }
  return { index, weight };
}
