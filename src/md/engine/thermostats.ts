/**
 * Thermostats for velocity Verlet in LAMMPS metal units.
 *  - Nosé–Hoover chain (Martyna, Klein, Tuckerman, J. Chem. Phys. 97, 2635 (1992)), integrated with the
 *    Trotter factorisation of Martyna et al., Mol. Phys. 87, 1117 (1996): half-step chain updates before
 *    and after the Verlet step; masses Q₁ = N_f k_B T τ², Q_i = k_B T τ² (as LAMMPS fix nvt).
 *  - Langevin in the BAOAB splitting (Leimkuhler & Matthews, AMRX 2013, 34): the Ornstein–Uhlenbeck
 *    step sits between the two half drifts; friction γ = 1/damp. The net random momentum is removed so
 *    the centre of mass stays at rest (like LAMMPS fix langevin … zero yes).
 */
import type { Rng } from '../../core/rng.js';
import { BOLTZ_EV_PER_K, MVV2E } from '../units.js';

/** What a thermostat needs to see of the system. */
export interface ThermostatSystem {
  n: number;
  vel: Float64Array;
  masses: Float64Array;
  /** Degrees of freedom (3N − 3 with momentum conserved). */
  dof: number;
}

export interface Thermostat {
  readonly kind: 'nose-hoover' | 'langevin';
  /** Target temperature in K; may be changed between steps (ramps). */
  targetK: number;
  /** Called before the first half kick. */
  beforeKick(sys: ThermostatSystem, dtPs: number): void;
  /** Called between the two half drifts (BAOAB's O step); returns true if it acts. */
  readonly actsMidDrift: boolean;
  midDrift(sys: ThermostatSystem, dtPs: number): void;
  /** Called after the second half kick. */
  afterKick(sys: ThermostatSystem, dtPs: number): void;
  /** Energy of the extended variables (eV) for the conserved quantity; 0 for Langevin. */
  extendedEnergyEv(sys: ThermostatSystem): number;
  /** Serializable state for checkpoints. */
  state(): Record<string, unknown>;
}

function twiceKinetic(sys: ThermostatSystem): number {
  const v = sys.vel;
  const m = sys.masses;
  let s = 0;
  for (let i = 0; i < sys.n; i++) s += m[i] * (v[3 * i] ** 2 + v[3 * i + 1] ** 2 + v[3 * i + 2] ** 2);
  return s * MVV2E;
}

export class NoseHooverChain implements Thermostat {
  readonly kind = 'nose-hoover' as const;
  readonly actsMidDrift = false;
  targetK: number;
  readonly tauPs: number;
  readonly chainLength: number;
  /** Thermostat positions ξ_i and velocities v_ξi (1/ps). */
  readonly eta: Float64Array;
  readonly etaDot: Float64Array;
  private readonly g: Float64Array;
  private readonly q: Float64Array;

  constructor(targetK: number, tauPs = 0.1, chainLength = 3) {
    this.targetK = targetK;
    this.tauPs = tauPs;
    this.chainLength = chainLength;
    this.eta = new Float64Array(chainLength);
    this.etaDot = new Float64Array(chainLength);
    this.g = new Float64Array(chainLength);
    this.q = new Float64Array(chainLength);
  }

  private masses(dof: number): void {
    const kt = BOLTZ_EV_PER_K * this.targetK;
    const t2 = this.tauPs * this.tauPs;
    this.q[0] = dof * kt * t2;
    for (let i = 1; i < this.chainLength; i++) this.q[i] = kt * t2;
  }

