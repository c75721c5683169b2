/**
 * Enumerates what the GNXAS-style two- and three-body sums need around absorbers:
 * pairs (absorber a, atom j) with d_aj ≤ pairCutoff, and "connected" triangles {a, j, l} with
 *  - role V: d_aj ≤ r_c and d_al ≤ r_c (each unordered {j, l} once; geometry d_aj, d_al, φ at a),
 *  - role E: d_aj ≤ r_c, d_jl ≤ r_c, d_al > r_c (geometry d_aj, d_jl, φ at j),
 * so every triangle with two sides ≤ r_c that touch each other and the absorber is counted once
 * per absorber (design note §4). In periodic boxes a→l is built as (a→j) + (j→l).
 */
import { XasInputError } from '../../core/errors.js';
import type { Atoms } from '../../structure/atoms.js';
import type { TriangleRole } from '../kernels/geometry.js';
import { CellGrid, type NeighbourList, newNeighbourList } from './neighbours.js';

export interface NeighbourhoodVisitor {
  pair(absorber: number, j: number, r: number): void;
  /** r1 = d_aj; r2 = d_al (V) or d_jl (E); φ in degrees at a (V) or at j (E); third = d_jl (V) or d_al (E). */
  triangle(
    absorber: number,
    role: TriangleRole,
    j: number,
    l: number,
    r1: number,
    r2: number,
    phiDeg: number,
    third: number,
  ): void;
}

export interface EnumerationOptions {
  /** Use minimum images along the axes flagged in atoms.pbc (false: an isolated cluster). */
  periodic: boolean;
  pairAbsorbers: readonly number[];
  tripletAbsorbers: readonly number[];
  /** Largest absorber–scatterer distance of the two-body sum (Å). */
  pairCutoff: number;
  /** First-shell cutoff r_c of the three-body sum (Å). */
  triangleCutoff: number;
}

const RAD = 180 / Math.PI;

function angleDeg(
  ax: number,
  ay: number,
  az: number,
  bx: number,
  by: number,
  bz: number,
  ra: number,
  rb: number,
): number {
  let c = (ax * bx + ay * by + az * bz) / (ra * rb);
  if (c > 1) c = 1;
  else if (c < -1) c = -1;
  return Math.acos(c) * RAD;
}

export function enumerateNeighbourhoods(
  atoms: Atoms,
  opts: EnumerationOptions,
  visitor: NeighbourhoodVisitor,
): void {
  const n = atoms.species.length;
  for (const a of [...opts.pairAbsorbers, ...opts.tripletAbsorbers]) {
    if (!Number.isInteger(a) || a < 0 || a >= n) {
      throw new XasInputError(`absorber index ${a}`, {
        field: 'absorber',
        expected: `an atom index in 0–${n - 1}`,
      });
    }
  }
  const rc = opts.triangleCutoff;
  const needTriplets = opts.tripletAbsorbers.length > 0;
  const grid = new CellGrid(atoms, opts.periodic, Math.max(opts.pairCutoff, needTriplets ? rc : 0));
  const list = newNeighbourList();
  for (const a of opts.pairAbsorbers) {
    grid.query(a, opts.pairCutoff, list);
    for (let m = 0; m < list.count; m++) visitor.pair(a, list.index[m], list.dist[m]);
  }
  if (!needTriplets) return;
  const cache = new Map<number, NeighbourList>();
  const shell = (i: number): NeighbourList => {
    let l = cache.get(i);
    if (!l) {
      l = grid.query(i, rc, newNeighbourList(32));
      cache.set(i, l);
    }
    return l;
  };
  for (const a of opts.tripletAbsorbers) {
    const na = shell(a);
    // V: unordered pairs of first-shell neighbours of a
    for (let p = 0; p < na.count; p++) {
      for (let q = p + 1; q < na.count; q++) {
        const phi = angleDeg(
          na.dx[p],
          na.dy[p],
          na.dz[p],
          na.dx[q],
          na.dy[q],
          na.dz[q],
          na.dist[p],
          na.dist[q],
        );
        const djl = Math.hypot(na.dx[q] - na.dx[p], na.dy[q] - na.dy[p], na.dz[q] - na.dz[p]);
        visitor.triangle(a, 'V', na.index[p], na.index[q], na.dist[p], na.dist[q], phi, djl);
      }
    }
    // E: chains a–j–l with l a first-shell neighbour of j but not of a
    for (let p = 0; p < na.count; p++) {
      const j = na.index[p];
      const nj = shell(j);
      for (let q = 0; q < nj.count; q++) {
        const l = nj.index[q];
        if (l === a) continue;
        const ax = na.dx[p] + nj.dx[q];
        const ay = na.dy[p] + nj.dy[q];
        const az = na.dz[p] + nj.dz[q];
        const dal = Math.sqrt(ax * ax + ay * ay + az * az);
        if (dal <= rc) continue;
        const phi = angleDeg(
          -na.dx[p],
          -na.dy[p],
          -na.dz[p],
          nj.dx[q],
          nj.dy[q],
          nj.dz[q],
          na.dist[p],
          nj.dist[q],
        );
        visitor.triangle(a, 'E', j, l, na.dist[p], nj.dist[q], phi, dal);
      }
    }
  }
}
