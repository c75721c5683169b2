/**
 * EAM energy, forces and virial over a half neighbour list, evaluated exactly as LAMMPS
 * PairEAM::compute does (same knot lookup, clamping and Horner order), in two passes: host densities
 * ρ̄_i = Σ_j ρ_j(r_ij), then F'(ρ̄) and pair forces
 * f_ij = −[F'_i ρ'_j(r) + F'_j ρ'_i(r) + φ'(r)] r̂ (Daw & Baskes, PRB 29, 6443 (1984)).
 * Pass 1 also compacts the pairs inside the cutoff (neighbour code and r) so pass 2 skips the skin
 * shell and the square roots. No allocation inside except when the scratch must grow after a list
 * rebuild.
 */
import type { NeighborList } from '../engine/neighbor-list.js';
import { type EamModel, SPLINE_STRIDE } from './eam-model.js';

export interface EamScratch {
  /** Host electron density per atom. */
  rho: Float64Array;
  /** F'(ρ̄) per atom. */
  fp: Float64Array;
  /** Pairs inside the cutoff found by pass 1: CSR offsets, neighbour codes and distances. */
  activeStart: Int32Array;
  activeCode: Int32Array;
  activeR: Float64Array;
}

export function createEamScratch(n: number): EamScratch {
  return {
    rho: new Float64Array(n),
    fp: new Float64Array(n),
    activeStart: new Int32Array(n + 1),
    activeCode: new Int32Array(0),
    activeR: new Float64Array(0),
  };
}

/**
 * Computes forces (eV/Å, overwritten) and returns the potential energy in eV. `virial` receives
 * Σ r_ij,α f_ij,α for α = x, y, z (eV), the pair part of the pressure tensor diagonal.
 */
