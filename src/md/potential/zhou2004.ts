/**
 * The analytic EAM of Zhou, Johnson & Wadley, Phys. Rev. B 69, 144113 (2004) ("Zhou 2004"), tabulated
 * as a LAMMPS setfl file. Functional forms (their Eqs. 4–6):
 *   ρ(r) = f_e exp[−β(r/r_e − 1)] / (1 + (r/r_e − λ)^20)
 *   φ(r) = A exp[−α(r/r_e − 1)] / (1 + (r/r_e − κ)^20) − B exp[−β(r/r_e − 1)] / (1 + (r/r_e − λ)^20)
 *   F(ρ) = Σ_i F_ni (ρ/ρ_n − 1)^i (ρ < ρ_n = 0.85ρ_e);  Σ_i F_i (ρ/ρ_e − 1)^i (ρ_n ≤ ρ < ρ_0 = 1.15ρ_e);
 *          F_e [1 − ln (ρ/ρ_s)^η] (ρ/ρ_s)^η (ρ ≥ ρ_0).
 * Parameters for Ni are those of the paper's table, as also listed in LAMMPS tools/eam_database
 * (EAM_code). The forms have no cutoff of their own; we truncate at 6.0 Å, where ρ and φ are below
 * 4e-7 (in their units), midway between the 5th and 6th fcc shells. (The LAMMPS tool cuts at √5·r_e,
 * which for Ni falls exactly on the 5th fcc shell, so E(a) of the perfect crystal jumps there.)
 * This is our own tabulation, not a copied file.
 */
import { SOFTWARE } from '../../core/spectrum.js';
import type { EamTables } from './eam-file.js';

export interface Zhou2004Parameters {
  element: string;
  atomicNumber: number;
  massAmu: number;
  re: number;
  fe: number;
  rhoe: number;
  rhos: number;
  alpha: number;
  beta: number;
  A: number;
  B: number;
  kappa: number;
  lambda: number;
  /** F_n0..F_n3 (eV), used below 0.85 ρ_e. */
  Fn: [number, number, number, number];
  /** F_0..F_2 (eV) between 0.85 and 1.15 ρ_e. */
  F: [number, number, number];
  /** F_3 below and above ρ_e (the paper uses one value for most elements). */
  F3Below: number;
  F3Above: number;
  eta: number;
  Fe: number;
}

/** Ni parameters (Zhou, Johnson, Wadley 2004). */
export const ZHOU2004_NI: Zhou2004Parameters = {
  element: 'Ni',
  atomicNumber: 28,
  massAmu: 58.6934,
  re: 2.488746,
  fe: 2.007018,
  rhoe: 27.562015,
  rhos: 27.562031,
  alpha: 8.383453,
  beta: 4.471175,
  A: 0.429046,
  B: 0.633531,
  kappa: 0.443599,
  lambda: 0.820658,
  Fn: [-2.693513, -0.076445, 0.241442, -2.375626],
  F: [-2.7, 0.0, 0.26539],
  F3Below: -0.152856,
  F3Above: -0.152856,
  eta: 0.44547,
  Fe: -2.7,
};

export function zhouDensity(p: Zhou2004Parameters, r: number): number {
  const x = r / p.re;
  return (p.fe * Math.exp(-p.beta * (x - 1))) / (1 + (x - p.lambda) ** 20);
}

export function zhouPair(p: Zhou2004Parameters, r: number): number {
  const x = r / p.re;
  const rep = (p.A * Math.exp(-p.alpha * (x - 1))) / (1 + (x - p.kappa) ** 20);
  const att = (p.B * Math.exp(-p.beta * (x - 1))) / (1 + (x - p.lambda) ** 20);
  return rep - att;
}

export function zhouEmbedding(p: Zhou2004Parameters, rho: number): number {
  const rhon = 0.85 * p.rhoe;
  const rho0 = 1.15 * p.rhoe;
  if (rho < rhon) {
    const d = rho / rhon - 1;
    return p.Fn[0] + d * (p.Fn[1] + d * (p.Fn[2] + d * p.Fn[3]));
  }
  if (rho < rho0) {
    const d = rho / p.rhoe - 1;
    const f3 = rho < p.rhoe ? p.F3Below : p.F3Above;
    return p.F[0] + d * (p.F[1] + d * (p.F[2] + d * f3));
  }
  const s = (rho / p.rhos) ** p.eta;
  return p.Fe * (1 - Math.log(s)) * s;
}

export interface Zhou2004TableOptions {
  /** Points of the r and ρ grids (default 2000 each). */
  nr?: number;
  nrho?: number;
  /** Largest tabulated density as a multiple of ρ_e (default 3); LAMMPS continues F linearly beyond. */
  rhoMaxOverRhoe?: number;
  /** Truncation radius in Å (default 6.0). */
  cutoffAngstrom?: number;
}

/** Tabulates the potential as single-element setfl tables (grid r_m = m·dr, m = 0 … nr−1, up to the cutoff). */
export function zhou2004Tables(
  p: Zhou2004Parameters = ZHOU2004_NI,
  opts: Zhou2004TableOptions = {},
): EamTables {
  const nr = opts.nr ?? 2000;
  const nrho = opts.nrho ?? 2000;
  const cutoff = opts.cutoffAngstrom ?? 6.0;
  const dr = cutoff / (nr - 1);
  const drho = ((opts.rhoMaxOverRhoe ?? 3) * p.rhoe) / (nrho - 1);
  const embedding = new Float64Array(nrho);
  const density = new Float64Array(nr);
  const rphi = new Float64Array(nr);
  for (let m = 0; m < nrho; m++) embedding[m] = zhouEmbedding(p, m * drho);
  for (let m = 0; m < nr; m++) {
    const r = m * dr;
    density[m] = zhouDensity(p, r);
    rphi[m] = r * zhouPair(p, r);
  }
  return {
    format: 'setfl',
    source: `Zhou2004 ${p.element} (generated)`,
    comment: [
      `${p.element} EAM of X. W. Zhou, R. A. Johnson, H. N. G. Wadley, Phys. Rev. B 69, 144113 (2004)`,
      `tabulated by ${SOFTWARE} (src/md/potential/zhou2004.ts): nr=${nr} nrho=${nrho} cutoff=${cutoff} A`,
      'units metal; setfl format for LAMMPS pair_style eam/alloy',
    ].join('\n'),
    elements: [p.element],
    atomicNumbers: [p.atomicNumber],
    masses: [p.massAmu],
    latticeAngstrom: [Math.SQRT2 * p.re],
    latticeName: ['fcc'],
    nrho,
    drho,
    nr,
    drAngstrom: dr,
    cutoffAngstrom: cutoff,
    embedding: [embedding],
    density: [density],
    rphi: [rphi],
  };
}
