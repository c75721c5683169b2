/** Atomic structures: the Atoms type, crystal lattices, extended XYZ and LAMMPS data/dump files. */
export * from './atoms.js';
export * from './lammps-data.js';
export * from './lammps-dump.js';
export * from './lattice.js';
export * from './xyz.js';
