/**
 * Crystal lattices in orthorhombic periodic cells: fcc, bcc and cubic diamond in the conventional
 * cubic cell, hcp in the 4-atom orthohexagonal cell a × √3·a × c. Supercells and seeded Gaussian
 * displacements. Geometry follows the standard crystallographic settings (International Tables).
 */
import { XasInputError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { Atoms } from './atoms.js';

export type LatticeStructure = 'fcc' | 'bcc' | 'hcp' | 'diamond';
export const LATTICE_STRUCTURES: readonly LatticeStructure[] = ['fcc', 'bcc', 'hcp', 'diamond'];

export interface LatticeOptions {
  structure: LatticeStructure;
  /** Lattice parameter in Å: cubic edge for fcc/bcc/diamond, in-plane nearest-neighbour distance for hcp. */
  aAngstrom: number;
  /** hcp only: c/a ratio (ideal √(8/3) ≈ 1.633 by default). */
  cOverA?: number;
  /** Unit cells along x, y, z. */
  cells: [number, number, number];
  /** Chemical symbol of every atom. */
  element: string;
}

export const IDEAL_HCP_C_OVER_A = Math.sqrt(8 / 3);

/** Fractional coordinates of the basis and the cell edges (in units of a) of each structure. */
function unitCell(structure: LatticeStructure, cOverA: number): { basis: number[][]; edges: number[] } {
  switch (structure) {
    case 'fcc':
      return {
        basis: [
          [0, 0, 0],
          [0.5, 0.5, 0],
          [0.5, 0, 0.5],
          [0, 0.5, 0.5],
        ],
        edges: [1, 1, 1],
      };
    case 'bcc':
      return {
        basis: [
          [0, 0, 0],
          [0.5, 0.5, 0.5],
        ],
        edges: [1, 1, 1],
      };
    case 'diamond': {
      const fcc = unitCell('fcc', cOverA).basis;
      return { basis: [...fcc, ...fcc.map((b) => b.map((x) => x + 0.25))], edges: [1, 1, 1] };
    }
    case 'hcp':
      return {
        basis: [
          [0, 0, 0],
          [0.5, 0.5, 0],
          [0.5, 1 / 6, 0.5],
          [0, 2 / 3, 0.5],
        ],
        edges: [1, Math.sqrt(3), cOverA],
      };
  }
}

/** Number of atoms in the unit cell used by buildLattice. */
export function atomsPerCell(structure: LatticeStructure): number {
  return unitCell(structure, IDEAL_HCP_C_OVER_A).basis.length;
}

/** Nearest-neighbour distance of a perfect lattice with parameter a (Å). */
export function nearestNeighbourDistance(
  structure: LatticeStructure,
  aAngstrom: number,
  cOverA?: number,
): number {
  switch (structure) {
    case 'fcc':
      return aAngstrom / Math.SQRT2;
    case 'bcc':
      return (aAngstrom * Math.sqrt(3)) / 2;
    case 'diamond':
      return (aAngstrom * Math.sqrt(3)) / 4;
    case 'hcp': {
      const c = (cOverA ?? IDEAL_HCP_C_OVER_A) * aAngstrom;
      return Math.min(aAngstrom, Math.sqrt(aAngstrom ** 2 / 3 + c ** 2 / 4));
    }
  }
}

/** Builds a periodic supercell of the requested lattice. */
export function buildLattice(opts: LatticeOptions): Atoms {
  const { structure, aAngstrom, cells, element } = opts;
  const cOverA = opts.cOverA ?? IDEAL_HCP_C_OVER_A;
  if (!(aAngstrom > 0 && Number.isFinite(aAngstrom))) {
    throw new XasInputError(`lattice parameter ${aAngstrom}`, {
      field: 'aAngstrom',
      expected: 'a positive length in Å',
    });
  }
  if (!(cOverA > 0 && Number.isFinite(cOverA))) {
    throw new XasInputError(`c/a ${cOverA}`, { field: 'cOverA', expected: 'a positive ratio' });
  }
  for (const c of cells) {
    if (!Number.isInteger(c) || c < 1) {
      throw new XasInputError(`cell count ${c}`, {
        field: 'cells',
        expected: 'positive integers [nx, ny, nz]',
      });
    }
  }
  const { basis, edges } = unitCell(structure, cOverA);
  const cell = edges.map((e) => e * aAngstrom);
  const n = basis.length * cells[0] * cells[1] * cells[2];
  const positions = new Float64Array(3 * n);
  let k = 0;
  for (let ix = 0; ix < cells[0]; ix++) {
    for (let iy = 0; iy < cells[1]; iy++) {
      for (let iz = 0; iz < cells[2]; iz++) {
        for (const b of basis) {
          positions[k++] = (ix + b[0]) * cell[0];
          positions[k++] = (iy + b[1]) * cell[1];
          positions[k++] = (iz + b[2]) * cell[2];
        }
      }
    }
  }
  return {
    positions,
    species: new Array<string>(n).fill(element),
    boxAngstrom: [cells[0] * cell[0], cells[1] * cell[1], cells[2] * cell[2]],
    pbc: [true, true, true],
    info: { structure, a: aAngstrom, ...(structure === 'hcp' ? { c_over_a: cOverA } : {}) },
  };
}

/** Replicates a periodic configuration nx × ny × nz times. */
export function supercell(atoms: Atoms, reps: [number, number, number]): Atoms {
  const n = atoms.species.length;
  const total = n * reps[0] * reps[1] * reps[2];
  const positions = new Float64Array(3 * total);
  const species: string[] = [];
  const [lx, ly, lz] = atoms.boxAngstrom;
  let k = 0;
  for (let ix = 0; ix < reps[0]; ix++) {
    for (let iy = 0; iy < reps[1]; iy++) {
      for (let iz = 0; iz < reps[2]; iz++) {
        for (let i = 0; i < n; i++) {
          positions[k++] = atoms.positions[3 * i] + ix * lx;
          positions[k++] = atoms.positions[3 * i + 1] + iy * ly;
          positions[k++] = atoms.positions[3 * i + 2] + iz * lz;
          species.push(atoms.species[i]);
        }
      }
    }
  }
  return {
    positions,
    species,
    boxAngstrom: [lx * reps[0], ly * reps[1], lz * reps[2]],
    pbc: [...atoms.pbc],
    info: { ...atoms.info },
  };
}

/** Scales box and positions uniformly (or per axis) in place. */
export function scaleBox(atoms: Atoms, factor: number | [number, number, number]): void {
  const f = typeof factor === 'number' ? [factor, factor, factor] : factor;
  for (let i = 0; i < atoms.positions.length; i++) atoms.positions[i] *= f[i % 3];
  atoms.boxAngstrom = [atoms.boxAngstrom[0] * f[0], atoms.boxAngstrom[1] * f[1], atoms.boxAngstrom[2] * f[2]];
}

/** Adds independent Gaussian displacements of standard deviation sigma (Å, per component) in place. */
export function randomDisplace(atoms: Atoms, sigmaAngstrom: number, rng: Rng): void {
  for (let i = 0; i < atoms.positions.length; i++) atoms.positions[i] += sigmaAngstrom * rng.normal();
}
