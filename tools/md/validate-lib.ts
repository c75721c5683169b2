/**
 * Shared pieces of the MD validation tools: run one protocol (embedded engine or LAMMPS) into a work
 * folder with progress on stderr and resume, and summarise its snapshots with the same analysis
 * code as `xasflow md analyze`, with standard errors from the frame-to-frame scatter and from block
 * averages (blocks of consecutive frames, which also cover correlations between nearby frames).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSnapshots } from '../../src/md/analysis/analyze.js';
import { runLammpsJob } from '../../src/md/lammps/lammps-job.js';
import { expandJobs } from '../../src/md/protocol/jobs.js';
import { runProtocol } from '../../src/md/protocol/run-protocol.js';
import { parseProtocol } from '../../src/md/protocol/schema.js';
import { statePath } from '../../src/md/protocol/snapshots.js';

/** The small protocols the CI test repeats (the tests read them back from the fixtures). */
export const CI_CRYSTAL = {
  phase: 'crystal',
  structure: 'fcc',
  cells: [4, 4, 4],
  aAngstrom: 3.52,
  temperaturesK: [300],
  lattice: 'fixed',
  equilibrationPs: 1,
  productionPs: 10,
  snapshotEveryPs: 0.5,
};
export const CI_LIQUID = {
  phase: 'liquid',
  cells: [4, 4, 4],
  aAngstrom: 3.52,
  temperaturesK: [1750],
  meltPs: 5,
  quenchPs: 2,
  nptPs: 4,
  equilibrationPs: 1,
  productionPs: 5,
  snapshotEveryPs: 0.25,
  timestepPs: 0.001,
};

/** Standard error of the mean of `x` from means of consecutive blocks of `block` values. */
export function blockStdErr(x: number[], block: number): number {
  const nb = Math.floor(x.length / block);
  if (nb < 2) return Number.NaN;
  const means: number[] = [];
  for (let b = 0; b < nb; b++) {
    let s = 0;
    for (let k = 0; k < block; k++) s += x[b * block + k];
    means.push(s / block);
  }
  const m = means.reduce((a, v) => a + v, 0) / nb;
  const v = means.reduce((a, y) => a + (y - m) ** 2, 0) / (nb - 1);
  return Math.sqrt(v / nb);
}

export function summary(dir: string, rCut?: number, liquid = false, block = 5) {
  const a = analyzeSnapshots([dir], { rCutAngstrom: rCut });
  // Liquids also at the fixed 3.35 Å cutoff of the design note, for comparisons across potentials.
  const fixed = liquid ? analyzeSnapshots([dir], { rCutAngstrom: 3.35 }) : null;
  const r1 = a.perFrame.map((f) => f.meanR1Angstrom);
  const s2 = a.perFrame.map((f) => f.sigma2Angstrom2);
  const nn = a.perFrame.map((f) => f.coordination);
  return {
    ...(fixed
      ? {
          at335: {
            coordination: fixed.shell.coordination,
            coordinationStdErr: fixed.shell.coordinationStdErr,
            meanAngstrom: fixed.shell.meanAngstrom,
            sigma2Angstrom2: fixed.shell.sigma2Angstrom2,
            badPeaksDeg: fixed.bad.peaksDeg,
          },
        }
      : {}),
    frames: a.frames,
    densityPerA3: a.densityPerA3,
    firstPeakAngstrom: a.firstShell.peakAngstrom,
    firstPeakHeight: a.firstShell.peakHeight,
    firstMinimumAngstrom: a.firstShell.minimumAngstrom,
    coordinationToMinimum: a.firstShell.coordination,
    shell: a.shell,
    blockStdErr: {
      framesPerBlock: block,
      meanAngstrom: blockStdErr(r1, block),
      sigma2Angstrom2: blockStdErr(s2, block),
      coordination: blockStdErr(nn, block),
    },
    badPeaksDeg: a.bad.peaksDeg,
    badCutoffAngstrom: a.bad.cutoffAngstrom,
    cna: a.cna,
    perFrame: a.perFrame.map((f) => ({ R1: f.meanR1Angstrom, sigma2: f.sigma2Angstrom2, N: f.coordination })),
  };
}

export interface ValidationRun {
  label: string;
  engine: 'embedded' | 'lammps';
  potential: Record<string, unknown>;
  state: Record<string, unknown>;
  seed: number;
  /** First-shell cutoff (Å); default the first g(r) minimum. */
  rCut?: number;
}

/**
 * Runs one validation protocol into `work/<label>` (finished state points are kept and skipped, so
 * an interrupted validation resumes; `fresh` deletes them first) and returns its state manifest,
 * snapshot folder and wall time (null when everything was already on disk).
 */
export async function runValidation(
  r: ValidationRun,
  work: string,
  fresh: boolean,
): Promise<{ manifest: Record<string, unknown>; dir: string; wallSeconds: number | null }> {
  const outDir = join(work, r.label);
  if (fresh) rmSync(outDir, { recursive: true, force: true });
  const p = parseProtocol(
    {
      name: r.label,
      engine: r.engine,
      potential: r.potential,
      element: 'Ni',
      outDir,
      seed: r.seed,
      states: [r.state],
    },
    r.label,
  );
  const t0 = performance.now();
  let last = 0;
  const s = await runProtocol(p, {
    lammpsRunner: runLammpsJob,
    onProgress: (pr) => {
      if (Date.now() - last < 30000) return;
      last = Date.now();
      process.stderr.write(
        `${new Date().toISOString().slice(11, 19)} ${r.label}: ${pr.stage} ${pr.doneSteps}/${pr.totalSteps} steps\n`,
      );
    },
  });
  if (s.failed.length > 0) throw new Error(`${r.label}: ${JSON.stringify(s.failed)}`);
  const stateId = expandJobs(p)[0].stateIds[0];
  const dir = statePath(outDir, stateId);
  const manifest = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  return { manifest, dir, wallSeconds: s.written.length > 0 ? (performance.now() - t0) / 1000 : null };
}
