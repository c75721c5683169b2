/**
 * Physical constants of the XAFS conventions, exactly as Larch 0.9.58 derives them
 * (larch/xafs/xafsutils.py from scipy.constants, CODATA 2018): k = sqrt(ETOK·(E − E0)).
 */

/** Planck constant over 2π in J·s (CODATA 2018, h = 6.62607015e-34 J·s exactly). */
const HBAR = 6.62607015e-34 / (2 * Math.PI);
/** Electron mass in kg (CODATA 2018). */
const ELECTRON_MASS = 9.1093837015e-31;
/** Elementary charge in C (SI exact). */
const ELEMENTARY_CHARGE = 1.602176634e-19;

/** ħ²/(2mₑ) in eV·Å²: E = KTOE·k² (k in Å⁻¹, E in eV). Same operation order as Larch for bit equality. */
export const KTOE = (1e20 * (HBAR * HBAR)) / (2 * ELECTRON_MASS * ELEMENTARY_CHARGE);
/** 1/KTOE in Å⁻²·eV⁻¹: k² = ETOK·E. */
export const ETOK = 1 / KTOE;

/** Photo-electron wavenumber (Å⁻¹) for a kinetic energy E − E0 in eV (Larch's etok). */
export function etok(energyEv: number): number {
  return Math.sqrt(energyEv / KTOE);
}

/** Photo-electron kinetic energy (eV) for a wavenumber k in Å⁻¹ (Larch's ktoe). */
export function ktoe(kInvAngstrom: number): number {
  return kInvAngstrom * kInvAngstrom * KTOE;
}
