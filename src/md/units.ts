/**
 * LAMMPS `units metal`: lengths in Å, time in ps, energy in eV, mass in g/mol (amu), temperature in
 * K, pressure in bar. The constants are the ones LAMMPS uses (src/update.cpp, metal branch), so that
 * temperatures, kinetic energies and pressures agree with LAMMPS output digit for digit.
 */

/** Boltzmann constant in eV/K. */
export const BOLTZ_EV_PER_K = 8.617343e-5;
/** ½·m·v² with m in amu and v in Å/ps gives energy in eV after multiplying by this. */
export const MVV2E = 1.0364269e-4;
/** Force (eV/Å) divided by mass (amu) times this is acceleration in Å/ps². */
export const FTM2V = 1 / 1.0364269e-4;
/** (eV/Å³) → bar. */
export const NKTV2P = 1.6021765e6;

/** Standard atomic masses (amu) of the elements a user is likely to simulate with EAM tables. */
export const ATOMIC_MASS: Record<string, number> = {
  H: 1.008,
  Li: 6.94,
  Be: 9.0122,
  C: 12.011,
  Na: 22.99,
  Mg: 24.305,
  Al: 26.9815,
  Si: 28.085,
  K: 39.098,
  Ca: 40.078,
  Ti: 47.867,
  V: 50.9415,
  Cr: 51.9961,
  Mn: 54.938,
  Fe: 55.845,
  Co: 58.9332,
  Ni: 58.6934,
  Cu: 63.546,
  Zn: 65.38,
  Ge: 72.63,
  Zr: 91.224,
  Nb: 92.906,
  Mo: 95.95,
  Ru: 101.07,
  Rh: 102.906,
  Pd: 106.42,
  Ag: 107.8682,
  Sn: 118.71,
  Hf: 178.49,
  Ta: 180.9479,
  W: 183.84,
  Re: 186.207,
  Os: 190.23,
  Ir: 192.217,
  Pt: 195.084,
  Au: 196.96657,
  Pb: 207.2,
};

/** Element symbols by atomic number (index = Z), for funcfl files that only give Z. */
export const ELEMENT_BY_Z: readonly string[] = (
  'X H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr ' +
  'Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb ' +
  'Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu'
).split(' ');
