/**
 * Verlet neighbour list with skin, built through a cell (bin) list, for orthorhombic boxes.
 * Half list: each pair (i, j, image) appears once — under the atom whose bin sees the other through
 * the "upper half" bin stencil (or under the earlier atom of a shared bin) — stored as
 * code = j·256 + imageIndex so the force loop needs one load per pair. Image shift vectors are kept as
 * integer multiples of the box and rescaled when the box changes (barostat). Any box with every
 * periodic edge ≥ the list cutoff works, including boxes so small that an atom sees several images
 * of the same neighbour.
 */
import { XasInputError } from '../../core/errors.js';

const MAX_ATOMS = 1 << 23;

export class NeighborList {
  /** Interaction cutoff in Å. */
  readonly cutoff: number;
  /** Skin in Å: the list holds pairs within cutoff + skin. */
  readonly skin: number;
  /** CSR offsets: neighbours of atom i are codes[start[i] .. start[i+1]). */
  start: Int32Array = new Int32Array(1);
  /** Neighbour codes j·256 + imageIndex. */
  codes: Int32Array = new Int32Array(1024);
  /** Current shift vectors (Å), 3 per image index. */
  shiftVec: Float64Array = new Float64Array(3);
  /** Number of list builds so far. */
  builds = 0;
  private shiftInt: Int32Array = new Int32Array(3);
  private nShifts = 0;
  private shiftLookup = new Map<number, number>();
  private refPositions: Float64Array = new Float64Array(0);
  private refBox: [number, number, number] = [0, 0, 0];
  private cellStart: Int32Array = new Int32Array(0);
  private cellFill: Int32Array = new Int32Array(0);
  private cellAtoms: Int32Array = new Int32Array(0);
  private cellOf: Int32Array = new Int32Array(0);
  private slotOf: Int32Array = new Int32Array(0);
  private sorted: Float64Array = new Float64Array(0);
  private stencil: Int32Array = new Int32Array(0);
  private stencilLength: Int32Array = new Int32Array(0);
  private stencilKey = '';

  constructor(cutoffAngstrom: number, skinAngstrom: number) {
    if (!(cutoffAngstrom > 0) || !(skinAngstrom >= 0)) {
      throw new XasInputError(`cutoff ${cutoffAngstrom} Å, skin ${skinAngstrom} Å`, {
        field: 'skin',
        expected: 'a positive cutoff and a non-negative skin',
      });
    }
    this.cutoff = cutoffAngstrom;
    this.skin = skinAngstrom;
  }

  get pairCount(): number {
    return this.start[this.start.length - 1];
  }

  private shiftIndex(sx: number, sy: number, sz: number): number {
    const key = (sx + 512) * 1048576 + (sy + 512) * 1024 + (sz + 512);
    let k = this.shiftLookup.get(key);
    if (k === undefined) {
      k = this.nShifts++;
      if (k > 255)
        throw new XasInputError('box too small for the cutoff', {
          field: 'box',
          expected: 'larger box edges',
        });
      this.shiftLookup.set(key, k);
      if (this.shiftInt.length < 3 * this.nShifts) {
        const g = new Int32Array(6 * this.nShifts);
        g.set(this.shiftInt);
        this.shiftInt = g;
      }
      this.shiftInt[3 * k] = sx;
      this.shiftInt[3 * k + 1] = sy;
      this.shiftInt[3 * k + 2] = sz;
    }
    return k;
  }

  /** Recomputes shift vectors for a new box (after barostat scaling). */
  updateBox(box: readonly number[]): void {
    if (this.shiftVec.length < 3 * this.nShifts) this.shiftVec = new Float64Array(3 * this.nShifts);
    for (let k = 0; k < 3 * this.nShifts; k++) this.shiftVec[k] = this.shiftInt[k] * box[k % 3];
  }

  /** True when some atom moved (or the box changed) by more than half the skin since the last build. */
  needsRebuild(pos: Float64Array, box: readonly number[]): boolean {
    if (this.refPositions.length !== pos.length) return true;
    const boxDelta =
      Math.abs(box[0] - this.refBox[0]) +
      Math.abs(box[1] - this.refBox[1]) +
      Math.abs(box[2] - this.refBox[2]);
    const lim = 0.5 * this.skin - boxDelta;
    if (lim <= 0) return true;
    const lim2 = lim * lim;
    const ref = this.refPositions;
    for (let k = 0; k < pos.length; k += 3) {
      const dx = pos[k] - ref[k];
      const dy = pos[k + 1] - ref[k + 1];
      const dz = pos[k + 2] - ref[k + 2];
      if (dx * dx + dy * dy + dz * dz > lim2) return true;
    }
    return false;
  }

