/**
 * The embedded molecular-dynamics engine: velocity Verlet (Swope et al., J. Chem. Phys. 76, 637
 * (1982)) on flat Float64Arrays in LAMMPS metal units, EAM forces over a half Verlet list with skin,
 * an optional thermostat (Nosé–Hoover chain or BAOAB Langevin) and Berendsen barostat. Temperature
 * and pressure are defined as LAMMPS defines them (N_f = 3N − 3; P = (2K + Σ r·f)/(3V)).
 * Bad starts (overlapping atoms) and unstable integration (non-finite energy, atoms jumping more than
 * `maxStepDisplacementAngstrom` in one step) raise clear errors instead of producing garbage.
 */
import { XasInputError, XasNumericalError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { type Atoms, validateAtoms } from '../../structure/atoms.js';
import { computeEam, createEamScratch, type EamScratch } from '../potential/eam-compute.js';
import { type EamModel, typesForSpecies } from '../potential/eam-model.js';
import { BOLTZ_EV_PER_K, FTM2V, MVV2E, NKTV2P } from '../units.js';
import { type BerendsenSettings, berendsenScale } from './barostat.js';
import { NeighborList } from './neighbor-list.js';
import type { Thermostat } from './thermostats.js';
import { maxwellBoltzmann } from './velocities.js';

export interface EngineOptions {
  timestepPs: number;
  /** Neighbour-list skin in Å (default 1.0). */
  skinAngstrom?: number;
  /** Closest allowed approach in the starting configuration, Å (default 1.0). */
  minDistanceAngstrom?: number;
  /** Largest allowed displacement of an atom in one step before the run is declared unstable (default 0.5 Å). */
  maxStepDisplacementAngstrom?: number;
  /** Name of the configuration's origin, for error messages. */
  source?: string;
}

export class MdEngine {
  readonly n: number;
  readonly pos: Float64Array;
  readonly vel: Float64Array;
  readonly force: Float64Array;
  readonly masses: Float64Array;
  readonly types: Int32Array;
  readonly species: string[];
  readonly pbc: [boolean, boolean, boolean];
  readonly dof: number;
  box: [number, number, number];
  timestepPs: number;
  step = 0;
  timePs = 0;
  potentialEnergyEv = 0;
  readonly virial = new Float64Array(3);
  thermostat: Thermostat | null = null;
  barostat: BerendsenSettings | null = null;
  readonly model: EamModel;
  readonly nl: NeighborList;
  private readonly scratch: EamScratch;
  private readonly accel: Float64Array;
  private readonly scale = new Float64Array(3);
  private readonly maxStep: number;
  private readonly source: string;

  constructor(atoms: Atoms, model: EamModel, opts: EngineOptions) {
    this.source = opts.source ?? 'configuration';
    validateAtoms(atoms, this.source);
    if (!atoms.pbc.every(Boolean)) {
      throw new XasInputError('the MD engine needs a fully periodic box', {
        file: this.source,
        field: 'pbc',
        expected: 'T T T',
      });
    }
    if (!(opts.timestepPs > 0 && opts.timestepPs <= 0.01)) {
      throw new XasInputError(`timestep ${opts.timestepPs} ps`, {
        field: 'timestepPs',
        expected: '0 < dt ≤ 0.01 ps',
      });
    }
    this.model = model;
    this.n = atoms.species.length;
    this.species = atoms.species.slice();
    this.types = typesForSpecies(model, atoms.species);
    this.masses = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) this.masses[i] = model.masses[this.types[i]];
    this.pos = atoms.positions.slice();
    this.vel = atoms.velocities ? atoms.velocities.slice() : new Float64Array(3 * this.n);
    this.force = new Float64Array(3 * this.n);
    this.accel = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) this.accel[i] = FTM2V / this.masses[i];
    this.box = [...atoms.boxAngstrom];
    this.pbc = [true, true, true];
    this.dof = Math.max(3 * this.n - 3, 1);
    this.timestepPs = opts.timestepPs;
    this.maxStep = opts.maxStepDisplacementAngstrom ?? 0.5;
    this.nl = new NeighborList(model.cutoffAngstrom, opts.skinAngstrom ?? 1.0);
    this.scratch = createEamScratch(this.n);
    this.nl.build(this.pos, this.box, this.pbc);
    this.checkOverlaps(opts.minDistanceAngstrom ?? 1.0);
    this.computeForces();
  }

  private checkOverlaps(minDistance: number): void {
    const { start, codes, shiftVec } = this.nl;
    const p = this.pos;
    const lim2 = minDistance * minDistance;
    for (let i = 0; i < this.n; i++) {
      for (let k = start[i]; k < start[i + 1]; k++) {
        const j = codes[k] >>> 8;
        const s = (codes[k] & 255) * 3;
        const dx = p[3 * j] + shiftVec[s] - p[3 * i];
        const dy = p[3 * j + 1] + shiftVec[s + 1] - p[3 * i + 1];
        const dz = p[3 * j + 2] + shiftVec[s + 2] - p[3 * i + 2];
        const r2 = dx * dx + dy * dy + dz * dz;
        if (r2 < lim2) {
          throw new XasInputError(
            `atoms ${i + 1} and ${j + 1} overlap: ${Math.sqrt(r2).toFixed(4)} Å apart${i === j ? ' (periodic image of itself)' : ''}`,
            { file: this.source, expected: `no two atoms closer than ${minDistance} Å` },
          );
        }
      }
    }
  }

  /** Recomputes forces (rebuilding the neighbour list when needed); returns the potential energy. */
  computeForces(): number {
    if (this.nl.needsRebuild(this.pos, this.box)) this.nl.build(this.pos, this.box, this.pbc);
    this.potentialEnergyEv = computeEam(
      this.model,
      this.pos,
      this.types,
      this.nl,
      this.force,
      this.scratch,
      this.virial,
    );
    return this.potentialEnergyEv;
  }

  kineticEnergyEv(): number {
    const v = this.vel;
    const m = this.masses;
    let s = 0;
    for (let i = 0; i < this.n; i++) s += m[i] * (v[3 * i] ** 2 + v[3 * i + 1] ** 2 + v[3 * i + 2] ** 2);
    return 0.5 * s * MVV2E;
  }

  temperatureK(): number {
    return (2 * this.kineticEnergyEv()) / (this.dof * BOLTZ_EV_PER_K);
  }

  volume(): number {
    return this.box[0] * this.box[1] * this.box[2];
  }

  /** Diagonal pressure components (bar) written into `out`; returns the scalar pressure. */
  pressureBar(out?: Float64Array | number[]): number {
    const v = this.vel;
    const m = this.masses;
    const kin = [0, 0, 0];
    for (let i = 0; i < this.n; i++) {
      for (let d = 0; d < 3; d++) kin[d] += m[i] * v[3 * i + d] ** 2 * MVV2E;
    }
    // LAMMPS uses N_f k_B T for the kinetic part of the scalar pressure; with N_f = 3N − 3 that is Σ m v².
    const vol = this.volume();
    let total = 0;
    for (let d = 0; d < 3; d++) {
      const p = ((kin[d] + this.virial[d]) / vol) * NKTV2P;
      if (out) out[d] = p;
      total += p;
    }
    return total / 3;
  }

  /** Total energy plus thermostat energy: conserved by NVE and Nosé–Hoover dynamics. */
  conservedEnergyEv(): number {
    const ext = this.thermostat ? this.thermostat.extendedEnergyEv(this) : 0;
    return this.potentialEnergyEv + this.kineticEnergyEv() + ext;
  }

  /** Seeded Maxwell–Boltzmann velocities at T (zero momentum, exact instantaneous T). */
  initVelocities(temperatureK: number, rng: Rng): void {
    maxwellBoltzmann(this.masses, temperatureK, rng, this.vel);
  }

  /** Scales the box (and coordinates) to new edge lengths, e.g. to impose a lattice parameter. */
  setBox(box: [number, number, number]): void {
    for (let d = 0; d < 3; d++) {
      const f = box[d] / this.box[d];
      for (let k = d; k < this.pos.length; k += 3) this.pos[k] *= f;
    }
    this.box = [...box];
    this.nl.updateBox(this.box);
    this.computeForces();
  }

  /**
   * Advances `steps` steps. `onStep` runs after each completed step; returning false stops the run.
   * Throws XasNumericalError when the integration becomes unstable.
   */
  run(steps: number, onStep?: (engine: MdEngine) => boolean | undefined): void {
    const n3 = 3 * this.n;
    const pos = this.pos;
    const vel = this.vel;
    const f = this.force;
    const acc = this.accel;
    const maxStep2 = this.maxStep * this.maxStep;
    const diag = new Float64Array(3);
    for (let s = 0; s < steps; s++) {
      const dt = this.timestepPs;
      const half = 0.5 * dt;
      const th = this.thermostat;
      if (th) th.beforeKick(this, dt);
      let vmax2 = 0;
      for (let i = 0, k = 0; i < this.n; i++, k += 3) {
        const a = half * acc[i];
        const vx = vel[k] + a * f[k];
        const vy = vel[k + 1] + a * f[k + 1];
        const vz = vel[k + 2] + a * f[k + 2];
        vel[k] = vx;
        vel[k + 1] = vy;
        vel[k + 2] = vz;
        const v2 = vx * vx + vy * vy + vz * vz;
        if (v2 > vmax2) vmax2 = v2;
      }
      if (!(vmax2 * dt * dt <= maxStep2))
        this.unstable(`an atom would move ${Math.sqrt(vmax2) * dt} Å in one step`);
      if (th?.actsMidDrift) {
        for (let k = 0; k < n3; k++) pos[k] += half * vel[k];
        th.midDrift(this, dt);
        for (let k = 0; k < n3; k++) pos[k] += half * vel[k];
      } else {
        for (let k = 0; k < n3; k++) pos[k] += dt * vel[k];
      }
      const pe = this.computeForces();
      if (!Number.isFinite(pe)) this.unstable(`the potential energy is ${pe}`);
      for (let i = 0, k = 0; i < this.n; i++, k += 3) {
        const a = half * acc[i];
        vel[k] += a * f[k];
        vel[k + 1] += a * f[k + 1];
        vel[k + 2] += a * f[k + 2];
      }
      if (th) th.afterKick(this, dt);
      if (this.barostat) {
        const p = this.pressureBar(diag);
        berendsenScale(this.barostat, dt, p, diag, this.scale);
        for (let d = 0; d < 3; d++) {
          const mu = this.scale[d];
          for (let k = d; k < n3; k += 3) pos[k] *= mu;
          this.box[d] *= mu;
        }
        // As LAMMPS fix press/berendsen: forces are next evaluated at the following step.
        this.nl.updateBox(this.box);
      }
      this.step++;
      this.timePs += dt;
      if (onStep && onStep(this) === false) return;
    }
  }

  private unstable(what: string): never {
    throw new XasNumericalError(
      `integration unstable at step ${this.step + 1} (t = ${this.timePs.toFixed(4)} ps): ${what}; ` +
        `reduce timestepPs (now ${this.timestepPs}) or check the starting configuration and potential`,
    );
  }

  /** Snapshot as Atoms (positions wrapped into the box, velocities included). */
  toAtoms(info: Atoms['info'] = {}): Atoms {
    const p = this.pos.slice();
    for (let d = 0; d < 3; d++) {
      const l = this.box[d];
      for (let k = d; k < p.length; k += 3) {
        let x = p[k] - Math.floor(p[k] / l) * l;
        if (x >= l) x -= l;
        p[k] = x;
      }
    }
    return {
      positions: p,
      species: this.species.slice(),
      boxAngstrom: [...this.box],
      pbc: [true, true, true],
      velocities: this.vel.slice(),
      info: { ...info },
    };
  }
}
