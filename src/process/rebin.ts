/**
 * Rebinning onto a standard three-region XAFS grid as Larch 0.9.58's rebin_xafs
 * (larch/xafs/rebin_xafs.py): pre-edge [pre1, pre2] in steps of pre_step, XANES [pre2, exafs1] in steps
 * of xanes_step (at least the mean data step rounded up to 0.05 eV), and EXAFS [exafs1, exafs2] in
 * uniform k steps; every input point is assigned to one output bin, whose value is the centroid
 * mean(μ·E)/mean(E) (Larch's 'centroid') or mean(μ) ('boxcar'), or a linear interpolation when the bin
 * holds fewer than 3 points.
 */
import { XasInputError } from '../core/errors.js';
import { indexOf, linspace, maxOf, minOf } from './array-utils.js';
import { etok, ktoe } from './constants.js';
import { checkNumber, checkSpectrum, optNumber } from './validate.js';

export interface RebinOptions {
  /** Edge energy (eV), required (Larch: 'need e0'). */
  e0: number;
  /** Pre-edge start relative to E0 (eV), default the first energy rounded down to pre_step. */
  pre1?: number;
  /** End of the pre-edge region (eV), default −30. */
  pre2?: number;
  /** Pre-edge step (eV), default 2. */
  pre_step?: number;
  /** XANES step (eV), default from the data; never finer than the data. */
  xanes_step?: number;
  /** Start of the EXAFS region (eV), default 15. */
  exafs1?: number;
  /** End of the EXAFS region (eV), default the last energy. */
  exafs2?: number;
  /** EXAFS k step (Å⁻¹), default 0.05. */
  exafs_kstep?: number;
  /** 'centroid' (default) or 'boxcar'. */
  method?: 'centroid' | 'boxcar';
}

export interface RebinResult {
  energyEv: Float64Array;
  mu: Float64Array;
  /** Standard deviation of μ within each bin (0 for a bin with no measured point; Larch gives NaN). */
  deltaMu: Float64Array;
  /** 1 where the bin value was interpolated (fewer than 3 points in the bin). */
  interpolated: Uint8Array;
  params: Required<Omit<RebinOptions, 'method'>> & { method: 'centroid' | 'boxcar' };
}

/** scipy interp1d(x[j0:jx], y[j0:jx]) at one point; NaN outside, as scipy's default fill. */
function segmentInterp(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  j0: number,
  jx: number,
  xv: number,
): number {
  const end = Math.min(jx, x.length);
  if (end - j0 < 2) return Number.NaN;
  if (xv < x[j0] || xv > x[end - 1]) return Number.NaN;
  let idx = j0 + 1;
  while (idx < end - 1 && x[idx] < xv) idx++;
  const slope = (y[idx] - y[idx - 1]) / (x[idx] - x[idx - 1]);
  return slope * (xv - x[idx - 1]) + y[idx - 1];
}

