/**
 * In-memory kernel tables. For one absorber (and one FEFF reference potential), each table holds
 * the smooth complex path amplitude F(q; geometry) = amp·exp(i[pha − 2·reff·(Re p − q)]) on FEFF's
 * own k nodes for every node of a geometry grid — the slowly varying part of the path signal
 *   χ_path(q) = Im{ F(q) · exp(2i·reff·Re p(q)) } · exp(−2·reff/λ(q)) / (q·reff²),
 * which at the nodes is exactly Larch's path equation with σ² = ΔR = 0. Re p and λ depend on the
 * potential only and are stored once. Pair tables have one axis (r), triangle tables three
 * (r1, r2, φ) in the role parametrisation of ./geometry.ts.
 */
import type { PairPathType, TrianglePathType, TriangleRole } from './geometry.js';

export interface Axis {
  start: number;
  step: number;
  count: number;
}

export function axisValue(a: Axis, i: number): number {
  return a.start + i * a.step;
}

export function axisEnd(a: Axis): number {
  return a.start + (a.count - 1) * a.step;
}

export interface PairTable {
  kind: 'pair';
  /** Scatterer element symbol. */
  scatterer: string;
  pathTypes: PairPathType[];
  r: Axis;
  /** amplitudes[t][(node·nk + n)·2 + {0: re, 1: im}] for path type t. */
  amplitudes: Float32Array[];
}

export interface TriangleTable {
  kind: 'triangle';
  role: TriangleRole;
  /** Element symbols of atom j (next to the absorber) and atom l. */
  scatterers: [string, string];
  pathTypes: TrianglePathType[];
  r1: Axis;
  r2: Axis;
  phiDeg: Axis;
  /** amplitudes[t][((i1·n2 + i2)·nphi + iphi)·nk·2 + 2n + {0,1}]; always the full grid in memory. */
  amplitudes: Float32Array[];
}

export interface KernelProvenance {
  program: string;
  reference: Record<string, unknown>;
  cards: Record<string, string>;
  potentials: { ipot: number; z: number; element: string; rmtAngstrom?: number; rnormanAngstrom?: number }[];
  created: string;
  createdBy: string;
  /** Interpolation check against direct FEFF paths (filled by the builder when requested). */
  validation?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface KernelSet {
  absorber: string;
  edge: string;
  /** FEFF's k nodes (Å⁻¹), ascending. */
  kNodes: Float64Array;
  /** Re p at the nodes (Å⁻¹). */
  realP: Float64Array;
  /** Mean free path λ at the nodes (Å). */
  lambda: Float64Array;
  pairs: PairTable[];
  triangles: TriangleTable[];
  /** Suggested first-shell cutoff for triangles (Å), between the reference's 1st and 2nd shells. */
  defaultTriangleCutoff: number;
  provenance: KernelProvenance;
  /** Where the set was loaded from (for messages). */
  source: string;
}

export function findPairTable(set: KernelSet, scatterer: string): PairTable | undefined {
  return set.pairs.find((t) => t.scatterer === scatterer);
}

export function findTriangleTable(
  set: KernelSet,
  role: TriangleRole,
  j: string,
  l: string,
): TriangleTable | undefined {
  return set.triangles.find((t) => t.role === role && t.scatterers[0] === j && t.scatterers[1] === l);
}

/** For same-species V tables: F_T(r1, r2, φ) = F_T'(r2, r1, φ) with T2 ↔ T3 swapped. */
export function fillLowerFromMirror(t: TriangleTable, nk: number): void {
  const n2 = t.r2.count;
  const np = t.phiDeg.count;
  const idx = (p: TrianglePathType) => t.pathTypes.indexOf(p);
  const mirrorOf: Record<TrianglePathType, TrianglePathType> = { D: 'D', T1: 'T1', T2: 'T3', T3: 'T2' };
  for (const pt of t.pathTypes) {
    const dst = t.amplitudes[idx(pt)];
    const src = t.amplitudes[idx(mirrorOf[pt])];
    for (let i1 = 0; i1 < t.r1.count; i1++) {
      for (let i2 = 0; i2 < i1; i2++) {
        for (let ip = 0; ip < np; ip++) {
          const a = ((i1 * n2 + i2) * np + ip) * nk * 2;
          const b = ((i2 * n2 + i1) * np + ip) * nk * 2;
          for (let i = 0; i < nk * 2; i++) dst[a + i] = src[b + i];
        }
      }
    }
  }
}