  /** Propagates the chain by dt/2 and scales the particle velocities. */
  private halfStep(sys: ThermostatSystem, dtPs: number): void {
    const m = this.chainLength;
    const kt = BOLTZ_EV_PER_K * this.targetK;
    if (kt <= 0) return;
    this.masses(sys.dof);
    const q = this.q;
    const g = this.g;
    const vx = this.etaDot;
    const dt2 = 0.5 * dtPs;
    const dt4 = 0.25 * dtPs;
    const dt8 = 0.125 * dtPs;
    let ke2 = twiceKinetic(sys);
    g[0] = (ke2 - sys.dof * kt) / q[0];
    for (let i = 1; i < m; i++) g[i] = (q[i - 1] * vx[i - 1] * vx[i - 1] - kt) / q[i];
    vx[m - 1] += g[m - 1] * dt4;
    for (let i = m - 2; i >= 0; i--) {
      const aa = Math.exp(-dt8 * vx[i + 1]);
      vx[i] = vx[i] * aa * aa + g[i] * aa * dt4;
    }
    const scale = Math.exp(-dt2 * vx[0]);
    ke2 *= scale * scale;
    for (let i = 0; i < m; i++) this.eta[i] += dt2 * vx[i];
    g[0] = (ke2 - sys.dof * kt) / q[0];
    for (let i = 0; i < m - 1; i++) {
      const aa = Math.exp(-dt8 * vx[i + 1]);
      vx[i] = vx[i] * aa * aa + g[i] * aa * dt4;
      g[i + 1] = (q[i] * vx[i] * vx[i] - kt) / q[i + 1];
    }
    vx[m - 1] += g[m - 1] * dt4;
    const v = sys.vel;
    for (let k = 0; k < 3 * sys.n; k++) v[k] *= scale;
  }

  beforeKick(sys: ThermostatSystem, dtPs: number): void {
    this.halfStep(sys, dtPs);
  }
  midDrift(): void {}
  afterKick(sys: ThermostatSystem, dtPs: number): void {
    this.halfStep(sys, dtPs);
  }

  extendedEnergyEv(sys: ThermostatSystem): number {
    const kt = BOLTZ_EV_PER_K * this.targetK;
    this.masses(sys.dof);
    let e = sys.dof * kt * this.eta[0];
    for (let i = 0; i < this.chainLength; i++) {
      e += 0.5 * this.q[i] * this.etaDot[i] * this.etaDot[i];
      if (i > 0) e += kt * this.eta[i];
    }
    return e;
  }

  state(): Record<string, unknown> {
    return {
      kind: this.kind,
      targetK: this.targetK,
      tauPs: this.tauPs,
      eta: [...this.eta],
      etaDot: [...this.etaDot],
    };
  }
}

export class LangevinBaoab implements Thermostat {
  readonly kind = 'langevin' as const;
  readonly actsMidDrift = true;
  targetK: number;
  readonly dampingPs: number;
  private readonly rng: Rng;

  constructor(targetK: number, dampingPs: number, rng: Rng) {
    this.targetK = targetK;
    this.dampingPs = dampingPs;
    this.rng = rng;
  }

  beforeKick(): void {}
  afterKick(): void {}

  midDrift(sys: ThermostatSystem, dtPs: number): void {
    const c1 = Math.exp(-dtPs / this.dampingPs);
    const c2 = Math.sqrt(1 - c1 * c1);
    const kt = BOLTZ_EV_PER_K * this.targetK;
    const v = sys.vel;
    const m = sys.masses;
    let px = 0;
    let py = 0;
    let pz = 0;
    let mtot = 0;
    for (let i = 0; i < sys.n; i++) {
      const s = c2 * Math.sqrt(kt / (m[i] * MVV2E));
      const k = 3 * i;
      const ox = v[k];
      const oy = v[k + 1];
      const oz = v[k + 2];
      v[k] = c1 * ox + s * this.rng.normal();
      v[k + 1] = c1 * oy + s * this.rng.normal();
      v[k + 2] = c1 * oz + s * this.rng.normal();
      px += m[i] * (v[k] - c1 * ox);
      py += m[i] * (v[k + 1] - c1 * oy);
      pz += m[i] * (v[k + 2] - c1 * oz);
      mtot += m[i];
    }
    // Remove the net random kick (the friction part conserves zero total momentum by itself).
    px /= mtot;
    py /= mtot;
    pz /= mtot;
    for (let i = 0; i < sys.n; i++) {
      v[3 * i] -= px;
      v[3 * i + 1] -= py;
      v[3 * i + 2] -= pz;
    }
  }

  extendedEnergyEv(): number {
    return 0;
  }

  state(): Record<string, unknown> {
    return { kind: this.kind, targetK: this.targetK, dampingPs: this.dampingPs, rng: this.rng.state() };
  }
}
