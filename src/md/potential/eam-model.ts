/**
 * Turns EAM file tables into the interpolation tables LAMMPS `pair_style eam` / `eam/alloy` uses, so
 * that energies and forces agree with LAMMPS to rounding: funcfl tables are first resampled onto a
 * common grid with 4-point Lagrange interpolation (LAMMPS PairEAM::file2array, which keeps one point
 * fewer than the file), then every table becomes a piecewise cubic whose knot slopes are 4th-order
 * finite differences (PairEAM::interpolate); 7 coefficients per knot, value and derivative forms.
 */
import { XasInputError } from '../../core/errors.js';
import { type EamTables, FUNCFL_ZZ_TO_EV_ANGSTROM } from './eam-file.js';

/** Stride of one knot in the coefficient tables: [d2, d1, d0, c3, c2, c1, c0]. */
export const SPLINE_STRIDE = 7;

export interface EamModel {
  kind: 'eam';
  format: 'funcfl' | 'setfl';
  /** Element symbol of each model type (type index = position). */
  elements: string[];
  masses: Float64Array;
  cutoffAngstrom: number;
  nr: number;
  dr: number;
  nrho: number;
  drho: number;
  /** Density above which F is continued linearly (LAMMPS `rhomax`). */
  rhomax: number;
  /** F(ρ) coefficients, one block of (nrho+1)·7 per type, knots 1..nrho as in LAMMPS. */
  frho: Float64Array;
  /** ρ(r) coefficients, one block of (nr+1)·7 per type (density created by an atom of that type). */
  rhor: Float64Array;
  /** r·φ(r) coefficients, one block of (nr+1)·7 per type pair i ≥ j at index i(i+1)/2 + j. */
  z2r: Float64Array;
  /** Files the model was built from. */
  sources: string[];
}

/** LAMMPS PairEAM::interpolate on values f[1..n] (f[0] unused), writing knots 1..n of `out` at `base`. */
export function splineCoefficients(
  f: Float64Array,
  n: number,
  delta: number,
  out: Float64Array,
  base: number,
): void {
  const S = SPLINE_STRIDE;
  const at = (m: number, c: number) => base + m * S + c;
  for (let m = 1; m <= n; m++) out[at(m, 6)] = f[m];
  out[at(1, 5)] = out[at(2, 6)] - out[at(1, 6)];
  out[at(2, 5)] = 0.5 * (out[at(3, 6)] - out[at(1, 6)]);
  out[at(n - 1, 5)] = 0.5 * (out[at(n, 6)] - out[at(n - 2, 6)]);
  out[at(n, 5)] = out[at(n, 6)] - out[at(n - 1, 6)];
  for (let m = 3; m <= n - 2; m++) {
    out[at(m, 5)] =
      (out[at(m - 2, 6)] - out[at(m + 2, 6)] + 8.0 * (out[at(m + 1, 6)] - out[at(m - 1, 6)])) / 12.0;
  }
  for (let m = 1; m <= n - 1; m++) {
    out[at(m, 4)] = 3.0 * (out[at(m + 1, 6)] - out[at(m, 6)]) - 2.0 * out[at(m, 5)] - out[at(m + 1, 5)];
    out[at(m, 3)] = out[at(m, 5)] + out[at(m + 1, 5)] - 2.0 * (out[at(m + 1, 6)] - out[at(m, 6)]);
  }
  out[at(n, 4)] = 0.0;
  out[at(n, 3)] = 0.0;
  for (let m = 1; m <= n; m++) {
    out[at(m, 2)] = out[at(m, 5)] / delta;
    out[at(m, 1)] = (2.0 * out[at(m, 4)]) / delta;
    out[at(m, 0)] = (3.0 * out[at(m, 3)]) / delta;
  }
}

/** 1-based copy (index 0 unused) as LAMMPS stores its arrays. */
function oneBased(v: Float64Array): Float64Array {
  const out = new Float64Array(v.length + 1);
  out.set(v, 1);
  return out;
}

/** LAMMPS file2array resampling of a 1-based file table onto grid point r = (m−1)·delta (4-point Lagrange). */
function resample(
  file: Float64Array,
  fileN: number,
  fileDelta: number,
  n: number,
  delta: number,
): Float64Array {
  const sixth = 1.0 / 6.0;
  const out = new Float64Array(n + 1);
  for (let m = 1; m <= n; m++) {
    const r = (m - 1) * delta;
    let p = r / fileDelta + 1.0;
    let k = Math.trunc(p);
    k = Math.min(k, fileN - 2);
    k = Math.max(k, 2);
    p -= k;
    p = Math.min(p, 2.0);
    const cof1 = -sixth * p * (p - 1.0) * (p - 2.0);
    const cof2 = 0.5 * (p * p - 1.0) * (p - 2.0);
    const cof3 = -0.5 * p * (p + 1.0) * (p - 2.0);
    const cof4 = sixth * p * (p * p - 1.0);
    out[m] = cof1 * file[k - 1] + cof2 * file[k] + cof3 * file[k + 1] + cof4 * file[k + 2];
  }
  return out;
}

function checkTables(t: EamTables): void {
  if (t.nrho < 5 || t.nr < 5) {
    throw new XasInputError('EAM tables need at least 5 points', {
      file: t.source,
      expected: 'Nrho, Nr ≥ 5',
    });
  }
}

