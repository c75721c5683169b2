/**
 * The atomic-configuration type shared by the MD engine, the LAMMPS driver and the EXAFS
 * configurational averages: Cartesian positions in Å (xyz interleaved), one chemical symbol per
 * atom, an orthorhombic box [0,Lx)×[0,Ly)×[0,Lz) and periodic flags, as in extended XYZ and LAMMPS.
 */
import { XasInputError } from '../core/errors.js';

export interface Atoms {
  /** Positions in Å, interleaved x0 y0 z0 x1 y1 z1 …; length 3·N. */
  positions: Float64Array;
  /** Chemical symbol of each atom; length N. */
  species: string[];
  /** Orthorhombic box edge lengths [Lx, Ly, Lz] in Å (box origin at 0). */
  boxAngstrom: [number, number, number];
  /** Periodic boundary flags per axis. */
  pbc: [boolean, boolean, boolean];
  /** Velocities in Å/ps (LAMMPS metal units), interleaved like positions, when known. */
  velocities?: Float64Array;
  /** Free metadata (temperature, phase, seed, step …) as written in file headers. */
  info: Record<string, string | number | boolean>;
}

export function atomCount(atoms: Atoms): number {
  return atoms.species.length;
}

export function boxVolume(atoms: Pick<Atoms, 'boxAngstrom'>): number {
  const [lx, ly, lz] = atoms.boxAngstrom;
  return lx * ly * lz;
}

/** Number density in Å⁻³. */
export function numberDensity(atoms: Atoms): number {
  return atomCount(atoms) / boxVolume(atoms);
}

export function cloneAtoms(atoms: Atoms): Atoms {
  return {
    positions: atoms.positions.slice(),
    species: atoms.species.slice(),
    boxAngstrom: [...atoms.boxAngstrom],
    pbc: [...atoms.pbc],
    velocities: atoms.velocities?.slice(),
    info: { ...atoms.info },
  };
}

/** Checks array lengths, box and coordinates; throws XasInputError naming `source` on failure. */
export function validateAtoms(atoms: Atoms, source = 'atoms'): void {
  const n = atoms.species.length;
  if (atoms.positions.length !== 3 * n) {
    throw new XasInputError(`${atoms.positions.length} position values for ${n} atoms`, {
      file: source,
      field: 'positions',
      expected: `${3 * n} values (x y z per atom)`,
    });
  }
  if (atoms.velocities && atoms.velocities.length !== 3 * n) {
    throw new XasInputError(`${atoms.velocities.length} velocity values for ${n} atoms`, {
      file: source,
      field: 'velocities',
      expected: `${3 * n} values`,
    });
  }
  for (let d = 0; d < 3; d++) {
    const l = atoms.boxAngstrom[d];
    if (!(Number.isFinite(l) && l > 0)) {
      throw new XasInputError(`box length ${'xyz'[d]} is ${l}`, {
        file: source,
        field: 'box',
        expected: 'positive finite lengths in Å',
      });
    }
  }
  for (let i = 0; i < atoms.positions.length; i++) {
    if (!Number.isFinite(atoms.positions[i])) {
      throw new XasInputError(`coordinate ${'xyz'[i % 3]} of atom ${Math.floor(i / 3) + 1} is not finite`, {
        file: source,
        field: 'positions',
      });
    }
  }
}

/** Wraps periodic coordinates into [0, L) in place. */
export function wrapPositions(atoms: Atoms): void {
  const p = atoms.positions;
  for (let d = 0; d < 3; d++) {
    if (!atoms.pbc[d]) continue;
    const l = atoms.boxAngstrom[d];
    for (let i = d; i < p.length; i += 3) {
      let x = p[i] - Math.floor(p[i] / l) * l;
      if (x >= l) x -= l;
      p[i] = x;
    }
  }
}

/** Minimum-image separation vector r_j − r_i written into `out`; returns its length in Å. */
export function minimumImage(atoms: Atoms, i: number, j: number, out: Float64Array | number[]): number {
  const p = atoms.positions;
  let r2 = 0;
  for (let d = 0; d < 3; d++) {
    let dx = p[3 * j + d] - p[3 * i + d];
    if (atoms.pbc[d]) {
      const l = atoms.boxAngstrom[d];
      dx -= l * Math.round(dx / l);
    }
    out[d] = dx;
    r2 += dx * dx;
  }
  return Math.sqrt(r2);
}

/** Distinct chemical symbols in order of first appearance. */
export function speciesList(atoms: Atoms): string[] {
  return [...new Set(atoms.species)];
}
