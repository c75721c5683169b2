/**
 * Sorting a spectrum by energy as Larch 0.9.58's sort_xafs (larch/xafs/rebin_xafs.py): order points by
 * energy and, by default, nudge repeated energies apart with remove_dups. Ties keep their input order
 * (a stable sort; numpy's argsort leaves the order of equal energies unspecified).
 */
import { XasInputError } from '../core/errors.js';
import { removeDups } from './array-utils.js';
import { checkArray } from './validate.js';

export interface SortXafsResult {
  energyEv: Float64Array;
  mu: Float64Array;
  /** Original index of each output point. */
  order: Int32Array;
}

export function sortXafs(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  opts: { fix_repeats?: boolean } = {},
): SortXafsResult {
  checkArray(energyEv, 'sortXafs: energyEv', 2);
  checkArray(mu, 'sortXafs: mu', 2);
  if (energyEv.length !== mu.length) {
    throw new XasInputError(`sortXafs: energyEv has ${energyEv.length} points but mu has ${mu.length}`, {
      field: 'mu',
      expected: 'arrays of equal length',
    });
  }
  const order = Int32Array.from({ length: energyEv.length }, (_, i) => i);
  const idx = Array.from(order).sort((a, b) => energyEv[a] - energyEv[b] || a - b);
  const e = new Float64Array(idx.length);
  const m = new Float64Array(idx.length);
  idx.forEach((j, i) => {
    order[i] = j;
    e[i] = energyEv[j];
    m[i] = mu[j];
  });
  return { energyEv: (opts.fix_repeats ?? true) ? removeDups(e) : e, mu: m, order };
}
