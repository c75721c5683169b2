/**
 * The LAMMPS driver: the same protocol jobs as the embedded engine, run by Debian `lmp`. A job
 * becomes one input deck (same stages: Maxwell–Boltzmann start, fix nvt or fix langevin + nve,
 * fix press/berendsen for NPT with the box averaged over the second half by fix ave/time,
 * change_box to the mean/offset box, NVT equilibration, dump custom during production); the
 * dumps are then classified and written as the same snapshots and state manifests.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { XasInputError, XasNumericalError } from '../../core/errors.js';
import { SOFTWARE } from '../../core/spectrum.js';
import { boxVolume } from '../../structure/atoms.js';
import { formatLammpsData } from '../../structure/lammps-data.js';
import { readLammpsDump } from '../../structure/lammps-dump.js';
import { buildLattice } from '../../structure/lattice.js';
import { readEamFile } from '../potential/eam-file.js';
import type { JobOutcome, JobProgress } from '../protocol/embedded-job.js';
import { type CrystalJob, deriveSeed, type Job, stepsFor } from '../protocol/jobs.js';
import type { Protocol } from '../protocol/schema.js';
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
} from '../protocol/snapshots.js';
import { ATOMIC_MASS, BOLTZ_EV_PER_K, MVV2E } from '../units.js';
import { runLammps } from './lammps-exec.js';

/** LAMMPS seeds must be positive and below 900 000 000. */
export function lammpsSeed(seed: number): number {
  return (Math.abs(seed) % 899_999_999) + 1;
}

export function elementMass(p: Protocol): number {
  if (p.potential.style === 'kim') {
    const m = p.potential.massAmu ?? ATOMIC_MASS[p.element];
    if (!m)
      throw new XasInputError(`no mass known for ${p.element}`, {
        field: 'potential.massAmu',
        expected: 'a mass in amu',
      });
    return m;
  }
  const t = readEamFile(p.potential.file, p.potential.style === 'eam' ? 'funcfl' : 'setfl');
  const k = t.format === 'funcfl' ? 0 : t.elements.indexOf(p.element);
  if (k < 0) {
    throw new XasInputError(`${p.element} is not in ${p.potential.file}`, {
      field: 'element',
      expected: t.elements.join(', '),
    });
  }
  return t.masses[k];
}

interface DeckOutput {
  deck: string;
  /** Dump file per state id (relative to the work directory). */
  dumps: Record<string, string>;
  thermoEvery: number;
  totalSteps: number;
}

/** The header that (re)creates the system: units/KIM, the box from data or restart, the pair style. */
function systemCommands(p: Protocol, source: string, restart: boolean): string[] {
  const out: string[] = [];
  if (p.potential.style === 'kim') out.push(`kim init ${p.potential.model} metal`);
  else out.push('units metal');
  out.push('atom_style atomic', 'boundary p p p', 'atom_modify map array');
  out.push(restart ? `read_restart ${source}` : `read_data ${source}`);
  if (p.potential.style === 'kim') out.push(`kim interactions ${p.element}`);
  else if (p.potential.style === 'eam') out.push('pair_style eam', `pair_coeff 1 1 ${p.potential.file}`);
  else out.push('pair_style eam/alloy', `pair_coeff * * ${p.potential.file} ${p.element}`);
  out.push(`neighbor ${p.skinAngstrom} bin`, 'neigh_modify every 1 delay 0 check yes');
  return out;
}

function thermostatFix(p: Protocol, t0: number, t1: number, seed: number): string[] {
  if (p.thermostat.kind === 'nose-hoover') {
    return [`fix th all nvt temp ${t0} ${t1} ${p.thermostat.tauPs} tchain ${p.thermostat.chain}`];
  }
  return [
    'fix nve all nve',
    `fix th all langevin ${t0} ${t1} ${p.thermostat.dampingPs} ${lammpsSeed(seed)} zero yes`,
  ];
}

