/**
 * Physical constants of the EXAFS equation, with the values Larch 0.9.58 uses: the k↔E conversion
 * ħ²/(2mₑ) in eV·Å² from CODATA 2018 (scipy.constants 1.10), so that k = sqrt(ETOK·(E − E0)).
 */

const HBAR_J_S = 1.054571817e-34;
const ELECTRON_MASS_KG = 9.1093837015e-31;
const ELEMENTARY_CHARGE_C = 1.602176634e-19;

/** ħ²/(2mₑ) in eV·Å²: E[eV] = KTOE · k²[Å⁻²] (≈ 3.80998). */
export const KTOE = (1e20 * HBAR_J_S ** 2) / (2 * ELECTRON_MASS_KG * ELEMENTARY_CHARGE_C);
/** 1/KTOE in Å⁻²/eV (≈ 0.262468): k² = ETOK · E. */
export const ETOK = 1 / KTOE;

/** Wavenumber shifted by an energy shift ΔE (eV), Larch sign: q = sign(k² − ETOK·ΔE)·sqrt(|…|). */
export function shiftedWavenumber(kInvAngstrom: number, deltaEnergyEv: number): number {
  const en = kInvAngstrom * kInvAngstrom - ETOK * deltaEnergyEv;
  return Math.sign(en) * Math.sqrt(Math.abs(en));
}
