/**
 * Builds a kernel set by driving feff85exafs: one reference potential (./reference.ts), then all
 * pair and triangle paths of the geometry grids in batches (./batch.ts). Resumable: every finished
 * batch is stored in the work directory (written atomically) and skipped on the next run; a
 * manifest guards against resuming with different settings. Progress goes to `onProgress`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJson, writeFileAtomic } from '../../core/atomic-write.js';
import { XasInputError, XasNumericalError } from '../../core/errors.js';
import { checkFeffInstalled, type FeffRunOptions } from '../feff/runner.js';
import { type KernelPathJob, runPathBatch } from './batch.js';
import {
  PAIR_PATH_TYPES,
  type PairPathType,
  pairPathPoints,
  pairPathReff,
  TRIANGLE_PATH_TYPES,
  type TrianglePathType,
  type TriangleRole,
  trianglePathPoints,
  trianglePathReff,
  triangleSides,
} from './geometry.js';
import { type ReferenceSetup, type ReferenceSpec, referenceInput, runReference } from './reference.js';
import {
  type Axis,
  axisValue,
  fillLowerFromMirror,
  type KernelSet,
  type PairTable,
  type TriangleTable,
} from './table.js';

export interface KernelGridSpec {
  /** Pair distance axis for SS and DR (Å). */
  pairR: Axis;
  /** Triangle side axis shared by r1 and r2 (Å). */
  triangleR: Axis;
  /** Angle at the absorber for vertex triangles (degrees). */
  phiVertex: Axis;
  /** Angle at atom j for chain-end triangles (degrees). */
  phiEnd: Axis;
}

/** Grids of the shipped tables (see docs/exafs.md for the interpolation error they give). */
export const DEFAULT_KERNEL_GRID: KernelGridSpec = {
  pairR: { start: 1.6, step: 0.05, count: 139 },
  triangleR: { start: 1.9, step: 0.2, count: 9 },
  phiVertex: { start: 30, step: 5, count: 31 },
  phiEnd: { start: 60, step: 5, count: 25 },
};

export interface KernelBuildProgress {
  stage: 'reference' | 'paths' | 'validate' | 'done';
  done: number;
  total: number;
  elapsedS: number;
}

export interface KernelBuildOptions {
  workDir: string;
  reference: ReferenceSpec;
  grid?: Partial<KernelGridSpec>;
  /** Paths per FEFF run (at most 9999; default 2000). */
  batchSize?: number;
  feff?: FeffRunOptions;
  onProgress?: (p: KernelBuildProgress) => void;
}

interface PlannedTable {
  table: PairTable | TriangleTable;
  /** Node indices computed by FEFF (upper triangle only for same-species V tables). */
  nodes: number[];
  ipotJ: number;
  ipotL: number;
}

function checkAxis(name: string, a: Axis): void {
  if (!(a.step > 0) || !Number.isInteger(a.count) || a.count < 2 || !Number.isFinite(a.start)) {
    throw new XasInputError(`grid axis ${name} = ${JSON.stringify(a)}`, {
      field: name,
      expected: 'start, positive step, integer count ≥ 2',
    });
  }
}

function planTables(setup: ReferenceSetup, grid: KernelGridSpec, nk: number): PlannedTable[] {
  const out: PlannedTable[] = [];
  const species = [...setup.scattererIpot.keys()];
  const alloc = (nodes: number, types: number) =>
    Array.from({ length: types }, () => new Float32Array(nodes * nk * 2));
  for (const s of species) {
    const t: PairTable = {
      kind: 'pair',
      scatterer: s,
      pathTypes: [...PAIR_PATH_TYPES],
      r: grid.pairR,
      amplitudes: alloc(grid.pairR.count, PAIR_PATH_TYPES.length),
    };
    out.push({
      table: t,
      nodes: [...Array(grid.pairR.count).keys()],
      ipotJ: setup.scattererIpot.get(s)!,
      ipotL: 0,
    });
  }
  for (const role of ['V', 'E'] as TriangleRole[]) {
    const phi = role === 'V' ? grid.phiVertex : grid.phiEnd;
    for (const sj of species) {
      for (const sl of species) {
        const n = grid.triangleR.count;
        const total = n * n * phi.count;
        const t: TriangleTable = {
          kind: 'triangle',
          role,
          scatterers: [sj, sl],
          pathTypes: [...TRIANGLE_PATH_TYPES],
          r1: grid.triangleR,
          r2: grid.triangleR,
          phiDeg: phi,
          amplitudes: alloc(total, TRIANGLE_PATH_TYPES.length),
        };
        const upper = role === 'V' && sj === sl;
        const nodes: number[] = [];
        for (let i1 = 0; i1 < n; i1++) {
          for (let i2 = upper ? i1 : 0; i2 < n; i2++) {
            for (let ip = 0; ip < phi.count; ip++) nodes.push((i1 * n + i2) * phi.count + ip);
          }
        }
        out.push({
          table: t,
          nodes,
          ipotJ: setup.scattererIpot.get(sj)!,
          ipotL: setup.scattererIpot.get(sl)!,
        });
      }
    }
  }
  return out;
}

