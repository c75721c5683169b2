/**
 * Radial distribution function g(r) of periodic configurations, normalised by the ideal-gas shell
 * count: g(r_k) = 2·n_k / (N·ρ·(4π/3)(r_{k+1}³ − r_k³)), n_k the number of pairs (periodic images
 * included, so r may exceed half the box) in bin k and ρ = N/V (Allen & Tildesley, Computer
 * Simulation of Liquids, §2.6). The running coordination number is the exact pair count,
 * N(r) = 4πρ ∫₀^r g r'² dr' = 2·Σ n_k / N. For non-periodic clusters ρ is taken from the bounding box,
 * so g(r) is only indicative there.
 */
import { XasInputError } from '../../core/errors.js';
import { type Atoms, atomCount, boxVolume } from '../../structure/atoms.js';
import { NeighborList } from '../engine/neighbor-list.js';

export interface RdfOptions {
  /** Largest distance (Å), default 8. */
  rMaxAngstrom?: number;
  /** Bin width (Å), default 0.02. */
  binWidthAngstrom?: number;
}

export interface Rdf {
  /** Bin centres (Å). */
  rAngstrom: Float64Array;
  g: Float64Array;
  /** Running coordination number at each bin's upper edge. */
  runningCoordination: Float64Array;
  binWidthAngstrom: number;
  /** Mean number density (Å⁻³). */
  densityPerA3: number;
  frames: number;
}

/** Pair-distance histogram of one frame: counts per bin (each unordered pair once). */
function pairHistogram(atoms: Atoms, rMax: number, dr: number, counts: Float64Array): void {
  const pos = atoms.positions.slice();
  const nl = new NeighborList(rMax, 0);
  nl.build(pos, atoms.boxAngstrom, atoms.pbc);
  const { start, codes, shiftVec } = nl;
  const n = atomCount(atoms);
  const rMax2 = rMax * rMax;
  for (let i = 0; i < n; i++) {
    for (let k = start[i]; k < start[i + 1]; k++) {
      const j = codes[k] >> 8;
      const s = (codes[k] & 255) * 3;
      const dx = pos[3 * j] + shiftVec[s] - pos[3 * i];
      const dy = pos[3 * j + 1] + shiftVec[s + 1] - pos[3 * i + 1];
      const dz = pos[3 * j + 2] + shiftVec[s + 2] - pos[3 * i + 2];
      const r2 = dx * dx + dy * dy + dz * dz;
      if (r2 >= rMax2) continue;
      counts[Math.floor(Math.sqrt(r2) / dr)] += 1;
    }
  }
}

/** g(r) averaged over frames (each frame normalised with its own N and V). */
export function radialDistribution(frames: Atoms | Atoms[], opts: RdfOptions = {}): Rdf {
  const list = Array.isArray(frames) ? frames : [frames];
  if (list.length === 0) throw new XasInputError('no frames to analyse', { field: 'frames' });
  const rMax = opts.rMaxAngstrom ?? 8;
  const dr = opts.binWidthAngstrom ?? 0.02;
  if (!(rMax > 0 && dr > 0 && dr < rMax)) {
    throw new XasInputError(`rMax ${rMax} Å, bin ${dr} Å`, {
      field: 'rdf',
      expected: '0 < bin width < rMax',
    });
  }
  const nb = Math.floor(rMax / dr + 1e-9);
  const g = new Float64Array(nb);
  const running = new Float64Array(nb);
  const counts = new Float64Array(nb);
  let rhoSum = 0;
  for (const atoms of list) {
    const n = atomCount(atoms);
    const rho = n / boxVolume(atoms);
    rhoSum += rho;
    counts.fill(0);
    pairHistogram(atoms, nb * dr, dr, counts);
    let cum = 0;
    for (let k = 0; k < nb; k++) {
      const shell = ((4 * Math.PI) / 3) * (((k + 1) * dr) ** 3 - (k * dr) ** 3);
      g[k] += (2 * counts[k]) / (n * rho * shell) / list.length;
      cum += (2 * counts[k]) / n;
      running[k] += cum / list.length;
    }
  }
  const r = new Float64Array(nb);
  for (let k = 0; k < nb; k++) r[k] = (k + 0.5) * dr;
  return {
    rAngstrom: r,
    g,
    runningCoordination: running,
    binWidthAngstrom: dr,
    densityPerA3: rhoSum / list.length,
    frames: list.length,
  };
}