/** Builds the model from one setfl file or from one or more funcfl files (one element each). */
export function buildEamModel(input: EamTables | EamTables[]): EamModel {
  const files = Array.isArray(input) ? input : [input];
  if (files.length === 0) throw new XasInputError('no EAM tables given', { field: 'potential' });
  files.forEach(checkTables);
  const S = SPLINE_STRIDE;
  if (files[0].format === 'setfl') {
    if (files.length > 1) throw new XasInputError('only one setfl file can be used', { field: 'potential' });
    const t = files[0];
    const ne = t.elements.length;
    const frho = new Float64Array(ne * (t.nrho + 1) * S);
    const rhor = new Float64Array(ne * (t.nr + 1) * S);
    const z2r = new Float64Array(((ne * (ne + 1)) / 2) * (t.nr + 1) * S);
    for (let i = 0; i < ne; i++) {
      splineCoefficients(oneBased(t.embedding[i]), t.nrho, t.drho, frho, i * (t.nrho + 1) * S);
      splineCoefficients(oneBased(t.density[i]), t.nr, t.drAngstrom, rhor, i * (t.nr + 1) * S);
    }
    for (let k = 0; k < t.rphi.length; k++) {
      splineCoefficients(oneBased(t.rphi[k]), t.nr, t.drAngstrom, z2r, k * (t.nr + 1) * S);
    }
    return {
      kind: 'eam',
      format: 'setfl',
      elements: [...t.elements],
      masses: Float64Array.from(t.masses),
      cutoffAngstrom: t.cutoffAngstrom,
      nr: t.nr,
      dr: t.drAngstrom,
      nrho: t.nrho,
      drho: t.drho,
      rhomax: (t.nrho - 1) * t.drho,
      frho,
      rhor,
      z2r,
      sources: [t.source],
    };
  }
  for (const f of files) {
    if (f.format !== 'funcfl' || !f.effectiveCharge) {
      throw new XasInputError('cannot mix setfl and funcfl tables', { file: f.source, field: 'potential' });
    }
  }
  // Common grid: largest spacings and ranges of all files, one point fewer than the file (LAMMPS).
  let dr = 0;
  let drho = 0;
  let rmax = 0;
  let rhomax = 0;
  for (const f of files) {
    dr = Math.max(dr, f.drAngstrom);
    drho = Math.max(drho, f.drho);
    rmax = Math.max(rmax, (f.nr - 1) * f.drAngstrom);
    rhomax = Math.max(rhomax, (f.nrho - 1) * f.drho);
  }
  const nr = Math.trunc(rmax / dr + 0.5);
  const nrho = Math.trunc(rhomax / drho + 0.5);
  const ne = files.length;
  const frho = new Float64Array(ne * (nrho + 1) * S);
  const rhor = new Float64Array(ne * (nr + 1) * S);
  const z2r = new Float64Array(((ne * (ne + 1)) / 2) * (nr + 1) * S);
  const zr = files.map((f) => oneBased((f.effectiveCharge as Float64Array[])[0]));
  files.forEach((f, i) => {
    splineCoefficients(
      resample(oneBased(f.embedding[0]), f.nrho, f.drho, nrho, drho),
      nrho,
      drho,
      frho,
      i * (nrho + 1) * S,
    );
    splineCoefficients(
      resample(oneBased(f.density[0]), f.nr, f.drAngstrom, nr, dr),
      nr,
      dr,
      rhor,
      i * (nr + 1) * S,
    );
  });
  let k = 0;
  for (let i = 0; i < ne; i++) {
    const zi = resample(zr[i], files[i].nr, files[i].drAngstrom, nr, dr);
    for (let j = 0; j <= i; j++) {
      const zj = resample(zr[j], files[j].nr, files[j].drAngstrom, nr, dr);
      const z2 = new Float64Array(nr + 1);
      for (let m = 1; m <= nr; m++) z2[m] = FUNCFL_ZZ_TO_EV_ANGSTROM * zi[m] * zj[m];
      splineCoefficients(z2, nr, dr, z2r, k * (nr + 1) * S);
      k++;
    }
  }
  return {
    kind: 'eam',
    format: 'funcfl',
    elements: files.map((f) => f.elements[0]),
    masses: Float64Array.from(files.map((f) => f.masses[0])),
    cutoffAngstrom: Math.max(...files.map((f) => f.cutoffAngstrom)),
    nr,
    dr,
    nrho,
    drho,
    rhomax,
    frho,
    rhor,
    z2r,
    sources: files.map((f) => f.source),
  };
}

/** Model type index of every atom; throws when a species has no table. */
export function typesForSpecies(model: EamModel, species: readonly string[]): Int32Array {
  const out = new Int32Array(species.length);
  for (let i = 0; i < species.length; i++) {
    const t = model.elements.indexOf(species[i]);
    if (t < 0) {
      throw new XasInputError(`atom ${i + 1} is ${species[i]}, which the potential does not describe`, {
        field: 'species',
        expected: `one of ${model.elements.join(', ')} (${model.sources.join(', ')})`,
      });
    }
    out[i] = t;
  }
  return out;
}