interface JobRef {
  plan: number;
  type: number;
  node: number;
}

function jobGeometry(p: PlannedTable, type: number, node: number): KernelPathJob {
  const t = p.table;
  if (t.kind === 'pair') {
    const r = axisValue(t.r, node);
    const pt = t.pathTypes[type] as PairPathType;
    return { points: pairPathPoints(pt, r, p.ipotJ), reff: pairPathReff(pt, r) };
  }
  const np = t.phiDeg.count;
  const n2 = t.r2.count;
  const ip = node % np;
  const i2 = Math.floor(node / np) % n2;
  const i1 = Math.floor(node / (np * n2));
  const r1 = axisValue(t.r1, i1);
  const r2 = axisValue(t.r2, i2);
  const phi = axisValue(t.phiDeg, ip);
  const pt = t.pathTypes[type] as TrianglePathType;
  return {
    points: trianglePathPoints(t.role, pt, r1, r2, phi, p.ipotJ, p.ipotL),
    reff: trianglePathReff(pt, triangleSides(t.role, r1, r2, phi)),
  };
}

function feffPackageVersion(): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own placeholder, not a JS template
  const format = '-f=${Version}';
  const r = spawnSync('dpkg-query', ['-W', format, 'feff85exafs'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout
    ? `feff85exafs ${r.stdout.trim()} (Debian)`
    : 'feff85exafs (version unknown)';
}

export interface KernelBuildResult {
  set: KernelSet;
  setup: ReferenceSetup;
  referenceDir: string;
  labels: Map<number, string>;
}

export function buildKernelSet(opts: KernelBuildOptions): KernelBuildResult {
  const t0 = Date.now();
  const elapsed = () => (Date.now() - t0) / 1000;
  const grid: KernelGridSpec = { ...DEFAULT_KERNEL_GRID, ...opts.grid };
  for (const [k, a] of Object.entries(grid)) checkAxis(k, a as Axis);
  const batchSize = opts.batchSize ?? 2000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 9999) {
    throw new XasInputError(`batch size ${batchSize}`, {
      field: 'batchSize',
      expected: 'an integer in 1–9999',
    });
  }
  const feff = opts.feff ?? {};
  checkFeffInstalled(feff);
  const setup = referenceInput(opts.reference);
  mkdirSync(opts.workDir, { recursive: true });
  const manifestPath = join(opts.workDir, 'manifest.json');
  const manifest = toJson(
    { reference: opts.reference, grid, batchSize, species: [...setup.scattererIpot] },
    1,
  );
  if (existsSync(manifestPath) && readFileSync(manifestPath, 'utf8') !== manifest) {
    throw new XasInputError('work directory holds a run with different settings', {
      file: manifestPath,
      expected: 'the same settings to resume, or a new --work directory',
    });
  }
  writeFileAtomic(manifestPath, manifest);
  const refDir = join(opts.workDir, 'reference');
  opts.onProgress?.({ stage: 'reference', done: 0, total: 1, elapsedS: elapsed() });
  runReference(refDir, setup, feff);
  const labels = new Map<number, string>(setup.input.potentials.map((p) => [p.ipot, p.tag || String(p.z)]));

  // Probe one path to learn FEFF's k grid size, then plan all tables.
  const probePlan = planTables(setup, grid, 1);
  const probe = runPathBatch(
    refDir,
    join(opts.workDir, 'probe'),
    [jobGeometry(probePlan[0], 0, 0)],
    labels,
    feff,
  );
  const nk = probe.k.length;
  const plans = planTables(setup, grid, nk);
  const jobs: JobRef[] = [];
  plans.forEach((p, pi) => {
    p.table.amplitudes.forEach((_, ti) => {
      for (const node of p.nodes) jobs.push({ plan: pi, type: ti, node });
    });
  });
  const nBatches = Math.ceil(jobs.length / batchSize);
  for (let b = 0; b < nBatches; b++) {
    const slice = jobs.slice(b * batchSize, (b + 1) * batchSize);
    const tag = `batch-${String(b + 1).padStart(4, '0')}`;
    const binPath = join(opts.workDir, `${tag}.f64`);
    const metaPath = join(opts.workDir, `${tag}.json`);
    let amps: Float64Array;
    if (existsSync(metaPath) && existsSync(binPath)) {
      const buf = readFileSync(binPath);
      amps = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8).slice();
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { count: number; nk: number };
      if (meta.count !== slice.length || meta.nk !== nk || amps.length !== slice.length * nk * 2) {
        throw new XasInputError(`stored batch does not match the plan`, {
          file: metaPath,
          expected: 'an unchanged work directory',
        });
      }
    } else {
      const res = runPathBatch(
        refDir,
        join(opts.workDir, tag),
        slice.map((j) => jobGeometry(plans[j.plan], j.type, j.node)),
        labels,
        feff,
      );
      if (res.k.length !== nk || res.k.some((v, i) => v !== probe.k[i])) {
        throw new XasNumericalError(`${tag}: FEFF k grid differs from the probe path's`);
      }
      amps = res.amplitudes;
      writeFileAtomic(binPath, new Uint8Array(amps.buffer, amps.byteOffset, amps.byteLength));
      writeFileAtomic(metaPath, toJson({ count: slice.length, nk }));
    }
    slice.forEach((j, i) => {
      const dst = plans[j.plan].table.amplitudes[j.type];
      dst.set(amps.subarray(i * nk * 2, (i + 1) * nk * 2), j.node * nk * 2);
    });
    opts.onProgress?.({
      stage: 'paths',
      done: Math.min(jobs.length, (b + 1) * batchSize),
      total: jobs.length,
      elapsedS: elapsed(),
    });
  }
  for (const p of plans) {
    if (
      p.table.kind === 'triangle' &&
      p.table.role === 'V' &&
      p.table.scatterers[0] === p.table.scatterers[1]
    ) {
      fillLowerFromMirror(p.table, nk);
    }
  }
  const first = probe.first;
  const shells = setup.shells;
  const set: KernelSet = {
    absorber: setup.absorber,
    edge: 'K',
    kNodes: probe.k,
    realP: probe.realP,
    lambda: probe.lambda,
    pairs: plans.filter((p) => p.table.kind === 'pair').map((p) => p.table as PairTable),
    triangles: plans.filter((p) => p.table.kind === 'triangle').map((p) => p.table as TriangleTable),
    defaultTriangleCutoff: shells.length === 2 ? Math.round(((shells[0] + shells[1]) / 2) * 100) / 100 : 3.0,
    provenance: {
      program: `${feffPackageVersion()}: feff8l_rdinp/pot/xsph once, custom paths.dat through feff8l_genfmt/ff2x`,
      reference: { ...opts.reference, atoms: setup.input.atoms.length, shellsAngstrom: shells },
      cards: Object.fromEntries([...setup.input.cards].map(([k, v]) => [k, v.join(' ')])),
      potentials: first.potentials.map((p) => ({
        ipot: p.ipot,
        z: p.z,
        element: setup.input.potentials.find((q) => q.ipot === p.ipot)?.tag ?? '',
        rmtAngstrom: p.rmtAngstrom,
        rnormanAngstrom: p.rnormanAngstrom,
      })),
      fermiLevelEv: first.muEv,
      kFermi: first.kfInvAngstrom,
      vInterstitialEv: first.vintEv,
      coreHoleWidthEv: first.gamChEv,
      exchange: first.exchange,
      grid,
      paths: jobs.length,
      created: new Date().toISOString(),
      createdBy: 'xasflow exafs kernels',
    },
    source: join(opts.workDir, '(in memory)'),
  };
  opts.onProgress?.({ stage: 'done', done: jobs.length, total: jobs.length, elapsedS: elapsed() });
  return { set, setup, referenceDir: refDir, labels };
}
