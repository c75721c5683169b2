/**
 * Sample splits for ensemble training. The NN-EXAFS protocol (Timoshenko et al.) holds out a test
 * fraction, splits the rest into k folds and trains one member per fold with that fold as its
 * validation set (rotated validation, k-fold cross-validation style). The alternative "members"
 * mode trains M differently seeded members on one shared train/validation split (a plain deep
 * ensemble, Lakshminarayanan et al. 2017). All splits derive from the seed.
 */
import { XasInputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';

export interface Split {
  test: Int32Array;
  members: { train: Int32Array; val: Int32Array }[];
}

function sorted(a: Int32Array): Int32Array {
  return a.slice().sort();
}

export function splitSamples(
  n: number,
  opts: {
    folds?: number;
    members?: number;
    testFraction?: number;
    validationFraction?: number;
    seed: number;
  },
): Split {
  const folds = opts.folds ?? 1;
  const members = opts.members ?? 1;
  const testFraction = opts.testFraction ?? 0;
  const valFraction = opts.validationFraction ?? 0.1;
  if (!(Number.isInteger(folds) && folds >= 1))
    throw new XasInputError(`invalid value ${folds}`, { field: 'folds', expected: 'an integer >= 1' });
  if (!(Number.isInteger(members) && members >= 1)) {
    throw new XasInputError(`invalid value ${members}`, { field: 'members', expected: 'an integer >= 1' });
  }
  if (folds > 1 && members > 1) {
    throw new XasInputError('give either folds (rotated validation) or members (shared split), not both', {
      field: 'members',
    });
  }
  if (!(testFraction >= 0 && testFraction < 1))
    throw new XasInputError(`invalid value ${testFraction}`, { field: 'testFraction', expected: '[0, 1)' });
  if (!(valFraction >= 0 && valFraction < 1)) {
    throw new XasInputError(`invalid value ${valFraction}`, {
      field: 'validationFraction',
      expected: '[0, 1)',
    });
  }
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  new Rng(opts.seed ^ 0x3c6ef372).shuffle(perm);
  const nTest = Math.round(testFraction * n);
  const test = sorted(perm.subarray(0, nTest));
  const rest = perm.subarray(nTest);
  const r = rest.length;
  if (folds > 1) {
    if (r < folds * 2) {
      throw new XasInputError(`${r} samples cannot be split into ${folds} folds`, {
        field: 'folds',
        expected: 'at least 2 samples per fold',
      });
    }
    const out: Split['members'] = [];
    for (let f = 0; f < folds; f++) {
      const a = Math.floor((f * r) / folds);
      const b = Math.floor(((f + 1) * r) / folds);
      const val = sorted(rest.subarray(a, b));
      const train = new Int32Array(r - (b - a));
      train.set(rest.subarray(0, a));
      train.set(rest.subarray(b), a);
      out.push({ train: sorted(train), val });
    }
    return { test, members: out };
  }
  const nVal = Math.round(valFraction * r);
  const val = sorted(rest.subarray(0, nVal));
  const train = sorted(rest.subarray(nVal));
  return { test, members: Array.from({ length: members }, () => ({ train, val })) };
}