function unfixThermostat(p: Protocol): string[] {
  return p.thermostat.kind === 'nose-hoover' ? ['unfix th'] : ['unfix th', 'unfix nve'];
}

function barostatFix(p: Protocol): string {
  const b = p.barostat;
  return `fix ba all press/berendsen ${b.coupling} ${b.pressureBar} ${b.pressureBar} ${b.tauPs} modulus ${b.bulkModulusBar}`;
}

/** NPT stage with the box averaged over its second half; leaves the box at the mean and prints it. */
function nptCommands(p: Protocol, steps: number, tag: string): string[] {
  if (steps <= 0) return [];
  const half = Math.max(1, Math.floor(steps / 2));
  return [
    barostatFix(p),
    'reset_timestep 0',
    'variable bx equal lx',
    'variable by equal ly',
    'variable bz equal lz',
    `fix avb all ave/time 1 ${half} ${steps} v_bx v_by v_bz`,
    `run ${steps}`,
    `print "XASFLOW_BOX ${tag} $(f_avb[1]:%.12g) $(f_avb[2]:%.12g) $(f_avb[3]:%.12g)"`,
    'change_box all x scale $(f_avb[1]/lx) y scale $(f_avb[2]/ly) z scale $(f_avb[3]/lz) remap',
    'unfix avb',
    'unfix ba',
  ];
}

function productionCommands(equilSteps: number, prodSteps: number, every: number, dump: string): string[] {
  return [
    ...(equilSteps > 0 ? [`run ${equilSteps}`] : []),
    'reset_timestep 0',
    `dump d all custom ${every} ${dump} id type x y z vx vy vz`,
    'dump_modify d sort id format float %.10g',
    `run ${prodSteps}`,
    'undump d',
  ];
}

/** The starting lattice of a job (written as the LAMMPS data file). */
export function startLattice(job: Job, p: Protocol) {
  return job.kind === 'crystal'
    ? buildLattice({
        structure: job.spec.structure,
        aAngstrom: job.spec.aAngstrom,
        cOverA: job.spec.cOverA,
        cells: job.spec.cells,
        element: p.element,
      })
    : buildLattice({
        structure: job.spec.startStructure,
        aAngstrom: job.spec.aAngstrom,
        cells: job.spec.cells,
        element: p.element,
      });
}