export function rebinXafs(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  opts: RebinOptions,
): RebinResult {
  checkSpectrum(energyEv, mu, 'rebinXafs', 8);
  const e0 = checkNumber(opts?.e0, 'e0');
  const preStep = checkNumber(opts.pre_step ?? 2, 'pre_step', { min: Number.MIN_VALUE });
  const emin = minOf(energyEv);
  const emax = maxOf(energyEv);
  if (e0 < emin || e0 > emax)
    throw new XasInputError(`rebinXafs: e0 = ${e0} eV is outside the data`, {
      field: 'e0',
      expected: `an energy between ${emin} and ${emax} eV`,
    });
  const pre1 = optNumber(opts.pre1, 'pre1') ?? preStep * Math.trunc((emin - e0) / preStep);
  const pre2 = checkNumber(opts.pre2 ?? -30, 'pre2');
  const exafs1 = checkNumber(opts.exafs1 ?? 15, 'exafs1', { min: 0 });
  const exafs2 = optNumber(opts.exafs2, 'exafs2') ?? emax - e0;
  const kstep = checkNumber(opts.exafs_kstep ?? 0.05, 'exafs_kstep', { min: Number.MIN_VALUE });
  const method = opts.method ?? 'centroid';
  if (method !== 'centroid' && method !== 'boxcar')
    throw new XasInputError(`rebinXafs: method '${String(method)}'`, {
      field: 'method',
      expected: "'centroid' or 'boxcar'",
    });
  if (!(pre1 < pre2 && pre2 < exafs1 && exafs1 < exafs2)) {
    throw new XasInputError(
      `rebinXafs: regions out of order (pre1 ${pre1}, pre2 ${pre2}, exafs1 ${exafs1}, exafs2 ${exafs2})`,
      {
        field: 'pre1/pre2/exafs1/exafs2',
        expected: 'pre1 < pre2 < exafs1 < exafs2 (relative to e0, within the data)',
      },
    );
  }
  const npts = energyEv.length;
  const n1 = Math.max(2, Math.trunc(npts / 100.0));
  let deSum = 0;
  for (let i = n1 + 1; i < npts - n1; i++) deSum += energyEv[i] - energyEv[i - 1];
  const deMean = deSum / (npts - 2 * n1 - 1);
  const xanesDef = Math.max(0.1, 0.05 * (1 + Math.trunc(deMean / 0.05)));
  const xanesIn = optNumber(opts.xanes_step, 'xanes_step', { min: Number.MIN_VALUE });
  const xanesStep = xanesIn === undefined ? xanesDef : Math.max(xanesIn, xanesDef);

  const en: number[] = [];
  for (const [start0, stop0, step, isk] of [
    [pre1, pre2, preStep, false],
    [pre2, exafs1, xanesStep, false],
    [exafs1, exafs2, kstep, true],
  ] as const) {
    const start = isk ? etok(start0) : start0;
    const stop = isk ? etok(stop0) : stop0;
    const reg = linspace(start + step, stop, Math.trunc(0.1 + Math.abs(stop - start) / step));
    for (const v of reg) en.push(e0 + (isk ? ktoe(v) : v));
  }
  const nout = en.length;
  const bounds = en.map((v) => indexOf(energyEv, v));
  const muOut = new Float64Array(nout);
  const errOut = new Float64Array(nout);
  const interpolated = new Uint8Array(nout);
  let j0 = 0;
  for (let i = 0; i < nout; i++) {
    const j1 = i === nout - 1 ? npts - 1 : Math.trunc((bounds[i] + bounds[i + 1] + 1) / 2.0);
    let val: number;
    if (j1 - j0 < 3) {
      let jx = j1 + 1;
      if (jx - j0 < 2) jx += 1;
      val = segmentInterp(energyEv, mu, j0, jx, en[i]);
      interpolated[i] = 1;
    } else if (method === 'boxcar') {
      let s = 0;
      for (let j = j0; j < j1; j++) s += mu[j];
      val = s / (j1 - j0);
    } else {
      let s = 0;
      let se = 0;
      for (let j = j0; j < j1; j++) {
        s += mu[j] * energyEv[j];
        se += energyEv[j];
      }
      val = s / (j1 - j0) / (se / (j1 - j0));
    }
    if (!Number.isFinite(val)) {
      throw new XasInputError(
        `rebinXafs: output energy ${en[i].toFixed(3)} eV has no data to interpolate from`,
        {
          field: 'pre1/exafs2',
          expected: 'output regions inside the measured energy range',
        },
      );
    }
    muOut[i] = val;
    if (j1 > j0) {
      let m = 0;
      for (let j = j0; j < j1; j++) m += mu[j];
      m /= j1 - j0;
      let v = 0;
      for (let j = j0; j < j1; j++) v += (mu[j] - m) ** 2;
      errOut[i] = Math.sqrt(v / (j1 - j0));
    }
    j0 = j1;
  }
  return {
    energyEv: Float64Array.from(en),
    mu: muOut,
    deltaMu: errOut,
    interpolated,
    params: {
      e0,
      pre1,
      pre2,
      pre_step: preStep,
      xanes_step: xanesStep,
      exafs1,
      exafs2,
      exafs_kstep: kstep,
      method,
    },
  };
}
