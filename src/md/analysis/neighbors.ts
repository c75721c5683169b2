/**
 * Full neighbour lists with separation vectors for structure analysis (g(r), bond angles, CNA): every
 * atom's neighbours within a cutoff, periodic images included, sorted by distance. Built on the MD
 * neighbour list (half list, zero skin) and mirrored.
 */
import { type Atoms, atomCount, boxVolume } from '../../structure/atoms.js';
import { NeighborList } from '../engine/neighbor-list.js';

export interface FullNeighbors {
  /** CSR offsets: neighbours of atom i are entries start[i] .. start[i+1]. */
  start: Int32Array;
  /** Neighbour atom index. */
  index: Int32Array;
  /** Separation r_j − r_i (Å), 3 per entry. */
  vec: Float64Array;
  /** Distance (Å). */
  dist: Float64Array;
}

/** Neighbours of every atom within `cutoffAngstrom`, sorted by distance. */
export function fullNeighbors(atoms: Atoms, cutoffAngstrom: number): FullNeighbors {
  const n = atomCount(atoms);
  const pos = atoms.positions.slice();
  const nl = new NeighborList(cutoffAngstrom, 0);
  nl.build(pos, atoms.boxAngstrom, atoms.pbc);
  const cut2 = cutoffAngstrom * cutoffAngstrom;
  const counts = new Int32Array(n + 1);
  const { start, codes, shiftVec } = nl;
  const pairs: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let k = start[i]; k < start[i + 1]; k++) {
      const j = codes[k] >> 8;
      const s = (codes[k] & 255) * 3;
      const dx = pos[3 * j] + shiftVec[s] - pos[3 * i];
      const dy = pos[3 * j + 1] + shiftVec[s + 1] - pos[3 * i + 1];
      const dz = pos[3 * j + 2] + shiftVec[s + 2] - pos[3 * i + 2];
      if (dx * dx + dy * dy + dz * dz >= cut2) continue;
      pairs.push(i, j, dx, dy, dz);
      counts[i + 1]++;
      counts[j + 1]++;
    }
  }
  for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
  const total = counts[n];
  const index = new Int32Array(total);
  const vec = new Float64Array(3 * total);
  const dist = new Float64Array(total);
  const fill = counts.slice(0, n);
  const put = (a: number, b: number, x: number, y: number, z: number) => {
    const q = fill[a]++;
    index[q] = b;
    vec[3 * q] = x;
    vec[3 * q + 1] = y;
    vec[3 * q + 2] = z;
    dist[q] = Math.sqrt(x * x + y * y + z * z);
  };
  for (let p = 0; p < pairs.length; p += 5) {
    const i = pairs[p];
    const j = pairs[p + 1];
    put(i, j, pairs[p + 2], pairs[p + 3], pairs[p + 4]);
    put(j, i, -pairs[p + 2], -pairs[p + 3], -pairs[p + 4]);
  }
  // Sort each atom's entries by distance (small lists: insertion sort on a permutation).
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = counts[i];
    const b = counts[i + 1];
    order.length = 0;
    for (let q = a; q < b; q++) order.push(q);
    order.sort((x, y) => dist[x] - dist[y]);
    const idx = order.map((q) => index[q]);
    const d = order.map((q) => dist[q]);
    const v = order.flatMap((q) => [vec[3 * q], vec[3 * q + 1], vec[3 * q + 2]]);
    for (let q = a; q < b; q++) {
      index[q] = idx[q - a];
      dist[q] = d[q - a];
      vec[3 * q] = v[3 * (q - a)];
      vec[3 * q + 1] = v[3 * (q - a) + 1];
      vec[3 * q + 2] = v[3 * (q - a) + 2];
    }
  }
  return { start: counts, index, vec, dist };
}

/** Mean volume per atom to the power 1/3 (Å): a length scale for density-relative cutoffs. */
export function atomicLength(atoms: Atoms): number {
  return Math.cbrt(boxVolume(atoms) / Math.max(atomCount(atoms), 1));
}