/** Input deck of one job (pure: no files touched). */
export function lammpsDeck(job: Job, p: Protocol, dataFile: string): DeckOutput {
  const s = job.spec;
  const dt = s.timestepPs ?? p.timestepPs;
  const thermoEvery = Math.max(1, Math.round(0.1 / dt));
  const every = Math.max(1, stepsFor(s.snapshotEveryPs, dt));
  const nFrames = Math.max(1, Math.round(s.productionPs / s.snapshotEveryPs));
  const prodSteps = every * nFrames;
  const equilSteps = stepsFor(s.equilibrationPs, dt);
  const common = [
    `timestep ${dt}`,
    `thermo ${thermoEvery}`,
    'thermo_style custom step temp pe etotal press vol',
    'thermo_modify flush yes',
  ];
  const lines: string[] = [
    `# ${SOFTWARE}: protocol ${p.name}, job ${job.id}, seed ${job.seed}`,
    ...systemCommands(p, dataFile, false),
    ...common,
  ];
  const dumps: Record<string, string> = {};
  let total = 0;
  if (job.kind === 'crystal') {
    lines.push(
      `velocity all create ${job.temperatureK} ${lammpsSeed(job.seed)} dist gaussian mom yes rot no`,
    );
    lines.push(...thermostatFix(p, job.temperatureK, job.temperatureK, job.seed));
    if (job.spec.lattice === 'npt') {
      const n = stepsFor(job.spec.nptPs, dt);
      lines.push(...nptCommands(p, n, 'npt'));
      total += n;
    }
    // a(T) frozen as a number: the lattice parameter scaled by the (mean NPT) box.
    const lx0 = startLattice(job, p).boxAngstrom[0];
    lines.push(
      ...unfixThermostat(p),
      `variable aT equal $(${job.spec.aAngstrom}*lx/${lx0}:%.15g)`,
      'print "XASFLOW_AT $(v_aT:%.15g)"',
      'write_restart start.restart',
    );
    job.stateIds.forEach((id, k) => {
      const seed = deriveSeed(job.seed, id);
      const f = (job as CrystalJob).offsetsAngstrom[k];
      dumps[id] = `frames-${k}.dump`;
      lines.push(
        'clear',
        `# state ${id}: lattice offset ${f} Å`,
        ...systemCommands(p, 'start.restart', true),
        ...common,
        // Offset applied as a relative scale of the NPT box: a = a(T) + offset.
        `change_box all x scale $(1+${f}/v_aT) y scale $(1+${f}/v_aT) z scale $(1+${f}/v_aT) remap`,
        ...thermostatFix(p, job.temperatureK, job.temperatureK, seed),
        ...productionCommands(equilSteps, prodSteps, every, dumps[id]),
      );
      total += equilSteps + prodSteps;
    });
  } else {
    const ls = job.spec;
    const nMelt = stepsFor(ls.meltPs, dt);
    const nQuench = stepsFor(ls.quenchPs, dt);
    const nNpt = stepsFor(ls.nptPs, dt);
    lines.push(
      `velocity all create ${ls.meltTemperatureK} ${lammpsSeed(job.seed)} dist gaussian mom yes rot no`,
    );
    lines.push(
      ...thermostatFix(p, ls.meltTemperatureK, ls.meltTemperatureK, job.seed),
      barostatFix(p),
      `run ${nMelt}`,
    );
    lines.push('write_dump all custom melt.dump id type x y z modify sort id');
    lines.push(
      ...unfixThermostat(p),
      ...thermostatFix(p, ls.meltTemperatureK, job.temperatureK, job.seed + 1),
    );
    if (nQuench > 0) lines.push(`run ${nQuench}`);
    lines.push(
      'unfix ba',
      ...unfixThermostat(p),
      ...thermostatFix(p, job.temperatureK, job.temperatureK, job.seed + 2),
    );
    lines.push(...nptCommands(p, nNpt, 'npt'));
    dumps[job.stateIds[0]] = 'frames-0.dump';
    lines.push(...productionCommands(equilSteps, prodSteps, every, dumps[job.stateIds[0]]));
    total += nMelt + nQuench + nNpt + equilSteps + prodSteps;
  }
  return { deck: `${lines.join('\n')}\n`, dumps, thermoEvery, totalSteps: total };
}

function instantaneousTemperature(v: Float64Array, massAmu: number): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  const n = v.length / 3;
  return (massAmu * s * MVV2E) / (Math.max(3 * n - 3, 1) * BOLTZ_EV_PER_K);
}

