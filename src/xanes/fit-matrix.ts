/**
 * The common grid of a linear analysis (Larch 0.9.58 groups2matrix): the unknown's own energies
 * between index_of(xmin) and index_of(xmax) inclusive, with every reference interpolated onto them
 * by Larch's cubic interp. Unlike Larch, which extrapolates silently, a fit range reaching beyond a
 * reference's measured energies is an error (or, if allowed, a warning), and so are references that
 * hold no finite values or a grid too small to fit.
 */
import { XasInputError } from '../core/errors.js';
import { indexOf } from '../process/array-utils.js';
import { interpCubic } from './interp.js';

/** One curve taking part in a linear analysis: its label and the array being analysed. */
export interface Curve {
  label: string;
  energyEv: Float64Array;
  y: Float64Array;
}

export interface FitMatrix {
  /** Energies of the fit (the unknown's, within the range). */
  x: Float64Array;
  /** The unknown on x. */
  y: Float64Array;
  /** References on x, row-major npts × ncomps. */
  a: Float64Array;
  npts: number;
  ncomps: number;
  labels: string[];
  warnings: string[];
}

export interface FitRangeOptions {
  xmin?: number;
  xmax?: number;
  /** Tolerated extrapolation beyond a reference's data, in eV (default 0: none). */
  extrapolateEv?: number;
  /** Extrapolate with a warning instead of failing (Larch's behaviour). Default false. */
  allowExtrapolation?: boolean;
}

function checkCurve(c: Curve, role: string): void {
  const n = c.energyEv.length;
  if (n < 5 || c.y.length !== n) {
    throw new XasInputError(`${role} '${c.label}' has ${n} energies and ${c.y.length} values`, {
      field: c.label,
      expected: 'at least 5 points and one value per energy',
    });
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(c.energyEv[i]) || !Number.isFinite(c.y[i])) {
      throw new XasInputError(`${role} '${c.label}' has a non-finite value at point ${i}`, {
        field: c.label,
        expected: 'finite energies and values',
      });
    }
    if (i > 0 && !(c.energyEv[i] > c.energyEv[i - 1])) {
      throw new XasInputError(`${role} '${c.label}': energies are not strictly increasing at point ${i}`, {
        field: c.label,
        expected: 'sorted energies without duplicates (process the spectrum first)',
      });
    }
  }
}

/** Median point spacing of the energies within [lo, hi] (Infinity with fewer than 2 points). */
export function spacingWithin(e: ArrayLike<number>, lo: number, hi: number): number {
  const d: number[] = [];
  for (let i = 1; i < e.length; i++) if (e[i] >= lo && e[i - 1] <= hi) d.push(e[i] - e[i - 1]);
  if (d.length === 0) return Infinity;
  d.sort((p, q) => p - q);
  return d[Math.floor(d.length / 2)];
}

/** Slice [i0, i1) of energies selected by Larch's rule for (xmin, xmax). */
export function fitSlice(energyEv: ArrayLike<number>, xmin = -Infinity, xmax = Infinity): [number, number] {
  const i0 = Number.isFinite(xmin) ? indexOf(energyEv, xmin) : 0;
  const i1 = Number.isFinite(xmax) ? indexOf(energyEv, xmax) + 1 : energyEv.length;
  return [i0, i1];
}

export function buildFitMatrix(unknown: Curve, refs: Curve[], opts: FitRangeOptions = {}): FitMatrix {
  if (refs.length === 0) {
    throw new XasInputError('no references given', {
      field: 'refs',
      expected: 'at least one reference spectrum',
    });
  }
  checkCurve(unknown, 'spectrum');
  refs.forEach((r) => {
    checkCurve(r, 'reference');
  });
  const labels = refs.map((r) => r.label);
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup !== undefined) {
    throw new XasInputError(`two references are labelled '${dup}'`, {
      field: 'refs',
      expected: 'distinct reference names',
    });
  }
  const xmin = opts.xmin ?? -Infinity;
  const xmax = opts.xmax ?? Infinity;
  if (!(xmin < xmax)) {
    throw new XasInputError(`fit range ${xmin} to ${xmax} eV is empty`, {
      field: 'xmin/xmax',
      expected: 'xmin < xmax',
    });
  }
  const e = unknown.energyEv;
  if (xmax < e[0] || xmin > e[e.length - 1]) {
    throw new XasInputError(
      `fit range ${xmin} to ${xmax} eV lies outside the spectrum '${unknown.label}' (${e[0]} to ${e[e.length - 1]} eV)`,
      { field: 'xmin/xmax', expected: 'a range overlapping the measured energies' },
    );
  }
  const [i0, i1] = fitSlice(e, xmin, xmax);
  const npts = i1 - i0;
  const ncomps = refs.length;
  if (npts <= ncomps) {
    throw new XasInputError(`the fit range holds ${npts} points for ${ncomps} references`, {
      field: 'xmin/xmax',
      expected: 'more energy points than references (widen the range)',
    });
  }
  const x = e.slice(i0, i1);
  const y = unknown.y.slice(i0, i1);
  const warnings: string[] = [];
  const tol = opts.extrapolateEv ?? 0;
  const a = new Float64Array(npts * ncomps);
  const dataSpacing = spacingWithin(x, x[0], x[npts - 1]);
  refs.forEach((r, j) => {
    const lo = r.energyEv[0];
    const hi = r.energyEv[r.energyEv.length - 1];
    if (x[0] < lo - tol || x[npts - 1] > hi + tol) {
      const msg =
        `reference '${r.label}' covers ${lo} to ${hi} eV but the fit needs ${x[0]} to ${x[npts - 1]} eV` +
        ` (the spectrum extends outside the references' energy range)`;
      if (!opts.allowExtrapolation) {
        throw new XasInputError(msg, { field: r.label, expected: 'a fit range inside every reference' });
      }
      warnings.push(`${msg}; values were extrapolated`);
    }
    const sp = spacingWithin(r.energyEv, x[0], x[npts - 1]);
    if (sp > 2 * dataSpacing) {
      warnings.push(
        `reference '${r.label}' is sampled every ${sp.toFixed(2)} eV on the fit range, coarser than the spectrum (${dataSpacing.toFixed(2)} eV): interpolation may smooth its features`,
      );
    }
    const v = interpCubic(r.energyEv, r.y, x, `reference '${r.label}'`);
    for (let i = 0; i < npts; i++) a[i * ncomps + j] = v[i];
  });
  return { x, y, a, npts, ncomps, labels, warnings };
}
