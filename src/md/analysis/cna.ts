/**
 * Structure identification per atom:
 *  - adaptive common-neighbour analysis (a-CNA; Stukowski, Modelling Simul. Mater. Sci. Eng. 20,
 *    045021 (2012)): fcc = 12×(4,2,1); hcp = 6×(4,2,1) + 6×(4,2,2); icosahedral = 12×(5,5,5) on the 12
 *    nearest neighbours with local cutoff (1+√2)/2·⟨r₁…₁₂⟩; bcc = 8×(6,6,6) + 6×(4,4,4) on the 14
 *    nearest with cutoff (1+√2)/2·[(2/√3)⟨r₁…₈⟩ + ⟨r₉…₁₄⟩]/2;
 *  - diamond (Maras et al., Comput. Phys. Commun. 205, 13 (2016)): the 12 second neighbours reached
 *    through the 4 nearest neighbours form an fcc (cubic diamond) or hcp (hexagonal diamond) shell,
 *    tested with the same CNA signatures.
 * Frame fractions of each label decide whether a snapshot still has the intended phase.
 */
import { type Atoms, atomCount } from '../../structure/atoms.js';
import { atomicLength, fullNeighbors } from './neighbors.js';

export const STRUCTURE_LABELS = [
  'fcc',
  'hcp',
  'bcc',
  'ico',
  'cubic-diamond',
  'hex-diamond',
  'other',
] as const;
export type StructureLabel = (typeof STRUCTURE_LABELS)[number];

export type StructureFractions = Record<StructureLabel, number>;

