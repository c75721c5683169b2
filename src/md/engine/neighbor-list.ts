/**
 * Verlet neighbour list with skin, built through a cell (linked-bin) list, for orthorhombic boxes.
 * Half list: each pair (i, j, image) appears once, stored as code = j·256 + imageIndex so the force
 * loop needs one load per pair; image shift vectors are kept as integer multiples of the box and
 * rescaled when the box changes (barostat). Any box with every periodic edge ≥ the list cutoff works,
 * including boxes so small that an atom sees several images of the same neighbour.
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
  private cellHead: Int32Array = new Int32Array(0);
  private cellNext: Int32Array = new Int32Array(0);
  private cellOf: Int32Array = new Int32Array(0);

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
    if (this.cellHead.length < ncell) this.cellHead = new Int32Array(ncell);
    if (this.cellNext.length < n) {
      this.cellNext = new Int32Array(n);
      this.cellOf = new Int32Array(3 * n);
    }
    const head = this.cellHead;
    head.fill(-1, 0, ncell);
    const next = this.cellNext;
    const cellOf = this.cellOf;
    for (let i = n - 1; i >= 0; i--) {
      let c = 0;
      for (let d = 0; d < 3; d++) {
        let ci = Math.floor(((pos[3 * i + d] - lo[d]) / span[d]) * nc[d]);
        if (ci < 0) ci = 0;
        if (ci >= nc[d]) ci = nc[d] - 1;
        cellOf[3 * i + d] = ci;
        c = c * nc[d] + ci;
      }
      next[i] = head[c];
      head[c] = i;
    }
    this.shiftLookup.clear();
    this.nShifts = 0;
    const zeroShift = this.shiftIndex(0, 0, 0);
    if (this.start.length !== n + 1) this.start = new Int32Array(n + 1);
    const start = this.start;
    let codes = this.codes;
    let count = 0;
    for (let i = 0; i < n; i++) {
      start[i] = count;
      const xi = pos[3 * i];
      const yi = pos[3 * i + 1];
      const zi = pos[3 * i + 2];
      const cx = cellOf[3 * i];
      const cy = cellOf[3 * i + 1];
      const cz = cellOf[3 * i + 2];
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
            let gz = cz + oz;
            let sz = 0;
            if (pbc[2]) {
              sz = Math.floor(gz / nc[2]);
              gz -= sz * nc[2];
            } else if (gz < 0 || gz >= nc[2]) continue;
            const isZero = sx === 0 && sy === 0 && sz === 0;
            // Image of the pair (i, i, S) is counted once: only for the lexicographically positive S.
            const selfOk = !isZero && (sx > 0 || (sx === 0 && (sy > 0 || (sy === 0 && sz > 0))));
            const bx = sx * box[0] - xi;
            const by = sy * box[1] - yi;
            const bz = sz * box[2] - zi;
            let sIndex = isZero ? zeroShift : -1;
            for (let j = head[(gx * nc[1] + gy) * nc[2] + gz]; j >= 0; j = next[j]) {
              if (j < i || (j === i && !selfOk)) continue;
              const dx = pos[3 * j] + bx;
              const dy = pos[3 * j + 1] + by;
              const dz = pos[3 * j + 2] + bz;
              if (dx * dx + dy * dy + dz * dz >= rlist2) continue;
              if (sIndex < 0) sIndex = this.shiftIndex(sx, sy, sz);
              if (count >= codes.length) {
                const g = new Int32Array(codes.length * 2);
                g.set(codes);
                codes = g;
              }
              codes[count++] = j * 256 + sIndex;
            }
          }
        }
      }
    }
    start[n] = count;
    this.codes = codes;
    this.refPositions = pos.slice();
    this.refBox = [box[0], box[1], box[2]];
    this.updateBox(box);
    this.builds++;
  }
}
