/**
 * Merging repeated scans as Larch 0.9.58's merge_groups (larch/io/mergegroups.py): every scan is
 * interpolated (cubic by default) onto the de-duplicated energy grid of a master scan, then averaged;
 * the spread is the population standard deviation. The grid is trimmed to the common high-energy end,
 * and if cubic interpolation makes the mean much rougher than the master (max step > 50× the master's)
 * the merge is redone with linear interpolation.
 */
import { XasInputError } from '../core/errors.js';
import { indexOf, maxOf, minOf, removeDups } from './array-utils.js';
import { checkInterpKind, type InterpKind, larchInterp } from './interp.js';
import { checkNumber, checkSpectrum } from './validate.js';

export interface ScanInput {
  energyEv: ArrayLike<number>;
  mu: ArrayLike<number>;
}

export interface MergeOptions {
  /** Index of the scan whose energy grid is used, default 0. */
  master?: number;
  /** Interpolation, default 'cubic'. */
  kind?: InterpKind;
  /** Trim the grid to the shortest common energy range at the high end, default true. */
  trim?: boolean;
}

export interface MergeResult {
  energyEv: Float64Array;
  /** Mean μ over the scans. */
  mu: Float64Array;
  /** Population standard deviation of μ over the scans (Larch's mu_std). */
  muStd: Float64Array;
  /** Interpolation actually used (cubic falls back to linear as in Larch). */
  kind: InterpKind;
  nscans: number;
  params: { master: number; kind: InterpKind; trim: boolean };
}

function maxDiff(a: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 1; i < a.length; i++) m = Math.max(m, a[i] - a[i - 1]);
  return m;
}

export function mergeGroups(scans: ScanInput[], opts: MergeOptions = {}): MergeResult {
  if (!Array.isArray(scans) || scans.length === 0) {
    throw new XasInputError('mergeGroups: no scans given', { field: 'scans', expected: 'at least one scan' });
  }
  const master = checkNumber(opts.master ?? 0, 'master', { integer: true, min: 0, max: scans.length - 1 });
  const kind = checkInterpKind(opts.kind ?? 'cubic');
  const trim = opts.trim ?? true;
  for (const [i, s] of scans.entries()) checkSpectrum(s.energyEv, s.mu, `mergeGroups: scan ${i}`, 5);
  return mergeWith(scans, master, kind, trim, opts.kind ?? 'cubic');
}

function mergeWith(
  scans: ScanInput[],
  master: number,
  kind: InterpKind,
  trim: boolean,
  requested: InterpKind,
): MergeResult {
  let xout = removeDups(scans[master].energyEv);
  const xmins = [minOf(xout)];
  const xmaxs = [maxOf(xout)];
  const n = xout.length;
  const sum = new Float64Array(n);
  const vals: Float64Array[] = [];
  for (const s of scans) {
    const y = larchInterp(s.energyEv, s.mu, xout, kind);
    vals.push(y);
    for (let i = 0; i < n; i++) sum[i] += y[i];
    xmins.push(minOf(s.energyEv));
    xmaxs.push(maxOf(s.energyEv));
  }
  let mu = new Float64Array(n);
  let muStd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mean = sum[i] / scans.length;
    let v = 0;
    for (const y of vals) v += (y[i] - mean) ** 2;
    mu[i] = mean;
    muStd[i] = Math.sqrt(v / scans.length);
  }
  if (trim) {
    const ixmin = indexOf(xout, Math.min(...xmins));
    const ixmax = indexOf(xout, Math.min(...xmaxs));
    xout = xout.slice(ixmin, ixmax);
    mu = mu.slice(ixmin, ixmax);
    muStd = muStd.slice(ixmin, ixmax);
  }
  if (kind === 'cubic' && maxDiff(mu) > 50 * maxDiff(scans[master].mu)) {
    return mergeWith(scans, master, 'linear', trim, requested);
  }
  return { energyEv: xout, mu, muStd, kind, nscans: scans.length, params: { master, kind: requested, trim } };
}
