/**
 * Speed of χ(k) from the two- and three-body kernels on a 2048-atom periodic Ni frame (8×8×8 fcc
 * cells, a = 3.52 Å) taken from the embedded EAM engine (Zhou 2004 Ni, Langevin 300 K, Δt = 2 fs,
 * 600 steps, seed 7): all 2048 absorbers in the two-body term and a seeded sample of 256 absorbers
 * in the three-body term, k = 0–18 Å⁻¹ in 0.05 steps, on one thread. Also timed: the three-body
 * term over all absorbers, the histogram route, and — when Debian feff85exafs is installed — the
 * peer: FEFF computing the same explicit paths of one absorber from the same phase.pad
 * (feff8l_genfmt + feff8l_ff2x), scaled to 2048 absorbers.
 * Usage: npm run bench:exafs. The last line is one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/rng.js';
import { checkFeffInstalled } from '../src/exafs/feff/runner.js';
import { kWeightedRFactor } from '../src/exafs/kernels/config-check.js';
import { loadShippedKernels, shippedKernelPath } from '../src/exafs/kernels/load.js';
import { referenceInput, runReference } from '../src/exafs/kernels/reference.js';
import { chiOfConfiguration } from '../src/exafs/model/chi-config.js';
import { chiFromHistograms, neighbourhoodHistograms } from '../src/exafs/model/histograms.js';
import { MdEngine } from '../src/md/engine/md-engine.js';
import { LangevinBaoab } from '../src/md/engine/thermostats.js';
import { buildEamModel } from '../src/md/potential/eam-model.js';
import { zhou2004Tables } from '../src/md/potential/zhou2004.js';
import type { Atoms } from '../src/structure/atoms.js';
import { buildLattice } from '../src/structure/lattice.js';
import { timeExplicitFeffPaths } from './exafs-feff.js';

function cpuSeconds(f: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function mdFrame(): Atoms {
  const atoms = buildLattice({ structure: 'fcc', aAngstrom: 3.52, cells: [8, 8, 8], element: 'Ni' });
  const engine = new MdEngine(atoms, buildEamModel(zhou2004Tables()), {
    timestepPs: 0.002,
    source: 'bench fcc Ni',
  });
  const rng = new Rng(7);
  engine.initVelocities(300, rng);
  engine.thermostat = new LangevinBaoab(300, 0.1, rng);
  engine.run(600);
  return engine.toAtoms({ temperatureK: 300 });
}

const tLoad = cpuSeconds(() => loadShippedKernels('Ni'));
const kernels = loadShippedKernels('Ni');
const tMd = cpuSeconds(() => {});
let frame: Atoms = buildLattice({ structure: 'fcc', aAngstrom: 3.52, cells: [1, 1, 1], element: 'Ni' });
Object.assign(
  tMd,
  cpuSeconds(() => (frame = mdFrame())),
);
process.stderr.write(`[bench:exafs] MD frame: 2048 atoms, ${tMd.wall.toFixed(1)} s\n`);

const runs: { wall: number; cpu: number }[] = [];
let sampled = chiOfConfiguration(frame, kernels, { periodic: true });
for (let i = 0; i < 3; i++)
  runs.push(cpuSeconds(() => (sampled = chiOfConfiguration(frame, kernels, { periodic: true }))));
const twoBody = cpuSeconds(() => chiOfConfiguration(frame, kernels, { periodic: true, threeBody: false }));
let all = sampled;
const allRun = cpuSeconds(
  () => (all = chiOfConfiguration(frame, kernels, { periodic: true, tripletSample: 2048 })),
);
const histRun = cpuSeconds(() =>
  chiFromHistograms(kernels, neighbourhoodHistograms(frame, kernels, { periodic: true })),
);
const k = sampled.k;
const noise = Math.sqrt(kWeightedRFactor(k, sampled.chi, all.chi));
let reportedNoise = 0;
let signal = 0;
for (let i = 0; i < k.length; i++) {
  if (k[i] < 3 || k[i] > 16) continue;
  reportedNoise += (sampled.chi3bodyStdErr[i] * k[i] ** 2) ** 2;
  signal += (all.chi[i] * k[i] ** 2) ** 2;
}
process.stderr.write(
  `[bench:exafs] χ(k), 2048 atoms, 256 sampled three-body absorbers: ${median(runs.map((r) => r.wall)).toFixed(3)} s wall, ` +
    `${median(runs.map((r) => r.cpu)).toFixed(3)} s CPU; two-body only ${twoBody.cpu.toFixed(3)} s CPU; all 2048 three-body ` +
    `absorbers ${allRun.cpu.toFixed(3)} s CPU; histogram route ${histRun.cpu.toFixed(3)} s CPU\n`,
);

let feff: { perAbsorberS: number; paths: number } | null = null;
try {
  checkFeffInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'xasflow-bench-exafs-'));
  const setup = referenceInput({
    kind: 'lattice',
    element: 'Ni',
    structure: 'fcc',
    aAngstrom: 3.524,
    radiusAngstrom: 7.5,
  });
  runReference(join(dir, 'reference'), setup, {});
  feff = timeExplicitFeffPaths(kernels, frame, join(dir, 'reference'), join(dir, 'paths'));
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(
    `[bench:exafs] FEFF genfmt+ff2x for one absorber's ${feff.paths} paths: ${feff.perAbsorberS.toFixed(3)} s\n`,
  );
} catch (err) {
  process.stderr.write(`[bench:exafs] peer skipped: ${(err as Error).message}\n`);
}
const chiWall = median(runs.map((r) => r.wall));
const chiCpu = median(runs.map((r) => r.cpu));
const loadavg = readFileSync('/proc/loadavg', 'utf8').trim().split(/\s+/).slice(0, 3).map(Number);
let feffVersion = 'not installed';
try {
  feffVersion = execFileSync('dpkg-query', ['-W', 'feff85exafs'], { encoding: 'utf8' }).trim();
} catch {}
console.log(
  JSON.stringify({
    bench: 'exafs',
    frameAtoms: frame.species.length,
    kPoints: k.length,
    kernels: shippedKernelPath('Ni'),
    kernelLoadS: +tLoad.wall.toFixed(3),
    chiWallS: +chiWall.toFixed(3),
    chiCpuS: +chiCpu.toFixed(3),
    tripletSample: sampled.info.tripletAbsorbers,
    pairs: sampled.info.pairs,
    triangles: sampled.info.trianglesVertex + sampled.info.trianglesEnd,
    twoBodyOnlyCpuS: +twoBody.cpu.toFixed(3),
    threeBodyAllAbsorbersCpuS: +allRun.cpu.toFixed(3),
    histogramRouteCpuS: +histRun.cpu.toFixed(3),
    sampleNoiseRelRms: +noise.toExponential(2),
    reportedNoiseRelRms: +Math.sqrt(reportedNoise / signal).toExponential(2),
    feff: feffVersion,
    feffPathsPerAbsorber: feff?.paths ?? null,
    feffPerAbsorberS: feff ? +feff.perAbsorberS.toFixed(3) : null,
    feffFrameEstimateS: feff ? +(feff.perAbsorberS * 2048).toFixed(1) : null,
    speedupVsFeff: feff ? +((feff.perAbsorberS * 2048) / chiWall).toFixed(0) : null,
    underOneSecondOnOneCore: chiCpu < 1,
    loadavg,
    note: 'shared 2-core machine; wall and CPU times of one thread',
  }),
);
