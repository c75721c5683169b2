/**
 * Berendsen barostat (Berendsen et al., J. Chem. Phys. 81, 3684 (1984)) for orthorhombic boxes, as
 * LAMMPS fix press/berendsen: after each step the box and the coordinates are scaled by
 * μ = [1 − (Δt/τ_P)(P₀ − P)/B]^(1/3), with B the bulk modulus that sets the response. 'iso' couples
 * the three axes through the scalar pressure; 'aniso' scales each axis with its own diagonal pressure
 * (lets c/a of hcp relax). It reaches the equilibrium density; it does not sample NPT fluctuations, so
 * it is used for equilibration before NVT production.
 */
export type CouplingKind = 'iso' | 'aniso';

export interface BerendsenSettings {
  pressureBar: number;
  tauPs: number;
  /** Bulk modulus in bar (Ni ≈ 1.8e6 bar). */
  bulkModulusBar: number;
  coupling: CouplingKind;
}

/** Scale factors per axis for one step, from the current pressure (scalar) and diagonal pressures. */
export function berendsenScale(
  s: BerendsenSettings,
  dtPs: number,
  pressureBar: number,
  diagonalBar: ArrayLike<number>,
  out: Float64Array,
): void {
  for (let d = 0; d < 3; d++) {
    const p = s.coupling === 'iso' ? pressureBar : diagonalBar[d];
    let mu3 = 1 - ((dtPs / s.tauPs) * (s.pressureBar - p)) / s.bulkModulusBar;
    // Limit one step to ±1 % in length, as a guard against violent starts (LAMMPS has no such guard,
    // but with sensible τ_P and B the factor never comes near it).
    if (mu3 < 0.97) mu3 = 0.97;
    if (mu3 > 1.03) mu3 = 1.03;
    out[d] = Math.cbrt(mu3);
  }
}