  /** Half stencil of every bin for a bin grid (and the image indices it needs). */
  private buildStencil(nc: number[], reach: number[], pbc: readonly boolean[], nsten: number): Int32Array {
    this.shiftLookup.clear();
    this.nShifts = 0;
    this.shiftIndex(0, 0, 0);
    const ncell = nc[0] * nc[1] * nc[2];
    if (this.stencil.length < 2 * ncell * nsten) this.stencil = new Int32Array(2 * ncell * nsten);
    if (this.stencilLength.length < ncell) this.stencilLength = new Int32Array(ncell);
    const stencil = this.stencil;
    const lens = this.stencilLength;
    for (let cx = 0; cx < nc[0]; cx++) {
      for (let cy = 0; cy < nc[1]; cy++) {
        for (let cz = 0; cz < nc[2]; cz++) {
          const c = (cx * nc[1] + cy) * nc[2] + cz;
          let w = 2 * c * nsten;
          stencil[w++] = c;
          stencil[w++] = 0;
          for (let ox = -reach[0]; ox <= reach[0]; ox++) {
            let gx = cx + ox;
            let sx = 0;
            if (pbc[0]) {
              sx = Math.floor(gx / nc[0]);
              gx -= sx * nc[0];
            } else if (gx < 0 || gx >= nc[0]) continue;
            for (let oy = -reach[1]; oy <= reach[1]; oy++) {
              let gy = cy + oy;
              let sy = 0;
              if (pbc[1]) {
                sy = Math.floor(gy / nc[1]);
                gy -= sy * nc[1];
              } else if (gy < 0 || gy >= nc[1]) continue;
              for (let oz = -reach[2]; oz <= reach[2]; oz++) {
                if (!(ox > 0 || (ox === 0 && (oy > 0 || (oy === 0 && oz > 0))))) continue;
                let gz = cz + oz;
                let sz = 0;
                if (pbc[2]) {
                  sz = Math.floor(gz / nc[2]);
                  gz -= sz * nc[2];
                } else if (gz < 0 || gz >= nc[2]) continue;
                stencil[w++] = (gx * nc[1] + gy) * nc[2] + gz;
                stencil[w++] = this.shiftIndex(sx, sy, sz);
              }
            }
          }
          lens[c] = (w - 2 * c * nsten) >> 1;
        }
      }
    }
    return stencil;
  }

