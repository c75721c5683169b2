/** Shared loaders for the XANES tests: the Larch fixtures and the measured spectra they were made from. */
import { readFileSync } from 'node:fs';
import { readSpectra, readSpectrum } from '../../src/io/index.js';
import { derivative } from '../../src/process/array-utils.js';
import type { Curve } from '../../src/xanes/fit-matrix.js';

// biome-ignore lint/suspicious/noExplicitAny: fixtures are free-form JSON checked by the tests
export type Fx = any;

export function fixture(name: string): Fx {
  return JSON.parse(readFileSync(`test/fixtures/xanes/${name}`, 'utf8'));
}

/** A column file of normalised μ (the Au L3 set) as a curve labelled by file name. */
export async function auCurve(path: string, dmude = false): Promise<Curve> {
  const s = await readSpectrum(path);
  return {
    label: path.split('/').pop() as string,
    energyEv: s.energyEv,
    y: dmude ? derivative(s.energyEv, s.mu) : s.mu,
  };
}

/** The columns of ParSeq's cu-ref-mix.res, keyed by their header names. */
export async function cuMixCurves(file: string, columns: string[]): Promise<Map<string, Curve>> {
  const all = await readSpectra(file);
  const out = new Map<string, Curve>();
  columns.forEach((c, i) => {
    out.set(c, { label: c, energyEv: all[i].energyEv, y: all[i].mu });
  });
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
