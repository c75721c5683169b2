/**
 * Nearest-neighbour bond-angle distribution: for every atom i and every pair of its neighbours j, k
 * closer than a stated cutoff, the angle θ_jik between r_ij and r_ik. Reported as a probability
 * density per degree (∫ P(θ) dθ = 1, no sin θ weighting) plus the number of angles per atom. For an
 * ideal fcc crystal with the cutoff between the first and second shells: 60° (24), 90° (12),
 * 120° (24), 180° (6) of 66 angles per atom.
 */
import { XasInputError } from '../../core/errors.js';
import { type Atoms, atomCount } from '../../structure/atoms.js';
import { fullNeighbors } from './neighbors.js';

export interface BadOptions {
  /** Neighbour cutoff (Å) that defines the bonds; required (state it in every output). */
  cutoffAngstrom: number;
  /** Bin width in degrees (default 1). */
  binWidthDeg?: number;
}

export interface BondAngleDistribution {
  /** Bin centres (degrees, 0–180). */
  thetaDeg: Float64Array;
  /** Probability density per degree, averaged over frames. */
  density: Float64Array;
  cutoffAngstrom: number;
  binWidthDeg: number;
  /** Mean number of angles per atom (n(n−1)/2 averaged). */
  anglesPerAtom: number;
  frames: number;
}

export function bondAngleDistribution(frames: Atoms | Atoms[], opts: BadOptions): BondAngleDistribution {
  const list = Array.isArray(frames) ? frames : [frames];
  if (list.length === 0) throw new XasInputError('no frames to analyse', { field: 'frames' });
  const dth = opts.binWidthDeg ?? 1;
  if (!(opts.cutoffAngstrom > 0) || !(dth > 0 && dth <= 30)) {
    throw new XasInputError(`cutoff ${opts.cutoffAngstrom} Å, bin ${dth}°`, {
      field: 'bad',
      expected: 'a positive cutoff and a bin width in (0, 30]°',
    });
  }
  const nb = Math.round(180 / dth);
  const density = new Float64Array(nb);
  const hist = new Float64Array(nb);
  let anglesTotal = 0;
  let atomsTotal = 0;
  const toDeg = 180 / Math.PI;
  for (const atoms of list) {
    const nbr = fullNeighbors(atoms, opts.cutoffAngstrom);
    hist.fill(0);
    let total = 0;
    const n = atomCount(atoms);
    for (let i = 0; i < n; i++) {
      const a = nbr.start[i];
      const b = nbr.start[i + 1];
      for (let p = a; p < b; p++) {
        for (let q = p + 1; q < b; q++) {
          const c =
            (nbr.vec[3 * p] * nbr.vec[3 * q] +
              nbr.vec[3 * p + 1] * nbr.vec[3 * q + 1] +
              nbr.vec[3 * p + 2] * nbr.vec[3 * q + 2]) /
            (nbr.dist[p] * nbr.dist[q]);
          const th = Math.acos(Math.max(-1, Math.min(1, c))) * toDeg;
          hist[Math.min(nb - 1, Math.floor(th / dth))]++;
          total++;
        }
      }
    }
    if (total > 0) for (let k = 0; k < nb; k++) density[k] += hist[k] / (total * dth) / list.length;
    anglesTotal += total;
    atomsTotal += n;
  }
  const theta = new Float64Array(nb);
  for (let k = 0; k < nb; k++) theta[k] = (k + 0.5) * dth;
  return {
    thetaDeg: theta,
    density,
    cutoffAngstrom: opts.cutoffAngstrom,
    binWidthDeg: dth,
    anglesPerAtom: anglesTotal / atomsTotal,
    frames: list.length,
  };
}

/**
 * Local maxima of a distribution after smoothing over ±`halfWidth` bins, keeping those higher than
 * `minFraction` of the global maximum; returned as x positions, highest first.
 */
export function findPeaks(x: Float64Array, y: Float64Array, halfWidth = 2, minFraction = 0.1): number[] {
  const s = new Float64Array(y.length);
  for (let k = 0; k < y.length; k++) {
    let sum = 0;
    let c = 0;
    for (let q = Math.max(0, k - halfWidth); q <= Math.min(y.length - 1, k + halfWidth); q++) {
      sum += y[q];
      c++;
    }
    s[k] = sum / c;
  }
  let top = 0;
  for (const v of s) top = Math.max(top, v);
  const peaks: { x: number; v: number }[] = [];
  for (let k = 0; k < s.length; k++) {
    const left = k === 0 ? -Infinity : s[k - 1];
    const right = k === s.length - 1 ? -Infinity : s[k + 1];
    if (s[k] > left && s[k] >= right && s[k] >= minFraction * top && s[k] > 0)
      peaks.push({ x: x[k], v: s[k] });
  }
  return peaks.sort((a, b) => b.v - a.v).map((p) => p.x);
}
