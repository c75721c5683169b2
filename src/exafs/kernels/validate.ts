/**
 * Interpolation check of a kernel set against direct FEFF paths: random physical geometries inside
 * each table (seeded), computed by FEFF from the same reference potential, compared with the
 * table's interpolated amplitude. The error of one geometry is max|F_interp − F_FEFF| over
 * k = 3–16 Å⁻¹ divided by max|F_FEFF| over the same range.
 */
import { join } from 'node:path';
import { Rng } from '../../core/rng.js';
import type { FeffRunOptions } from '../feff/runner.js';
import { type KernelPathJob, runPathBatch } from './batch.js';
import {
  type PairPathType,
  pairPathPoints,
  pairPathReff,
  type TrianglePathType,
  trianglePathPoints,
  trianglePathReff,
  triangleSides,
} from './geometry.js';
import { interpolateAmplitude, newNodeWeights, pairWeights, triangleWeights } from './interp.js';
import { axisEnd, type KernelSet } from './table.js';

export interface ValidationSummary {
  table: string;
  pathType: string;
  samples: number;
  medianRelError: number;
  p95RelError: number;
  maxRelError: number;
}

export interface ValidationOptions {
  referenceDir: string;
  scratchDir: string;
  samplesPerType: number;
  seed: number;
  /** Element → ipot used for scatterers in the reference (absorber is ipot 0). */
  scattererIpot: Map<string, number>;
  labels: Map<number, string>;
  feff?: FeffRunOptions;
}

interface Sample {
  job: KernelPathJob;
  interp: Float64Array;
  key: string;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function validateKernelSet(set: KernelSet, opts: ValidationOptions): ValidationSummary[] {
  const rng = new Rng(opts.seed);
  const nk = set.kNodes.length;
  const w = newNodeWeights();
  const samples: Sample[] = [];
  for (const t of set.pairs) {
    const ipot = opts.scattererIpot.get(t.scatterer)!;
    t.pathTypes.forEach((pt, ti) => {
      for (let s = 0; s < opts.samplesPerType; s++) {
        const r = rng.range(t.r.start, axisEnd(t.r));
        pairWeights(t, r, w);
        samples.push({
          job: {
            points: pairPathPoints(pt as PairPathType, r, ipot),
            reff: pairPathReff(pt as PairPathType, r),
          },
          interp: interpolateAmplitude(t.amplitudes[ti], w, nk, new Float64Array(2 * nk)),
          key: `pair ${set.absorber}-${t.scatterer}|${pt}`,
        });
      }
    });
  }
  for (const t of set.triangles) {
    const ij = opts.scattererIpot.get(t.scatterers[0])!;
    const il = opts.scattererIpot.get(t.scatterers[1])!;
    const rMin = t.r1.start;
    t.pathTypes.forEach((pt, ti) => {
      let made = 0;
      while (made < opts.samplesPerType) {
        const r1 = rng.range(t.r1.start, axisEnd(t.r1));
        const r2 = rng.range(t.r2.start, axisEnd(t.r2));
        const phi = rng.range(t.phiDeg.start, axisEnd(t.phiDeg));
        const sides = triangleSides(t.role, r1, r2, phi);
        // physical geometries only: no two atoms closer than the table's shortest side, and for
        // chain-end triangles the absorber–l distance beyond both short sides
        if (sides.djl < rMin || sides.d0l < rMin) continue;
        if (t.role === 'E' && sides.d0l <= Math.max(r1, r2)) continue;
        triangleWeights(t, r1, r2, phi, w);
        samples.push({
          job: {
            points: trianglePathPoints(t.role, pt as TrianglePathType, r1, r2, phi, ij, il),
            reff: trianglePathReff(pt as TrianglePathType, sides),
          },
          interp: interpolateAmplitude(t.amplitudes[ti], w, nk, new Float64Array(2 * nk)),
          key: `${t.role} ${set.absorber}-${t.scatterers.join('-')}|${pt}`,
        });
        made++;
      }
    });
  }
  const errors = new Map<string, number[]>();
  const batch = 2000;
  for (let b = 0; b < samples.length; b += batch) {
    const part = samples.slice(b, b + batch);
    const res = runPathBatch(
      opts.referenceDir,
      join(opts.scratchDir, `validate-${b / batch}`),
      part.map((s) => s.job),
      opts.labels,
      opts.feff ?? {},
    );
    part.forEach((s, i) => {
      let num = 0;
      let den = 0;
      for (let n = 0; n < nk; n++) {
        const k = set.kNodes[n];
        if (k < 3 || k > 16) continue;
        const fr = res.amplitudes[(i * nk + n) * 2];
        const fi = res.amplitudes[(i * nk + n) * 2 + 1];
        num = Math.max(num, Math.hypot(s.interp[2 * n] - fr, s.interp[2 * n + 1] - fi));
        den = Math.max(den, Math.hypot(fr, fi));
      }
      const list = errors.get(s.key) ?? [];
      list.push(den > 0 ? num / den : 0);
      errors.set(s.key, list);
    });
  }
  return [...errors].map(([key, list]) => {
    const sorted = [...list].sort((a, b) => a - b);
    const [table, pathType] = key.split('|');
    return {
      table,
      pathType,
      samples: list.length,
      medianRelError: quantile(sorted, 0.5),
      p95RelError: quantile(sorted, 0.95),
      maxRelError: sorted[sorted.length - 1],
    };
  });
}