export function computeEam(
  model: EamModel,
  pos: Float64Array,
  types: Int32Array,
  nl: NeighborList,
  forces: Float64Array,
  scratch: EamScratch,
  virial: Float64Array,
  perAtomEnergy?: Float64Array,
): number {
  const n = types.length;
  const S = SPLINE_STRIDE;
  const nr = model.nr;
  const nrho = model.nrho;
  const rdr = 1.0 / model.dr;
  const rdrho = 1.0 / model.drho;
  const rhomax = model.rhomax;
  const cutsq = model.cutoffAngstrom * model.cutoffAngstrom;
  const frho = model.frho;
  const rhor = model.rhor;
  const z2r = model.z2r;
  const rBlock = (nr + 1) * S;
  const fBlock = (nrho + 1) * S;
  const start = nl.start;
  const codes = nl.codes;
  const sh = nl.shiftVec;
  const rho = scratch.rho;
  const fp = scratch.fp;
  const single = model.elements.length === 1;
  rho.fill(0, 0, n);
  if (perAtomEnergy) perAtomEnergy.fill(0, 0, n);

  // Pass 1: host densities, and the compacted list of pairs inside the cutoff.
  if (scratch.activeCode.length < nl.pairCount) {
    scratch.activeCode = new Int32Array(Math.ceil(nl.pairCount * 1.2));
    scratch.activeR = new Float64Array(scratch.activeCode.length);
  }
  const activeStart = scratch.activeStart;
  const activeCode = scratch.activeCode;
  const activeR = scratch.activeR;
  let na = 0;
  for (let i = 0; i < n; i++) {
    activeStart[i] = na;
    const xi = pos[3 * i];
    const yi = pos[3 * i + 1];
    const zi = pos[3 * i + 2];
    const ti = types[i];
    let rhoi = 0;
    for (let k = start[i], kend = start[i + 1]; k < kend; k++) {
      const code = codes[k];
      const j = code >> 8;
      const s = (code & 255) * 3;
      const dx = xi - pos[3 * j] - sh[s];
      const dy = yi - pos[3 * j + 1] - sh[s + 1];
      const dz = zi - pos[3 * j + 2] - sh[s + 2];
      const rsq = dx * dx + dy * dy + dz * dz;
      if (rsq < cutsq) {
        const r = Math.sqrt(rsq);
        activeCode[na] = code;
        activeR[na] = r;
        na++;
        let p = r * rdr + 1.0;
        let m = p | 0;
        if (m > nr - 1) m = nr - 1;
        p -= m;
        if (p > 1.0) p = 1.0;
        if (single) {
          const o = m * S;
          const v = ((rhor[o + 3] * p + rhor[o + 4]) * p + rhor[o + 5]) * p + rhor[o + 6];
          rhoi += v;
          rho[j] += v;
        } else {
          const tj = types[j];
          const oj = tj * rBlock + m * S;
          rhoi += ((rhor[oj + 3] * p + rhor[oj + 4]) * p + rhor[oj + 5]) * p + rhor[oj + 6];
          const oi = ti * rBlock + m * S;
          rho[j] += ((rhor[oi + 3] * p + rhor[oi + 4]) * p + rhor[oi + 5]) * p + rhor[oi + 6];
        }
      }
    }
    rho[i] += rhoi;
  }
  activeStart[n] = na;

  // Embedding energy and F'(ρ̄); above rhomax F is continued linearly, as LAMMPS does.
  let energy = 0;
  for (let i = 0; i < n; i++) {
    let p = rho[i] * rdrho + 1.0;
    let m = Math.trunc(p);
    m = Math.max(1, Math.min(m, nrho - 1));
    p -= m;
    if (p > 1.0) p = 1.0;
    const o = types[i] * fBlock + m * S;
    const fpi = (frho[o] * p + frho[o + 1]) * p + frho[o + 2];
    fp[i] = fpi;
    let e = ((frho[o + 3] * p + frho[o + 4]) * p + frho[o + 5]) * p + frho[o + 6];
    if (rho[i] > rhomax) e += fpi * (rho[i] - rhomax);
    energy += e;
    if (perAtomEnergy) perAtomEnergy[i] += e;
  }

  // Pass 2: pair forces.
  forces.fill(0, 0, 3 * n);
  let wxx = 0;
  let wyy = 0;
  let wzz = 0;
  let epair = 0;
  for (let i = 0; i < n; i++) {
    const xi = pos[3 * i];
    const yi = pos[3 * i + 1];
    const zi = pos[3 * i + 2];
    const ti = types[i];
    const fpi = fp[i];
    let fxi = 0;
    let fyi = 0;
    let fzi = 0;
    for (let k = activeStart[i], kend = activeStart[i + 1]; k < kend; k++) {
      const code = activeCode[k];
      const j = code >> 8;
      const s = (code & 255) * 3;
      const dx = xi - pos[3 * j] - sh[s];
      const dy = yi - pos[3 * j + 1] - sh[s + 1];
      const dz = zi - pos[3 * j + 2] - sh[s + 2];
      {
        const r = activeR[k];
        let p = r * rdr + 1.0;
        let m = p | 0;
        if (m > nr - 1) m = nr - 1;
        p -= m;
        if (p > 1.0) p = 1.0;
        let rhoip: number;
        let rhojp: number;
        let oz: number;
        if (single) {
          const o = m * S;
          rhoip = (rhor[o] * p + rhor[o + 1]) * p + rhor[o + 2];
          rhojp = rhoip;
          oz = o;
        } else {
          const tj = types[j];
          const oi = ti * rBlock + m * S;
          const oj = tj * rBlock + m * S;
          rhoip = (rhor[oi] * p + rhor[oi + 1]) * p + rhor[oi + 2];
          rhojp = (rhor[oj] * p + rhor[oj + 1]) * p + rhor[oj + 2];
          const hi = ti > tj ? ti : tj;
          const lo = ti > tj ? tj : ti;
          oz = (((hi * (hi + 1)) >> 1) + lo) * rBlock + m * S;
        }
        const z2p = (z2r[oz] * p + z2r[oz + 1]) * p + z2r[oz + 2];
        const z2 = ((z2r[oz + 3] * p + z2r[oz + 4]) * p + z2r[oz + 5]) * p + z2r[oz + 6];
        const recip = 1.0 / r;
        const phi = z2 * recip;
        const phip = z2p * recip - phi * recip;
        const psip = fpi * rhojp + fp[j] * rhoip + phip;
        const fpair = -psip * recip;
        const fx = dx * fpair;
        const fy = dy * fpair;
        const fz = dz * fpair;
        fxi += fx;
        fyi += fy;
        fzi += fz;
        forces[3 * j] -= fx;
        forces[3 * j + 1] -= fy;
        forces[3 * j + 2] -= fz;
        wxx += dx * fx;
        wyy += dy * fy;
        wzz += dz * fz;
        epair += phi;
        if (perAtomEnergy) {
          perAtomEnergy[i] += 0.5 * phi;
          perAtomEnergy[j] += 0.5 * phi;
        }
      }
    }
    forces[3 * i] += fxi;
    forces[3 * i + 1] += fyi;
    forces[3 * i + 2] += fzi;
  }
  virial[0] = wxx;
  virial[1] = wyy;
  virial[2] = wzz;
  return energy + epair;
}
