/**
 * One batch of kernel paths through FEFF: copy the reference run's JSON inputs and phase.pad to a
 * scratch directory, write a custom paths.dat (degeneracy 1, absorber last), run feff8l_genfmt and
 * feff8l_ff2x, and turn each feffNNNN.dat into the reduced complex amplitude
 * F(k) = amp·exp(i[pha − 2·reff·(Re p − k)]) of ./table.ts.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { XasNumericalError } from '../../core/errors.js';
import { type FeffPathData, readFeffDat } from '../feff/dat.js';
import { formatPathsDat, type PathListEntry } from '../feff/paths.js';
import { type FeffRunOptions, runFeffModule } from '../feff/runner.js';
import type { PathPoint } from './geometry.js';

export interface KernelPathJob {
  /** Scatterers in path order (the return to the absorber is implicit). */
  points: PathPoint[];
  /** Half path length computed from the exact geometry (Å). */
  reff: number;
}

export interface BatchResult {
  k: Float64Array;
  realP: Float64Array;
  lambda: Float64Array;
  /** Reduced amplitudes, path-major: [(path·nk + n)·2 + {re, im}]. */
  amplitudes: Float64Array;
  /** Header of the first path file (potentials, Fermi level, …) for provenance. */
  first: FeffPathData;
}

/** Reduced complex amplitude of a parsed path, written to out[offset …]. */
export function reducedAmplitude(p: FeffPathData, reff: number, out: Float64Array, offset: number): void {
  for (let n = 0; n < p.k.length; n++) {
    const amp = p.magFeff[n] * p.redFactor[n];
    const pha = p.realPhc[n] + p.phaseFeff[n] - 2 * reff * (p.realP[n] - p.k[n]);
    out[offset + 2 * n] = amp * Math.cos(pha);
    out[offset + 2 * n + 1] = amp * Math.sin(pha);
  }
}

/**
 * genfmt writes each path's amplitude ratio (in % of the first path) with a fixed-width format;
 * ratios ≥ 10⁵ % (strong short-leg paths after a weak first path) run into the sig2 column and
 * ff2x then cannot read list.dat. Put the missing blank back.
 */
export function repairListDat(path: string): void {
  const text = readFileSync(path, 'utf8');
  const fixed = text
    .replace(/^(\s*\d+\s+-?\d*\.\d{5})(\d+\.\d+\s)/gm, '$1 $2')
    .replace(/\*{4,}/g, ' 999999.999');
  if (fixed !== text) writeFileAtomic(path, fixed);
}

export function runPathBatch(
  referenceDir: string,
  scratchDir: string,
  jobs: KernelPathJob[],
  labels: Map<number, string>,
  feff: FeffRunOptions,
): BatchResult {
  rmSync(scratchDir, { recursive: true, force: true });
  mkdirSync(scratchDir, { recursive: true });
  for (const f of readdirSync(referenceDir)) {
    if (f.endsWith('.json') || f === 'phase.pad') copyFileSync(join(referenceDir, f), join(scratchDir, f));
  }
  const entries: PathListEntry[] = jobs.map((j, i) => ({
    index: i + 1,
    nleg: j.points.length + 1,
    degeneracy: 1,
    atoms: [...j.points, { x: 0, y: 0, z: 0, ipot: 0 }].map((p) => ({
      ...p,
      label: labels.get(p.ipot) ?? '',
    })),
  }));
  writeFileAtomic(join(scratchDir, 'paths.dat'), formatPathsDat(entries));
  runFeffModule('genfmt', scratchDir, feff);
  repairListDat(join(scratchDir, 'list.dat'));
  runFeffModule('ff2x', scratchDir, feff);
  let result: BatchResult | undefined;
  jobs.forEach((job, i) => {
    const file = join(scratchDir, `feff${String(i + 1).padStart(4, '0')}.dat`);
    if (!existsSync(file)) throw new XasNumericalError(`FEFF wrote no ${file} for kernel path ${i + 1}`);
    const p = readFeffDat(file);
    if (Math.abs(p.reffAngstrom - job.reff) > 2e-4) {
      throw new XasNumericalError(
        `${file}: FEFF reff ${p.reffAngstrom} Å differs from the geometry's ${job.reff} Å`,
      );
    }
    if (!result) {
      const nk = p.k.length;
      result = {
        k: p.k,
        realP: p.realP,
        lambda: p.lambdaAngstrom,
        amplitudes: new Float64Array(jobs.length * nk * 2),
        first: p,
      };
    } else if (p.k.length !== result.k.length || p.k.some((v, n) => v !== result!.k[n])) {
      throw new XasNumericalError(`${file}: k grid differs from the first path of the batch`);
    }
    for (let n = 0; n < p.k.length; n++) {
      if (!Number.isFinite(p.magFeff[n]) || !Number.isFinite(p.phaseFeff[n])) {
        throw new XasNumericalError(`${file}: non-finite amplitude at k = ${p.k[n]}`);
      }
    }
    reducedAmplitude(p, job.reff, result.amplitudes, i * p.k.length * 2);
  });
  if (!result) throw new XasNumericalError('empty kernel batch');
  rmSync(scratchDir, { recursive: true, force: true });
  return result;
}
