/**
 * Cell-list neighbour search for EXAFS configurational averages: all atoms within a cutoff of a
 * given atom, with minimum-image separation vectors in periodic boxes (orthorhombic, per-axis pbc)
 * or plain Cartesian vectors for clusters.
 */
import { XasInputError } from '../../core/errors.js';
import type { Atoms } from '../../structure/atoms.js';

export interface NeighbourList {
  /** Number of neighbours found. */
  count: number;
  index: Int32Array;
  dx: Float64Array;
  dy: Float64Array;
  dz: Float64Array;
  dist: Float64Array;
}

export function newNeighbourList(capacity = 256): NeighbourList {
  return {
    count: 0,
    index: new Int32Array(capacity),
    dx: new Float64Array(capacity),
    dy: new Float64Array(capacity),
    dz: new Float64Array(capacity),
    dist: new Float64Array(capacity),
  };
}

function grow(l: NeighbourList): void {
  const cap = l.index.length * 2;
  const next = newNeighbourList(cap);
  next.index.set(l.index);
  next.dx.set(l.dx);
  next.dy.set(l.dy);
  next.dz.set(l.dz);
  next.dist.set(l.dist);
  Object.assign(l, { index: next.index, dx: next.dx, dy: next.dy, dz: next.dz, dist: next.dist });
}

export class CellGrid {
  private readonly pos: Float64Array;
  private readonly periodic: [boolean, boolean, boolean];
  private readonly box: [number, number, number];
  private readonly lo: [number, number, number];
  private readonly ncell: [number, number, number];
  private readonly size: [number, number, number];
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  readonly maxCutoff: number;

  /**
   * @param periodic treat the axes flagged in atoms.pbc as periodic (false: a cluster)
   * @param maxCutoff the largest cutoff that will be queried (Å)
   */
  constructor(atoms: Atoms, periodic: boolean, maxCutoff: number) {
    const n = atoms.species.length;
    this.pos = Float64Array.from(atoms.positions);
    this.maxCutoff = maxCutoff;
    this.periodic = periodic ? atoms.pbc : [false, false, false];
    this.box = atoms.boxAngstrom;
    this.lo = [0, 0, 0];
    this.ncell = [1, 1, 1];
    this.size = [1, 1, 1];
    for (let d = 0; d < 3; d++) {
      if (this.periodic[d]) {
        const l = this.box[d];
        if (maxCutoff > l / 2) {
          throw new XasInputError(
            `cutoff ${maxCutoff} Å exceeds half the periodic box (${(l / 2).toFixed(3)} Å along ${'xyz'[d]})`,
            {
              field: 'cutoff',
              expected: 'a cutoff at most half the box length, or a larger box',
            },
          );
        }
        this.lo[d] = 0;
        this.ncell[d] = Math.max(1, Math.floor(l / maxCutoff));
        this.size[d] = l / this.ncell[d];
      } else {
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = 0; i < n; i++) {
          lo = Math.min(lo, this.pos[3 * i + d]);
          hi = Math.max(hi, this.pos[3 * i + d]);
        }
        // cells at least one cutoff wide, so a query never looks beyond the adjacent cells
        this.lo[d] = lo;
        this.ncell[d] = Math.max(1, Math.min(64, Math.floor((hi - lo) / maxCutoff)));
        this.size[d] = Math.max((hi - lo) / this.ncell[d], maxCutoff) * (1 + 1e-12);
      }
    }
    for (let d = 0; d < 3; d++) {
      if (!this.periodic[d]) continue;
      const l = this.box[d];
      for (let i = d; i < this.pos.length; i += 3) this.pos[i] -= Math.floor(this.pos[i] / l) * l;
    }
    const total = this.ncell[0] * this.ncell[1] * this.ncell[2];
    this.head = new Int32Array(total).fill(-1);
    this.next = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const c = this.cellOf(i);
      this.next[i] = this.head[c];
      this.head[c] = i;
    }
  }

  private coord(i: number, d: number): number {
    const x = this.pos[3 * i + d];
    let c = Math.floor((x - this.lo[d]) / this.size[d]);
    if (c >= this.ncell[d]) c = this.ncell[d] - 1;
    if (c < 0) c = 0;
    return c;
  }

  private cellOf(i: number): number {
    return (this.coord(i, 0) * this.ncell[1] + this.coord(i, 1)) * this.ncell[2] + this.coord(i, 2);
  }

  /** Separation vector r_j − r_i (minimum image on periodic axes) into v; returns its length. */
  separation(i: number, j: number, v: Float64Array): number {
    let r2 = 0;
    for (let d = 0; d < 3; d++) {
      let x = this.pos[3 * j + d] - this.pos[3 * i + d];
      if (this.periodic[d]) x -= this.box[d] * Math.round(x / this.box[d]);
      v[d] = x;
      r2 += x * x;
    }
    return Math.sqrt(r2);
  }

  /** All atoms j ≠ i with |r_j − r_i| ≤ cutoff, into `out` (unsorted). */
  query(i: number, cutoff: number, out: NeighbourList): NeighbourList {
    if (cutoff > this.maxCutoff + 1e-12)
      throw new XasInputError(`neighbour cutoff ${cutoff} Å above the grid's ${this.maxCutoff} Å`);
    out.count = 0;
    const c2 = cutoff * cutoff;
    const pos = this.pos;
    const xi = pos[3 * i];
    const yi = pos[3 * i + 1];
    const zi = pos[3 * i + 2];
    // per axis: the neighbour cells and the periodic shift (Å) to add to their atoms
    const cells: number[][] = [];
    const shifts: number[][] = [];
    for (let d = 0; d < 3; d++) {
      const nc = this.ncell[d];
      const ci = this.coord(i, d);
      const span = Math.ceil(cutoff / this.size[d]);
      const cs: number[] = [];
      const ss: number[] = [];
      for (let c = ci - span; c <= ci + span; c++) {
        if (this.periodic[d]) {
          const w = ((c % nc) + nc) % nc;
          cs.push(w);
          ss.push(((c - w) / nc) * this.box[d]);
        } else if (c >= 0 && c < nc) {
          cs.push(c);
          ss.push(0);
        }
      }
      cells.push(cs);
      shifts.push(ss);
    }
    for (let a = 0; a < cells[0].length; a++) {
      const sx = shifts[0][a] - xi;
      for (let b = 0; b < cells[1].length; b++) {
        const sy = shifts[1][b] - yi;
        for (let c = 0; c < cells[2].length; c++) {
          const sz = shifts[2][c] - zi;
          let j = this.head[(cells[0][a] * this.ncell[1] + cells[1][b]) * this.ncell[2] + cells[2][c]];
          for (; j >= 0; j = this.next[j]) {
            const dx = pos[3 * j] + sx;
            const dy = pos[3 * j + 1] + sy;
            const dz = pos[3 * j + 2] + sz;
            const r2 = dx * dx + dy * dy + dz * dz;
            if (r2 > c2 || j === i) continue;
            if (out.count === out.index.length) grow(out);
            const k = out.count++;
            out.index[k] = j;
            out.dx[k] = dx;
            out.dy[k] = dy;
            out.dz[k] = dz;
            out.dist[k] = Math.sqrt(r2);
          }
        }
      }
    }
    return out;
  }
}
