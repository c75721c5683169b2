/**
 * Edge energy E0 as Larch 0.9.58 finds it (larch/xafs/pre_edge.py, _finde0): the energy point of
 * largest dμ/dE (np.gradient ratio, no smoothing in this version) among points whose derivative and
 * both neighbours' derivatives exceed 10 % of the maximum, ignoring the first and last 5 % of points
 * (at least 3) where glitches and end effects live.
 */
import { XasInputError } from '../core/errors.js';
import { derivative, removeDups } from './array-utils.js';
import { checkSpectrum } from './validate.js';

/** Index of E0 in energyEv (the array as given: de-duplicate first to mirror pre_edge). */
export function findE0Index(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  dmuIn?: Float64Array,
): number {
  const n = energyEv.length;
  let dmu = dmuIn ?? derivative(energyEv, mu);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(dmu[i])) {
      if (dmu === dmuIn) dmu = new Float64Array(dmuIn);
      dmu[i] = -1;
    }
  }
  const nmin = Math.max(3, Math.trunc(n * 0.05));
  if (n - 2 * nmin < 1) {
    throw new XasInputError(`findE0: ${n} points leave nothing after skipping ${nmin} points at each end`, {
      field: 'energyEv',
      expected: `more than ${2 * nmin} points`,
    });
  }
  let maxdmu = Number.NEGATIVE_INFINITY;
  for (let i = nmin; i < n - nmin; i++) if (dmu[i] > maxdmu) maxdmu = dmu[i];
  // a point qualifies when it and both neighbours exceed 10 % of the maximum
  const high = maxdmu * 0.1;
  let best = -1;
  let bestDmu = 0;
  const last = Math.min(n - nmin, n - 2);
  for (let i = Math.max(nmin, 1); i <= last; i++) {
    const d = dmu[i];
    if (d > high && d > bestDmu && dmu[i + 1] > high && dmu[i - 1] > high) {
      best = i;
      bestDmu = d;
    }
  }
  if (best < 0) {
    throw new XasInputError(
      'findE0: no absorption edge found (no rising point whose neighbours also rise steeply)',
      {
        field: 'mu',
        expected: 'a spectrum with an edge step, or an explicit e0',
      },
    );
  }
  return best;
}

/**
 * E0 (eV) of a spectrum: find_e0 applied, as Larch's pre_edge does, to the de-duplicated energies.
 * Energies must be non-decreasing (sort with sortXafs first).
 */
export function findE0(energyEv: ArrayLike<number>, mu: ArrayLike<number>): number {
  checkSpectrum(energyEv, mu, 'findE0');
  const e = removeDups(energyEv);
  return e[findE0Index(e, mu)];
}
