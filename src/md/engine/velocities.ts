/**
 * Seeded Maxwell–Boltzmann velocities (LAMMPS `velocity all create T seed dist gaussian mom yes`):
 * Gaussian components with variance k_B T/m, zero total momentum, then rescaled so the instantaneous
 * temperature with N_f = 3N − 3 equals T exactly.
 */
import type { Rng } from '../../core/rng.js';
import { BOLTZ_EV_PER_K, MVV2E } from '../units.js';

export function maxwellBoltzmann(
  masses: Float64Array,
  temperatureK: number,
  rng: Rng,
  out: Float64Array,
): void {
  const n = masses.length;
  let px = 0;
  let py = 0;
  let pz = 0;
  let mtot = 0;
  for (let i = 0; i < n; i++) {
    const s = Math.sqrt((BOLTZ_EV_PER_K * Math.max(temperatureK, 0)) / (masses[i] * MVV2E));
    out[3 * i] = s * rng.normal();
    out[3 * i + 1] = s * rng.normal();
    out[3 * i + 2] = s * rng.normal();
    px += masses[i] * out[3 * i];
    py += masses[i] * out[3 * i + 1];
    pz += masses[i] * out[3 * i + 2];
    mtot += masses[i];
  }
  let ke2 = 0;
  for (let i = 0; i < n; i++) {
    out[3 * i] -= px / mtot;
    out[3 * i + 1] -= py / mtot;
    out[3 * i + 2] -= pz / mtot;
    ke2 += masses[i] * (out[3 * i] ** 2 + out[3 * i + 1] ** 2 + out[3 * i + 2] ** 2) * MVV2E;
  }
  const dof = Math.max(3 * n - 3, 1);
  const t = ke2 / (dof * BOLTZ_EV_PER_K);
  const f = t > 0 && temperatureK > 0 ? Math.sqrt(temperatureK / t) : 0;
  for (let k = 0; k < 3 * n; k++) out[k] *= f;
}