  /**
   * Builds the list. Periodic coordinates in `pos` are wrapped into [0, L) in place (the caller's
   * positions stay consistent because every pair remembers its image).
   */
  build(pos: Float64Array, box: readonly number[], pbc: readonly boolean[]): void {
    const n = pos.length / 3;
    if (n >= MAX_ATOMS) throw new XasInputError(`${n} atoms`, { expected: `fewer than ${MAX_ATOMS} atoms` });
    const rlist = this.cutoff + this.skin;
    const rlist2 = rlist * rlist;
    const lo = [0, 0, 0];
    const span = [0, 0, 0];
    for (let d = 0; d < 3; d++) {
      const l = box[d];
      if (pbc[d]) {
        if (l < rlist) {
          throw new XasInputError(
            `periodic box edge ${'xyz'[d]} = ${l.toFixed(3)} Å is shorter than cutoff + skin = ${rlist.toFixed(3)} Å`,
            { field: 'box', expected: 'a larger supercell' },
          );
        }
        for (let k = d; k < pos.length; k += 3) {
          let x = pos[k] - Math.floor(pos[k] / l) * l;
          if (x >= l) x -= l;
          pos[k] = x;
        }
        span[d] = l;
      } else {
        let a = Infinity;
        let b = -Infinity;
        for (let k = d; k < pos.length; k += 3) {
          if (pos[k] < a) a = pos[k];
          if (pos[k] > b) b = pos[k];
        }
        lo[d] = n > 0 ? a : 0;
        span[d] = n > 0 ? Math.max(b - a, 1e-9) : 1;
      }
    }
    // Two bins per list cutoff: 125 half-size bins cover less volume than 27 full-size ones.
    const nc = [0, 0, 0];
    const reach = [0, 0, 0];
    for (let d = 0; d < 3; d++) {
      nc[d] = Math.max(1, Math.floor((2 * span[d]) / rlist));
      const size = span[d] / nc[d];
      reach[d] = pbc[d]
        ? Math.ceil(rlist / size - 1e-12)
        : Math.min(nc[d] - 1, Math.ceil(rlist / size - 1e-12));
    }
    const ncell = nc[0] * nc[1] * nc[2];
    // Counting sort of atoms into bins, with their coordinates copied in bin order for locality.
    if (this.cellStart.length < ncell + 1) this.cellStart = new Int32Array(ncell + 1);
    if (this.cellAtoms.length < n) {
      this.cellAtoms = new Int32Array(n);
      this.cellOf = new Int32Array(n);
      this.sorted = new Float64Array(3 * n);
    }
    const cellStart = this.cellStart;
    const cellAtoms = this.cellAtoms;
    const cellOf = this.cellOf;
    const slotOf = this.slotOf.length >= n ? this.slotOf : (this.slotOf = new Int32Array(n));
    const sorted = this.sorted;
    cellStart.fill(0, 0, ncell + 1);
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (let d = 0; d < 3; d++) {
        let ci = Math.floor(((pos[3 * i + d] - lo[d]) / span[d]) * nc[d]);
        if (ci < 0) ci = 0;
        if (ci >= nc[d]) ci = nc[d] - 1;
        c = c * nc[d] + ci;
      }
      cellOf[i] = c;
      cellStart[c + 1]++;
    }
    for (let c = 0; c < ncell; c++) cellStart[c + 1] += cellStart[c];
    const fill = this.cellFill.length >= ncell ? this.cellFill : (this.cellFill = new Int32Array(ncell));
    fill.set(cellStart.subarray(0, ncell));
    for (let i = 0; i < n; i++) {
      const q = fill[cellOf[i]]++;
      cellAtoms[q] = i;
      slotOf[i] = q;
      sorted[3 * q] = pos[3 * i];
      sorted[3 * q + 1] = pos[3 * i + 1];
      sorted[3 * q + 2] = pos[3 * i + 2];
    }
    // Half stencil of every bin: the bin itself first, then the offsets that are lexicographically
    // positive, each with its neighbour bin and image index. Offset −o is never visited, so every
    // (pair, image) is met exactly once.
    // The stencil depends only on the bin grid, so it is kept until the grid changes.
    const nsten = (2 * reach[0] + 1) * (2 * reach[1] + 1) * (2 * reach[2] + 1);
    const key = `${nc.join(',')}|${reach.join(',')}|${pbc.join(',')}`;
    const stencil = this.stencilKey === key ? this.stencil : this.buildStencil(nc, reach, pbc, nsten);
    this.stencilKey = key;
    const lens = this.stencilLength;
    this.updateBox(box);
    const shift = this.shiftVec;
    if (this.start.length !== n + 1) this.start = new Int32Array(n + 1);
    const start = this.start;
    let codes = this.codes;
    let count = 0;
    for (let i = 0; i < n; i++) {
      start[i] = count;
      const xi = pos[3 * i];
      const yi = pos[3 * i + 1];
      const zi = pos[3 * i + 2];
      const c = cellOf[i];
      const base = 2 * c * nsten;
      for (let t = 0; t < lens[c]; t++) {
        const g = stencil[base + 2 * t];
        const si = stencil[base + 2 * t + 1];
        const bx = shift[3 * si] - xi;
        const by = shift[3 * si + 1] - yi;
        const bz = shift[3 * si + 2] - zi;
        // Own bin (t = 0): only atoms after i in the bin; other bins: all atoms, any image of i itself.
        for (let q = t === 0 ? slotOf[i] + 1 : cellStart[g], qend = cellStart[g + 1]; q < qend; q++) {
          const dx = sorted[3 * q] + bx;
          const dy = sorted[3 * q + 1] + by;
          const dz = sorted[3 * q + 2] + bz;
          if (dx * dx + dy * dy + dz * dz >= rlist2) continue;
          if (count >= codes.length) {
            const grown = new Int32Array(codes.length * 2);
            grown.set(codes);
            codes = grown;
          }
          codes[count++] = cellAtoms[q] * 256 + si;
        }
      }
    }
    start[n] = count;
    this.codes = codes;
    if (this.refPositions.length !== pos.length) this.refPositions = new Float64Array(pos.length);
    this.refPositions.set(pos);
    this.refBox = [box[0], box[1], box[2]];
    this.builds++;
  }
}
