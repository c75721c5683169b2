/**
 * Interpolation of kernel amplitudes in geometry: 4-point cubic Lagrange in r for pair tables
 * (one-sided at the ends) and trilinear in (r1, r2, φ) for triangle tables. Values outside a
 * table's range are never extrapolated: the locate functions return false and callers report the
 * offending atoms.
 */
import { type Axis, axisEnd, type PairTable, type TriangleTable } from './table.js';

/** Up to 8 (node, weight) pairs; `count` says how many are used. */
export interface NodeWeights {
  nodes: Int32Array;
  weights: Float64Array;
  count: number;
}

export function newNodeWeights(): NodeWeights {
  return { nodes: new Int32Array(8), weights: new Float64Array(8), count: 0 };
}

/** Tolerance (in units of the grid step) for values a rounding error outside the table. */
const EDGE_SLACK = 1e-9;

export function insideAxis(a: Axis, v: number): boolean {
  const lo = a.start - EDGE_SLACK * a.step;
  const hi = axisEnd(a) + EDGE_SLACK * a.step;
  return v >= lo && v <= hi;
}

/** Cell index i and fraction t ∈ [0, 1] of v on axis a (caller has checked insideAxis). */
function cell(a: Axis, v: number): [number, number] {
  let u = (v - a.start) / a.step;
  u = Math.min(Math.max(u, 0), a.count - 1);
  let i = Math.floor(u);
  if (i > a.count - 2) i = a.count - 2;
  return [i, u - i];
}

/** Cubic Lagrange weights for a pair table at distance r; false when r is outside the table. */
export function pairWeights(t: PairTable, r: number, out: NodeWeights): boolean {
  const a = t.r;
  if (!insideAxis(a, r)) return false;
  const u = Math.min(Math.max((r - a.start) / a.step, 0), a.count - 1);
  let i0 = Math.floor(u) - 1;
  i0 = Math.min(Math.max(i0, 0), a.count - 4);
  const x = u - i0; // position relative to node i0, in [0, 3]
  out.nodes[0] = i0;
  out.nodes[1] = i0 + 1;
  out.nodes[2] = i0 + 2;
  out.nodes[3] = i0 + 3;
  out.weights[0] = (-(x - 1) * (x - 2) * (x - 3)) / 6;
  out.weights[1] = (x * (x - 2) * (x - 3)) / 2;
  out.weights[2] = (-x * (x - 1) * (x - 3)) / 2;
  out.weights[3] = (x * (x - 1) * (x - 2)) / 6;
  out.count = 4;
  return true;
}

/** Trilinear weights for a triangle table; false when the geometry is outside the table. */
export function triangleWeights(
  t: TriangleTable,
  r1: number,
  r2: number,
  phiDeg: number,
  out: NodeWeights,
): boolean {
  if (!insideAxis(t.r1, r1) || !insideAxis(t.r2, r2) || !insideAxis(t.phiDeg, phiDeg)) return false;
  const [i1, t1] = cell(t.r1, r1);
  const [i2, t2] = cell(t.r2, r2);
  const [ip, tp] = cell(t.phiDeg, phiDeg);
  const n2 = t.r2.count;
  const np = t.phiDeg.count;
  let c = 0;
  for (let a = 0; a < 2; a++) {
    const wa = a === 0 ? 1 - t1 : t1;
    for (let b = 0; b < 2; b++) {
      const wb = b === 0 ? 1 - t2 : t2;
      for (let p = 0; p < 2; p++) {
        const wp = p === 0 ? 1 - tp : tp;
        out.nodes[c] = ((i1 + a) * n2 + (i2 + b)) * np + (ip + p);
        out.weights[c] = wa * wb * wp;
        c++;
      }
    }
  }
  out.count = 8;
  return true;
}

/** Interpolated complex amplitude (re, im interleaved over nk nodes) written to `out`. */
export function interpolateAmplitude(
  amps: Float32Array,
  w: NodeWeights,
  nk: number,
  out: Float64Array,
): Float64Array {
  const len = 2 * nk;
  out.fill(0, 0, len);
  for (let c = 0; c < w.count; c++) {
    const wt = w.weights[c];
    if (wt === 0) continue;
    const base = w.nodes[c] * len;
    for (let i = 0; i < len; i++) out[i] += wt * amps[base + i];
  }
  return out;
}
