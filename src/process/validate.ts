/**
 * Input checks shared by the processing functions: every rejection names the parameter and what was
 * expected, so bad input never turns into NaN output.
 */
import { XasInputError } from '../core/errors.js';
import { outF64 } from './arena.js';
import { removeDups } from './array-utils.js';

/** Checks an (energy, μ) pair: same length, at least `minPoints`, finite, energies non-decreasing. */
export function checkSpectrum(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  fn: string,
  minPoints = 8,
  muName = 'mu',
): void {
  checkArray(energyEv, `${fn}: energyEv`, minPoints);
  checkArray(mu, `${fn}: ${muName}`, minPoints);
  if (energyEv.length !== mu.length) {
    throw new XasInputError(`${fn}: energyEv has ${energyEv.length} points but ${muName} has ${mu.length}`, {
      field: muName,
      expected: 'arrays of equal length',
    });
  }
  checkNonDecreasing(energyEv, `${fn}: energyEv`);
}

/**
 * checkSpectrum followed by Larch's remove_dups (array-utils.ts) in one pass over the data: returns the
 * de-duplicated energies. Any problem is reported by checkSpectrum itself (same messages).
 */
export function checkedEnergies(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  fn: string,
  tiny = 1e-7,
  frac = 1e-6,
): Float64Array {
  const n = energyEv?.length;
  if (typeof n === 'number' && n >= 8 && mu?.length === n) {
    const out = outF64(n);
    let ok = true;
    let prevIn = energyEv[0];
    let prevOut = prevIn;
    out[0] = prevIn;
    if (!(typeof prevIn === 'number' && Number.isFinite(prevIn) && Number.isFinite(mu[0]))) ok = false;
    for (let i = 1; ok && i < n; i++) {
      const v = energyEv[i];
      if (
        !(typeof v === 'number' && Number.isFinite(v) && typeof mu[i] === 'number' && Number.isFinite(mu[i]))
      ) {
        ok = false;
      } else if (v < prevIn) {
        ok = false;
      } else {
        let o = v;
        if (o - prevOut < tiny) o = prevOut + Math.max(tiny, frac * Math.abs(o - prevOut));
        out[i] = o;
        prevOut = o;
        prevIn = v;
      }
    }
    if (ok) {
      if (Math.abs(out[n - 1] - out[n - 2]) < tiny) out[n - 1] = out[n - 2] + tiny;
      return out;
    }
  }
  checkSpectrum(energyEv, mu, fn);
  return removeDups(energyEv, tiny, frac);
}

/** A finite numeric array with at least minPoints values. */
export function checkArray(values: ArrayLike<number>, what: string, minPoints = 1): void {
  if (!values || typeof values.length !== 'number') {
    throw new XasInputError(`${what} is not an array`, { expected: 'a Float64Array or number array' });
  }
  if (values.length < minPoints) {
    throw new XasInputError(`${what} has ${values.length} points`, {
      expected: `at least ${minPoints} points`,
    });
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new XasInputError(`${what}[${i}] is ${v}`, { expected: 'finite numbers' });
    }
  }
}

/** Energies may repeat (Larch nudges repeats apart) but must not decrease. */
export function checkNonDecreasing(energyEv: ArrayLike<number>, what: string): void {
  for (let i = 1; i < energyEv.length; i++) {
    if (energyEv[i] < energyEv[i - 1]) {
      throw new XasInputError(`${what} decreases at index ${i} (${energyEv[i - 1]} → ${energyEv[i]})`, {
        expected: 'non-decreasing energies; sort the spectrum first with sortXafs()',
      });
    }
  }
}

/** A finite number option, optionally bounded. */
export function checkNumber(
  value: unknown,
  name: string,
  opts: { min?: number; max?: number; integer?: boolean } = {},
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new XasInputError(`${name} is ${String(value)}`, { field: name, expected: 'a finite number' });
  }
  if (opts.integer && !Number.isInteger(value)) {
    throw new XasInputError(`${name} is ${value}`, { field: name, expected: 'an integer' });
  }
  if (opts.min !== undefined && value < opts.min) {
    throw new XasInputError(`${name} is ${value}`, { field: name, expected: `a value >= ${opts.min}` });
  }
  if (opts.max !== undefined && value > opts.max) {
    throw new XasInputError(`${name} is ${value}`, { field: name, expected: `a value <= ${opts.max}` });
  }
  return value;
}

/** Optional number: undefined/null pass through as undefined. */
export function optNumber(
  value: unknown,
  name: string,
  opts: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (value === undefined || value === null) return undefined;
  return checkNumber(value, name, opts);
}
