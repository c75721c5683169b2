/**
 * Deposits of single pairs and triangles into signal bins: kernel interpolation in geometry and
 * the path types with their weights (./../kernels/geometry.ts), shared by the per-atom route
 * (./chi-config.ts) and the histogram route (./histograms.ts).
 */
import { XasInputError } from '../../core/errors.js';
import {
  PAIR_PATH_TYPES,
  pairPathReff,
  TRIANGLE_PATH_TYPES,
  TRIANGLE_PATH_WEIGHT,
  type TriangleSides,
  trianglePathReff,
} from '../kernels/geometry.js';
import { type NodeWeights, newNodeWeights, pairWeights, triangleWeights } from '../kernels/interp.js';
import { axisEnd, type PairTable, type TriangleTable } from '../kernels/table.js';
import type { SignalBins } from './signal-bins.js';

export class Depositor {
  private readonly w4: NodeWeights = newNodeWeights();
  private readonly w8: NodeWeights = newNodeWeights();

  constructor(private readonly reffMax: number) {}

  /** SS and DR of a pair at distance r; returns false when r is outside the table. */
  pair(bins: SignalBins, t: PairTable, r: number, weight: number): boolean {
    if (!pairWeights(t, r, this.w4)) return false;
    for (let ti = 0; ti < PAIR_PATH_TYPES.length; ti++) {
      const reff = pairPathReff(PAIR_PATH_TYPES[ti], r);
      if (reff <= this.reffMax) bins.depositInterpolated(t.amplitudes[ti], this.w4, reff, weight);
    }
    return true;
  }

  /** D, T1, T2, T3 of a triangle; returns false when the geometry is outside the table. */
  triangle(
    bins: SignalBins,
    t: TriangleTable,
    r1: number,
    r2: number,
    phiDeg: number,
    sides: TriangleSides,
    weight: number,
  ): boolean {
    if (!triangleWeights(t, r1, r2, phiDeg, this.w8)) return false;
    for (let ti = 0; ti < TRIANGLE_PATH_TYPES.length; ti++) {
      const pt = TRIANGLE_PATH_TYPES[ti];
      const reff = trianglePathReff(pt, sides);
      if (reff <= this.reffMax)
        bins.depositInterpolated(t.amplitudes[ti], this.w8, reff, TRIANGLE_PATH_WEIGHT[pt] * weight);
    }
    return true;
  }
}

export function triangleRangeError(t: TriangleTable, what: string, source: string): XasInputError {
  return new XasInputError(`${what} is outside the kernel table`, {
    file: source,
    expected: `sides ${t.r1.start.toFixed(2)}–${axisEnd(t.r1).toFixed(2)} Å and angles ${t.phiDeg.start.toFixed(1)}–${axisEnd(t.phiDeg).toFixed(1)}°`,
  });
}

export function pairRangeError(t: PairTable, what: string, source: string): XasInputError {
  return new XasInputError(`${what} is outside the kernel table`, {
    file: source,
    expected: `distances ${t.r.start.toFixed(2)}–${axisEnd(t.r).toFixed(2)} Å (atoms closer than that are unphysical)`,
  });
}
