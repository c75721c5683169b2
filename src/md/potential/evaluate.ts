/**
 * One-shot EAM evaluation of a configuration (energy, forces, virial, pressure) and the equilibrium
 * lattice parameter / cohesive energy of a perfect crystal, found by minimising the energy per atom
 * over the lattice parameter (what LAMMPS `fix box/relax iso 0` + `minimize` gives for a perfect
 * cubic crystal, where all forces vanish by symmetry).
 */
import { brentMinimize } from '../../core/brent.js';
import { XasInputError } from '../../core/errors.js';
import { type Atoms, atomCount, boxVolume } from '../../structure/atoms.js';
import { buildLattice, type LatticeStructure } from '../../structure/lattice.js';
import { NeighborList } from '../engine/neighbor-list.js';
import { NKTV2P } from '../units.js';
import { computeEam, createEamScratch } from './eam-compute.js';
import { type EamModel, typesForSpecies } from './eam-model.js';

export interface EamEvaluation {
  energyEv: number;
  /** Forces in eV/Å, xyz interleaved. */
  forces: Float64Array;
  /** Per-atom energy (embedding + half of each pair term), eV. */
  perAtomEnergyEv: Float64Array;
  /** Σ r_α f_α per axis (eV). */
  virialEv: Float64Array;
  /** Potential (virial) part of the pressure, bar. */
  virialPressureBar: number;
}

export function evaluateEam(model: EamModel, atoms: Atoms): EamEvaluation {
  const n = atomCount(atoms);
  const types = typesForSpecies(model, atoms.species);
  const pos = atoms.positions.slice();
  const nl = new NeighborList(model.cutoffAngstrom, 0);
  nl.build(pos, atoms.boxAngstrom, atoms.pbc);
  const forces = new Float64Array(3 * n);
  const perAtom = new Float64Array(n);
  const virial = new Float64Array(3);
  const energy = computeEam(model, pos, types, nl, forces, createEamScratch(n), virial, perAtom);
  const pressure = ((virial[0] + virial[1] + virial[2]) / (3 * boxVolume(atoms))) * NKTV2P;
  return {
    energyEv: energy,
    forces,
    perAtomEnergyEv: perAtom,
    virialEv: virial,
    virialPressureBar: pressure,
  };
}

export interface LatticeMinimum {
  aAngstrom: number;
  /** Cohesive energy (positive, eV/atom) = −E/N at the minimum. */
  cohesiveEnergyEv: number;
}

/** Energy per atom of a perfect lattice with parameter a (a supercell just large enough for the cutoff). */
export function latticeEnergyPerAtom(
  model: EamModel,
  structure: LatticeStructure,
  aAngstrom: number,
  element: string,
  cOverA?: number,
): number {
  const probe = buildLattice({ structure, aAngstrom, cOverA, cells: [1, 1, 1], element });
  const cells = probe.boxAngstrom.map((l) => Math.max(1, Math.ceil((model.cutoffAngstrom + 1e-6) / l))) as [
    number,
    number,
    number,
  ];
  const atoms = buildLattice({ structure, aAngstrom, cOverA, cells, element });
  return evaluateEam(model, atoms).energyEv / atomCount(atoms);
}

/** Golden-section + parabolic (Brent) minimisation of E(a)/N on [aLo, aHi]. */
export function equilibriumLattice(
  model: EamModel,
  structure: LatticeStructure,
  element: string,
  range: [number, number],
  cOverA?: number,
  tolAngstrom = 1e-7,
): LatticeMinimum {
  const f = (a: number) => latticeEnergyPerAtom(model, structure, a, element, cOverA);
  const [a, b] = range;
  if (!(b > a && a > 0))
    throw new XasInputError(`range ${range}`, { field: 'range', expected: '0 < aLo < aHi' });
  const { x, fx } = brentMinimize(f, a, b, { relTol: 1e-10, absTol: tolAngstrom });
  return { aAngstrom: x, cohesiveEnergyEv: -fx };
}
