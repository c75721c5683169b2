/**
 * Runs one protocol job with the embedded engine. Crystal: lattice → Maxwell–Boltzmann velocities →
 * (NPT with Nosé–Hoover + Berendsen, a(T) from the mean box of its second half) → for each
 * lattice-parameter offset: rescale, NVT equilibration, NVT production with snapshots. Liquid: melt
 * (NPT at the melt temperature), linear quench ramp, NPT at T, NVT at the mean volume, production.
 * Frames are classified and written as they are produced, so an interruption keeps them.
 */
import { join } from 'node:path';
import { XasNumericalError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { SOFTWARE } from '../../core/spectrum.js';
import { type Atoms, boxVolume } from '../../structure/atoms.js';
import { buildLattice } from '../../structure/lattice.js';
import { readExtendedXyz, writeExtendedXyz } from '../../structure/xyz.js';
import { MdEngine } from '../engine/md-engine.js';
import { LangevinBaoab, NoseHooverChain, type Thermostat } from '../engine/thermostats.js';
import { readEamFile } from '../potential/eam-file.js';
import { buildEamModel, type EamModel } from '../potential/eam-model.js';
import { type CrystalJob, deriveSeed, type Job, type LiquidJob, stepsFor } from './jobs.js';
import type { Protocol } from './schema.js';
import {
  classifyFrame,
  type ExpectedPhase,
  type FrameRecord,
  handleFrame,
  isStateComplete,
  roundFractions,
  type StateManifest,
  statePath,
  writeManifest,
} from './snapshots.js';

export interface JobProgress {
  jobId: string;
  stage: string;
  doneSteps: number;
  totalSteps: number;
}

export interface JobOutcome {
  jobId: string;
  written: string[];
  skipped: string[];
}

export function loadEamPotential(p: Protocol): EamModel {
  if (p.potential.style === 'kim') throw new XasNumericalError('KIM models run only in LAMMPS');
  return buildEamModel(readEamFile(p.potential.file, p.potential.style === 'eam' ? 'funcfl' : 'setfl'));
}

/** Total MD steps of a job (for progress). */
export function jobSteps(job: Job, p: Protocol): number {
  const dt = job.spec.timestepPs ?? p.timestepPs;
  const prod = stepsFor(job.spec.equilibrationPs, dt) + stepsFor(job.spec.productionPs, dt);
  if (job.kind === 'crystal') {
    const npt = job.spec.lattice === 'npt' ? stepsFor(job.spec.nptPs, dt) : 0;
    return npt + job.offsetsAngstrom.length * prod;
  }
  const s = job.spec;
  return stepsFor(s.meltPs, dt) + stepsFor(s.quenchPs, dt) + stepsFor(s.nptPs, dt) + prod;
}

function makeThermostat(p: Protocol, t: number, rng: Rng): Thermostat {
  return p.thermostat.kind === 'nose-hoover'
    ? new NoseHooverChain(t, p.thermostat.tauPs, p.thermostat.chain)
    : new LangevinBaoab(t, p.thermostat.dampingPs, rng.fork());
}

class Progress {
  private done = 0;
  private last = 0;
  constructor(
    private readonly jobId: string,
    private readonly total: number,
    private readonly report: (p: JobProgress) => void,
  ) {}
  step(stage: string, n = 1): void {
    this.done += n;
    const now = Date.now();
    if (now - this.last > 250 || this.done >= this.total) {
      this.last = now;
      this.report({ jobId: this.jobId, stage, doneSteps: this.done, totalSteps: this.total });
    }
  }
}

/** Runs `steps` steps, reporting progress; optionally ramps the target temperature linearly. */
function advance(e: MdEngine, steps: number, stage: string, prog: Progress, ramp?: [number, number]): void {
  if (steps <= 0) return;
  let k = 0;
  e.run(steps, (en) => {
    k++;
    if (ramp && en.thermostat) en.thermostat.targetK = ramp[0] + ((ramp[1] - ramp[0]) * k) / steps;
    prog.step(stage);
    return true;
  });
}

/** NPT stage: returns the box averaged over the second half. */
function nptStage(
  e: MdEngine,
  p: Protocol,
  steps: number,
  stage: string,
  prog: Progress,
): [number, number, number] {
  e.barostat = { ...p.barostat };
  const half = Math.floor(steps / 2);
  const sum = [0, 0, 0];
  let count = 0;
  let k = 0;
  e.run(steps, (en) => {
    k++;
    if (k > steps - Math.max(half, 1)) {
      for (let d = 0; d < 3; d++) sum[d] += en.box[d];
      count++;
    }
    prog.step(stage);
    return true;
  });
  e.barostat = null;
  return count > 0 ? [sum[0] / count, sum[1] / count, sum[2] / count] : [...e.box];
}

interface ProductionArgs {
  p: Protocol;
  engine: MdEngine;
  stateId: string;
  jobId: string;
  expected: ExpectedPhase;
  temperatureK: number;
  seed: number;
  aAngstrom?: number;
  manifestExtra: Partial<StateManifest>;
  prog: Progress;
  t0: number;
}

function runProduction(
  a: ProductionArgs,
  equilibrationPs: number,
  productionPs: number,
  snapshotEveryPs: number,
): void {
  const { p, engine: e } = a;
  const dt = e.timestepPs;
  advance(e, stepsFor(equilibrationPs, dt), `${a.stateId}: NVT equilibration`, a.prog);
  const every = Math.max(1, stepsFor(snapshotEveryPs, dt));
  const nFrames = Math.max(1, Math.round(productionPs / snapshotEveryPs));
  const frames: FrameRecord[] = [];
  const dropped: StateManifest['dropped'] = [];
  let consecutive = 0;
  let status: StateManifest['status'] = 'complete';
  const startStep = e.step;
  for (let f = 1; f <= nFrames; f++) {
    advance(e, every, `${a.stateId}: production`, a.prog);
    const atoms = e.toAtoms();
    const cls = classifyFrame(atoms, a.expected, p.classify);
    const rec = handleFrame(
      atoms,
      a.expected,
      {
        protocol: p,
        stateId: a.stateId,
        temperatureK: a.temperatureK,
        aAngstrom: a.aAngstrom,
        seed: a.seed,
        step: e.step - startStep,
        timePs: (e.step - startStep) * dt,
        instantaneousK: e.temperatureK(),
      },
      frames.length + 1,
      cls,
    );
    if (rec) frames.push(rec);
    if (!cls.ok) {
      if (!rec)
        dropped.push({
          step: e.step - startStep,
          detected: cls.detected,
          fractions: roundFractions(cls.fractions),
        });
      consecutive++;
      if (consecutive >= p.classify.stopAfterMismatches) {
        status = 'transformed';
        a.prog.step(`${a.stateId}: transformed`, (nFrames - f) * every);
        break;
      }
    } else consecutive = 0;
  }
  const box: [number, number, number] = [...e.box];
  writeManifest(p.outDir, {
    software: SOFTWARE,
    protocol: p.name,
    engine: 'embedded',
    stateId: a.stateId,
    jobId: a.jobId,
    phase: a.expected === 'liquid' ? 'liquid' : 'crystal',
    structure: a.expected,
    temperatureK: a.temperatureK,
    densityPerA3: e.n / boxVolume({ boxAngstrom: box }),
    boxAngstrom: box,
    atoms: e.n,
    seed: a.seed,
    timestepPs: dt,
    potential: p.potential.style === 'kim' ? p.potential.model : p.potential.file,
    status,
    frames,
    dropped,
    wallSeconds: (Date.now() - a.t0) / 1000,
    ...a.manifestExtra,
  } as StateManifest);
}

function runCrystal(job: CrystalJob, p: Protocol, model: EamModel, prog: Progress, out: JobOutcome): void {
  const s = job.spec;
  const dt = s.timestepPs ?? p.timestepPs;
  const todo = job.stateIds.filter((id) => !isStateComplete(p.outDir, id));
  out.skipped.push(...job.stateIds.filter((id) => !todo.includes(id)));
  if (todo.length === 0) return;
  const t0 = Date.now();
  const rng = new Rng(job.seed);
  const jobDir = statePath(p.outDir, job.id);
  const nptFile = join(jobDir, 'npt-final.xyz');
  let start: Atoms;
  let aT = s.aAngstrom;
  const reuse = s.lattice === 'npt' && todo.length < job.stateIds.length && safeRead(nptFile);
  if (reuse) {
    start = reuse;
    aT = Number(reuse.info.a);
    prog.step('NPT (reused)', stepsFor(s.nptPs, dt));
  } else {
    const lattice = buildLattice({
      structure: s.structure,
      aAngstrom: s.aAngstrom,
      cOverA: s.cOverA,
      cells: s.cells,
      element: p.element,
    });
    const e = new MdEngine(lattice, model, { timestepPs: dt, skinAngstrom: p.skinAngstrom, source: job.id });
    e.initVelocities(job.temperatureK, rng);
    e.thermostat = makeThermostat(p, job.temperatureK, rng);
    if (s.lattice === 'npt' && s.nptPs > 0) {
      const mean = nptStage(e, p, stepsFor(s.nptPs, dt), `${job.id}: NPT`, prog);
      aT = (s.aAngstrom * mean[0]) / lattice.boxAngstrom[0];
      e.setBox(mean);
    }
    start = e.toAtoms({ a: aT, T: job.temperatureK, stage: 'npt-final' });
    if (s.lattice === 'npt') writeExtendedXyz(nptFile, start);
  }
  for (let k = 0; k < job.stateIds.length; k++) {
    const stateId = job.stateIds[k];
    if (!todo.includes(stateId)) continue;
    const d = job.offsetsAngstrom[k];
    const a = aT + d;
    const seed = deriveSeed(job.seed, stateId);
    const srng = new Rng(seed);
    const e = new MdEngine(start, model, { timestepPs: dt, skinAngstrom: p.skinAngstrom, source: stateId });
    const f = a / aT;
    e.setBox([start.boxAngstrom[0] * f, start.boxAngstrom[1] * f, start.boxAngstrom[2] * f]);
    e.thermostat = makeThermostat(p, job.temperatureK, srng);
    runProduction(
      {
        p,
        engine: e,
        stateId,
        jobId: job.id,
        expected: s.structure,
        temperatureK: job.temperatureK,
        seed,
        aAngstrom: a,
        manifestExtra: {
          aAngstrom: a,
          aEquilibriumAngstrom: aT,
          offsetAngstrom: d,
          phase: 'crystal',
          structure: s.structure,
        },
        prog,
        t0,
      },
      s.equilibrationPs,
      s.productionPs,
      s.snapshotEveryPs,
    );
    out.written.push(stateId);
  }
}

function safeRead(path: string): Atoms | null {
  try {
    const a = readExtendedXyz(path)[0];
    return a.velocities && Number.isFinite(Number(a.info.a)) ? a : null;
  } catch {
    return null;
  }
}

function runLiquid(job: LiquidJob, p: Protocol, model: EamModel, prog: Progress, out: JobOutcome): void {
  const s = job.spec;
  const stateId = job.stateIds[0];
  if (isStateComplete(p.outDir, stateId)) {
    out.skipped.push(stateId);
    return;
  }
  const t0 = Date.now();
  const dt = s.timestepPs ?? p.timestepPs;
  const rng = new Rng(job.seed);
  const lattice = buildLattice({
    structure: s.startStructure,
    aAngstrom: s.aAngstrom,
    cells: s.cells,
    element: p.element,
  });
  const e = new MdEngine(lattice, model, { timestepPs: dt, skinAngstrom: p.skinAngstrom, source: job.id });
  e.initVelocities(s.meltTemperatureK, rng);
  e.thermostat = makeThermostat(p, s.meltTemperatureK, rng);
  nptStage(e, p, stepsFor(s.meltPs, dt), `${job.id}: melt at ${s.meltTemperatureK} K`, prog);
  const melted = classifyFrame(e.toAtoms(), 'liquid', p.classify);
  if (!melted.ok) {
    throw new XasNumericalError(
      `${job.id}: still crystalline after ${s.meltPs} ps at ${s.meltTemperatureK} K (${melted.detected}); raise meltTemperatureK or meltPs`,
    );
  }
  e.barostat = { ...p.barostat };
  advance(e, stepsFor(s.quenchPs, dt), `${job.id}: quench`, prog, [s.meltTemperatureK, job.temperatureK]);
  if (e.thermostat) e.thermostat.targetK = job.temperatureK;
  const mean = nptStage(e, p, stepsFor(s.nptPs, dt), `${job.id}: NPT at ${job.temperatureK} K`, prog);
  e.setBox(mean);
  runProduction(
    {
      p,
      engine: e,
      stateId,
      jobId: job.id,
      expected: 'liquid',
      temperatureK: job.temperatureK,
      seed: job.seed,
      manifestExtra: { phase: 'liquid', structure: 'liquid' },
      prog,
      t0,
    },
    s.equilibrationPs,
    s.productionPs,
    s.snapshotEveryPs,
  );
  out.written.push(stateId);
}

/** Runs one job with the embedded engine (synchronous, CPU-bound: call it from a worker thread). */
export function runEmbeddedJob(
  job: Job,
  p: Protocol,
  model: EamModel,
  report: (pr: JobProgress) => void,
): JobOutcome {
  const prog = new Progress(job.id, jobSteps(job, p), report);
  const out: JobOutcome = { jobId: job.id, written: [], skipped: [] };
  if (job.kind === 'crystal') runCrystal(job, p, model, prog, out);
  else runLiquid(job, p, model, prog, out);
  return out;
}