/** CNA signature counts of a neighbour shell given as vectors from the central atom. */
function signatures(vx: number[], vy: number[], vz: number[], m: number, cut: number): Map<number, number> {
  const cut2 = cut * cut;
  // Bond matrix among the m neighbours as bit masks (m ≤ 14).
  const bonds = new Int32Array(m);
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const d2 = (vx[a] - vx[b]) ** 2 + (vy[a] - vy[b]) ** 2 + (vz[a] - vz[b]) ** 2;
      if (d2 < cut2) {
        bonds[a] |= 1 << b;
        bonds[b] |= 1 << a;
      }
    }
  }
  const out = new Map<number, number>();
  const cn: number[] = [];
  for (let j = 0; j < m; j++) {
    cn.length = 0;
    for (let k = 0; k < m; k++) if (bonds[j] & (1 << k)) cn.push(k);
    // Bonds among the common neighbours and the largest cluster of connected bonds.
    const edges: [number, number][] = [];
    for (let p = 0; p < cn.length; p++) {
      for (let q = p + 1; q < cn.length; q++) if (bonds[cn[p]] & (1 << cn[q])) edges.push([cn[p], cn[q]]);
    }
    const parent = edges.map((_, e) => e);
    const find = (e: number): number => {
      while (parent[e] !== e) {
        parent[e] = parent[parent[e]];
        e = parent[e];
      }
      return e;
    };
    for (let e = 0; e < edges.length; e++) {
      for (let f = e + 1; f < edges.length; f++) {
        const [a, b] = edges[e];
        const [c, d] = edges[f];
        if (a === c || a === d || b === c || b === d) parent[find(e)] = find(f);
      }
    }
    const size = new Map<number, number>();
    let longest = 0;
    for (let e = 0; e < edges.length; e++) {
      const r = find(e);
      const s = (size.get(r) ?? 0) + 1;
      size.set(r, s);
      if (s > longest) longest = s;
    }
    const key = cn.length * 10000 + edges.length * 100 + longest;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

const sig = (a: number, b: number, c: number) => a * 10000 + b * 100 + c;

function matchFccHcpIco(s: Map<number, number>): StructureLabel | null {
  const n421 = s.get(sig(4, 2, 1)) ?? 0;
  const n422 = s.get(sig(4, 2, 2)) ?? 0;
  const n555 = s.get(sig(5, 5, 5)) ?? 0;
  if (n421 === 12) return 'fcc';
  if (n421 === 6 && n422 === 6) return 'hcp';
  if (n555 === 12) return 'ico';
  return null;
}

/** Per-atom structure labels. */
export function identifyStructures(atoms: Atoms): StructureLabel[] {
  const n = atomCount(atoms);
  // Large enough for 14 neighbours in bcc (the 14th at 1.26 ℓ) and the 12 diamond second neighbours.
  const nbr = fullNeighbors(atoms, 1.75 * atomicLength(atoms));
  const labels: StructureLabel[] = new Array(n).fill('other');
  const vx: number[] = [];
  const vy: number[] = [];
  const vz: number[] = [];
  const take = (i: number, m: number) => {
    vx.length = vy.length = vz.length = 0;
    const a = nbr.start[i];
    for (let q = a; q < a + m; q++) {
      vx.push(nbr.vec[3 * q]);
      vy.push(nbr.vec[3 * q + 1]);
      vz.push(nbr.vec[3 * q + 2]);
    }
  };
  const count = (i: number) => nbr.start[i + 1] - nbr.start[i];
  for (let i = 0; i < n; i++) {
    const a = nbr.start[i];
    if (count(i) >= 12) {
      let mean = 0;
      for (let q = a; q < a + 12; q++) mean += nbr.dist[q] / 12;
      take(i, 12);
      const l = matchFccHcpIco(signatures(vx, vy, vz, 12, ((1 + Math.SQRT2) / 2) * mean));
      if (l) {
        labels[i] = l;
        continue;
      }
    }
    if (count(i) >= 14) {
      let m8 = 0;
      let m6 = 0;
      for (let q = a; q < a + 8; q++) m8 += nbr.dist[q] / 8;
      for (let q = a + 8; q < a + 14; q++) m6 += nbr.dist[q] / 6;
      take(i, 14);
      const s = signatures(vx, vy, vz, 14, (((1 + Math.SQRT2) / 2) * ((2 / Math.sqrt(3)) * m8 + m6)) / 2);
      if ((s.get(sig(6, 6, 6)) ?? 0) === 8 && (s.get(sig(4, 4, 4)) ?? 0) === 6) {
        labels[i] = 'bcc';
        continue;
      }
    }
    // Diamond: second neighbours through the 4 nearest neighbours.
    if (count(i) >= 4) {
      vx.length = vy.length = vz.length = 0;
      let ok = true;
      let mean = 0;
      for (let q = a; q < a + 4 && ok; q++) {
        const j = nbr.index[q];
        if (count(j) < 4) {
          ok = false;
          break;
        }
        let added = 0;
        for (let p = nbr.start[j]; p < nbr.start[j] + 4; p++) {
          const x = nbr.vec[3 * q] + nbr.vec[3 * p];
          const y = nbr.vec[3 * q + 1] + nbr.vec[3 * p + 1];
          const z = nbr.vec[3 * q + 2] + nbr.vec[3 * p + 2];
          const d = Math.hypot(x, y, z);
          if (d < 1e-6 * nbr.dist[q]) continue; // back to i
          vx.push(x);
          vy.push(y);
          vz.push(z);
          mean += d;
          added++;
        }
        if (added !== 3) ok = false;
      }
      if (ok && vx.length === 12) {
        const l = matchFccHcpIco(signatures(vx, vy, vz, 12, ((1 + Math.SQRT2) / 2) * (mean / 12)));
        if (l === 'fcc') labels[i] = 'cubic-diamond';
        else if (l === 'hcp') labels[i] = 'hex-diamond';
      }
    }
  }
  return labels;
}

/** Fraction of atoms with each label. */
export function structureFractions(atoms: Atoms): StructureFractions {
  const labels = identifyStructures(atoms);
  const out = Object.fromEntries(STRUCTURE_LABELS.map((l) => [l, 0])) as StructureFractions;
  for (const l of labels) out[l] += 1;
  for (const l of STRUCTURE_LABELS) out[l] /= Math.max(labels.length, 1);
  return out;
}

/** The label with the largest fraction. */
export function dominantStructure(f: StructureFractions): StructureLabel {
  let best: StructureLabel = 'other';
  for (const l of STRUCTURE_LABELS) if (f[l] > f[best]) best = l;
  return best;
}