export interface FirstShell {
  /** Position (Å) and height (top bin) of the first g(r) maximum. */
  peakAngstrom: number;
  peakHeight: number;
  /** First minimum after the peak (Å): the coordination cutoff. */
  minimumAngstrom: number;
  /** Coordination number N = 4πρ ∫₀^r_min g r² dr. */
  coordination: number;
}

/**
 * Least-squares parabola g ≈ c0 + c1·x + c2·x² through bins k0−h … k0+h (x in bins from k0); returns
 * the vertex offset (only when it lies inside the window) and c2, or null.
 */
function parabolaVertex(
  g: Float64Array,
  k0: number,
  h: number,
): { offset: number; curvature: number } | null {
  const lo = Math.max(0, k0 - h);
  const hi = Math.min(g.length - 1, k0 + h);
  if (hi - lo < 4) return null;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  for (let k = lo; k <= hi; k++) {
    const x = k - k0;
    s0 += 1;
    s1 += x;
    s2 += x * x;
    s3 += x * x * x;
    s4 += x * x * x * x;
    t0 += g[k];
    t1 += x * g[k];
    t2 += x * x * g[k];
  }
  const det = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s2 * s3) + s2 * (s1 * s3 - s2 * s2);
  if (det === 0) return null;
  const c1 = (s0 * (t1 * s4 - s3 * t2) - t0 * (s1 * s4 - s2 * s3) + s2 * (s1 * t2 - s2 * t1)) / det;
  const c2 = (s0 * (s2 * t2 - t1 * s3) - s1 * (s1 * t2 - t1 * s2) + t0 * (s1 * s3 - s2 * s2)) / det;
  if (c2 === 0) return null;
  const offset = -c1 / (2 * c2);
  return Math.abs(offset) <= h ? { offset, curvature: c2 } : null;
}

function smooth(v: Float64Array, half: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) {
    let s = 0;
    let c = 0;
    for (let q = Math.max(0, k - half); q <= Math.min(v.length - 1, k + half); q++) {
      s += v[q];
      c++;
    }
    out[k] = s / c;
  }
  return out;
}

/**
 * First peak, first minimum and coordination number. The peak is the maximum of g smoothed over
 * ±2 bins, refined by a least-squares parabola through ±3 bins of the raw g; the
 * minimum is the lowest point of g smoothed over ±2 bins between the peak and 1.6× its position,
 * refined by a parabola through ±7 bins (the middle of the first run of equal lowest values when
 * g is flat, so an empty gap in a cold crystal gives its centre). `minimumAngstrom` may be imposed.
 */
export function firstShell(rdf: Rdf, minimumAngstrom?: number): FirstShell {
  const { g, rAngstrom: r, binWidthAngstrom: dr } = rdf;
  const sm = smooth(g, 2);
  let kp = 0;
  for (let k = 1; k < g.length; k++) if (sm[k] > sm[kp]) kp = k;
  const kSmooth = kp;
  for (let k = Math.max(0, kSmooth - 2); k <= Math.min(g.length - 1, kSmooth + 2); k++)
    if (g[k] > g[kp]) kp = k;
  // Least-squares parabola through the raw g over ±3 bins of the smoothed maximum: robust to noise.
  let peak = r[kp];
  const xPeak = parabolaVertex(g, kp, 3);
  if (xPeak !== null && xPeak.curvature < 0) peak = r[kp] + xPeak.offset * dr;
  let rmin = minimumAngstrom;
  if (rmin === undefined) {
    const s = sm;
    const kEnd = Math.min(g.length - 1, Math.floor((1.6 * r[kp]) / dr));
    let best = kp + 1;
    for (let k = kp + 1; k <= kEnd; k++) if (s[k] < s[best] - 1e-12) best = k;
    let last = best;
    while (last + 1 <= kEnd && Math.abs(s[last + 1] - s[best]) <= 1e-12) last++;
    rmin = 0.5 * (r[best] + r[last]);
    // A liquid's minimum is broad and noisy: refine with a parabola through ±7 bins (±0.14 Å at 0.02).
    if (last === best) {
      const v = parabolaVertex(g, best, 7);
      if (v !== null && v.curvature > 0) rmin = r[best] + v.offset * dr;
    }
  }
  // N(r) is known at bin edges (k+1)·dr; interpolate linearly to r_min.
  const run = rdf.runningCoordination;
  const k = Math.min(g.length - 1, Math.max(0, Math.floor(rmin / dr)));
  const below = k > 0 ? run[k - 1] : 0;
  const coordination = below + (rmin / dr - k) * (run[k] - below);
  return { peakAngstrom: peak, peakHeight: g[kp], minimumAngstrom: rmin, coordination };
}