/** Runs one job through LAMMPS and converts its dumps into snapshots and manifests. */
export async function runLammpsJob(
  job: Job,
  p: Protocol,
  report: (pr: JobProgress) => void,
  signal?: AbortSignal,
): Promise<JobOutcome> {
  const out: JobOutcome = { jobId: job.id, written: [], skipped: [] };
  const todo = job.stateIds.filter((id) => !isStateComplete(p.outDir, id));
  out.skipped.push(...job.stateIds.filter((id) => !todo.includes(id)));
  if (todo.length === 0) return out;
  const t0 = Date.now();
  const s = job.spec;
  const dt = s.timestepPs ?? p.timestepPs;
  const mass = elementMass(p);
  const work = join(statePath(p.outDir, job.id), 'lammps');
  mkdirSync(work, { recursive: true });
  const start = startLattice(job, p);
  writeFileAtomic(join(work, 'start.data'), formatLammpsData(start, [p.element], { [p.element]: mass }));
  const deck = lammpsDeck(job, p, 'start.data');
  let done = 0;
  const run = await runLammps(deck.deck, work, {
    signal,
    onLine: (line) => {
      if (/^\s+\d+\s+[-\d.eE+]+\s+[-\d.eE+]+/.test(line)) {
        done = Math.min(deck.totalSteps, done + deck.thermoEvery);
        report({ jobId: job.id, stage: 'LAMMPS', doneSteps: done, totalSteps: deck.totalSteps });
      }
    },
  });
  const aT = job.kind === 'crystal' ? Number(/XASFLOW_AT (\S+)/.exec(run.log)?.[1]) : Number.NaN;
  if (job.kind === 'liquid') {
    const melt = readLammpsDump(join(work, 'melt.dump'), { typeSymbols: [p.element] })[0];
    const cls = classifyFrame(melt.atoms, 'liquid', p.classify);
    if (!cls.ok) {
      throw new XasNumericalError(
        `${job.id}: still crystalline after ${job.spec.meltPs} ps at ${job.spec.meltTemperatureK} K (${cls.detected}); raise meltTemperatureK or meltPs`,
      );
    }
  }
  job.stateIds.forEach((id, k) => {
    if (!todo.includes(id)) return;
    const expected: ExpectedPhase = job.kind === 'crystal' ? job.spec.structure : 'liquid';
    const offset = job.kind === 'crystal' ? job.offsetsAngstrom[k] : 0;
    const a = job.kind === 'crystal' ? aT + offset : undefined;
    const seed = job.kind === 'crystal' ? deriveSeed(job.seed, id) : job.seed;
    const dumpPath = join(work, deck.dumps[id]);
    const frames = readLammpsDump(dumpPath, { typeSymbols: [p.element] }).filter((f) => f.step > 0);
    const records: FrameRecord[] = [];
    const dropped: StateManifest['dropped'] = [];
    let consecutive = 0;
    let status: StateManifest['status'] = 'complete';
    for (const fr of frames) {
      const cls = classifyFrame(fr.atoms, expected, p.classify);
      const rec = handleFrame(
        fr.atoms,
        expected,
        {
          protocol: p,
          stateId: id,
          temperatureK: job.temperatureK,
          aAngstrom: a,
          seed,
          step: fr.step,
          timePs: fr.step * dt,
          instantaneousK: fr.atoms.velocities
            ? instantaneousTemperature(fr.atoms.velocities, mass)
            : Number.NaN,
        },
        records.length + 1,
        cls,
      );
      if (rec) records.push(rec);
      if (!cls.ok) {
        if (!rec)
          dropped.push({ step: fr.step, detected: cls.detected, fractions: roundFractions(cls.fractions) });
        if (++consecutive >= p.classify.stopAfterMismatches) {
          status = 'transformed';
          break;
        }
      } else consecutive = 0;
    }
    const last = frames[frames.length - 1]?.atoms ?? start;
    writeManifest(p.outDir, {
      software: SOFTWARE,
      protocol: p.name,
      engine: 'lammps',
      stateId: id,
      jobId: job.id,
      phase: job.kind,
      structure: expected,
      temperatureK: job.temperatureK,
      ...(job.kind === 'crystal' ? { aAngstrom: a, aEquilibriumAngstrom: aT, offsetAngstrom: offset } : {}),
      densityPerA3: last.species.length / boxVolume(last),
      boxAngstrom: [...last.boxAngstrom],
      atoms: last.species.length,
      seed,
      timestepPs: dt,
      potential: p.potential.style === 'kim' ? p.potential.model : p.potential.file,
      status,
      frames: records,
      dropped,
      wallSeconds: (Date.now() - t0) / 1000,
    });
    if (!p.formats.includes('dump') && existsSync(dumpPath)) rmSync(dumpPath);
    out.written.push(id);
  });
  return out;
}
