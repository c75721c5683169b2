/**
 * First-shell pair statistics as EXAFS sees them: for all pairs closer than a cutoff, the mean
 * distance ⟨R⟩, the variance σ² = ⟨(R − ⟨R⟩)²⟩ (the Debye–Waller factor of the shell), the third
 * cumulant C₃ and the coordination N = 2·pairs/atoms. Pooled over frames; standard errors come from
 * the frame-to-frame scatter of the per-frame values (frames assumed decorrelated).
 */
import { XasInputError } from '../../core/errors.js';
import { type Atoms, atomCount } from '../../structure/atoms.js';
import { NeighborList } from '../engine/neighbor-list.js';

export interface ShellFrame {
  meanAngstrom: number;
  sigma2Angstrom2: number;
  coordination: number;
}

export interface ShellStatistics {
  rInnerAngstrom: number;
  rCutAngstrom: number;
  meanAngstrom: number;
  sigma2Angstrom2: number;
  c3Angstrom3: number;
  coordination: number;
  /** Standard errors of the frame averages (NaN for one frame). */
  meanStdErr: number;
  sigma2StdErr: number;
  coordinationStdErr: number;
  perFrame: ShellFrame[];
}

function pairDistances(atoms: Atoms, rInner: number, rCut: number): number[] {
  const pos = atoms.positions.slice();
  const nl = new NeighborList(rCut, 0);
  nl.build(pos, atoms.boxAngstrom, atoms.pbc);
  const out: number[] = [];
  const { start, codes, shiftVec } = nl;
  const n = atomCount(atoms);
  for (let i = 0; i < n; i++) {
    for (let k = start[i]; k < start[i + 1]; k++) {
      const j = codes[k] >> 8;
      const s = (codes[k] & 255) * 3;
      const r = Math.hypot(
        pos[3 * j] + shiftVec[s] - pos[3 * i],
        pos[3 * j + 1] + shiftVec[s + 1] - pos[3 * i + 1],
        pos[3 * j + 2] + shiftVec[s + 2] - pos[3 * i + 2],
      );
      if (r < rCut && r >= rInner) out.push(r);
    }
  }
  return out;
}

function stdErr(v: number[]): number {
  if (v.length < 2) return Number.NaN;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const s2 = v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
  return Math.sqrt(s2 / v.length);
}

export function shellStatistics(
  frames: Atoms | Atoms[],
  rCutAngstrom: number,
  rInnerAngstrom = 0,
): ShellStatistics {
  const list = Array.isArray(frames) ? frames : [frames];
  if (list.length === 0) throw new XasInputError('no frames to analyse', { field: 'frames' });
  if (!(rCutAngstrom > rInnerAngstrom)) {
    throw new XasInputError(`shell ${rInnerAngstrom}–${rCutAngstrom} Å`, {
      field: 'rCut',
      expected: 'rCut > rInner',
    });
  }
  let s1 = 0;
  let count = 0;
  let atomsTotal = 0;
  const all: number[][] = [];
  const perFrame: ShellFrame[] = [];
  for (const atoms of list) {
    const d = pairDistances(atoms, rInnerAngstrom, rCutAngstrom);
    all.push(d);
    const m = d.reduce((a, b) => a + b, 0) / Math.max(d.length, 1);
    const v = d.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(d.length, 1);
    perFrame.push({ meanAngstrom: m, sigma2Angstrom2: v, coordination: (2 * d.length) / atomCount(atoms) });
    for (const r of d) s1 += r;
    count += d.length;
    atomsTotal += atomCount(atoms);
  }
  const mean = s1 / Math.max(count, 1);
  let m2 = 0;
  let m3 = 0;
  for (const d of all) {
    for (const r of d) {
      m2 += (r - mean) ** 2;
      m3 += (r - mean) ** 3;
    }
  }
  return {
    rInnerAngstrom,
    rCutAngstrom,
    meanAngstrom: mean,
    sigma2Angstrom2: m2 / Math.max(count, 1),
    c3Angstrom3: m3 / Math.max(count, 1),
    coordination: (2 * count) / atomsTotal,
    meanStdErr: stdErr(perFrame.map((f) => f.meanAngstrom)),
    sigma2StdErr: stdErr(perFrame.map((f) => f.sigma2Angstrom2)),
    coordinationStdErr: stdErr(perFrame.map((f) => f.coordination)),
    perFrame,
  };
}
