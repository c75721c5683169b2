/**
 * Configuration-level check of a kernel set: χ(k) of a cluster from the kernels against FEFF's own
 * chi.dat for exactly the same paths — every pair (SS, DR) and connected triangle (D, T1, T2, T3)
 * that the kernel model sums, written as explicit FEFF paths with their weights as degeneracies
 * and computed from the kernel reference potential by feff8l_genfmt and feff8l_ff2x.
 * R-factors Σ(k²Δχ)²/Σ(k²χ_FEFF)² over k = 3–16 Å⁻¹.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import type { Atoms } from '../../structure/atoms.js';
import { readFeffChi } from '../feff/chi.js';
import { formatPathsDat, type PathListEntry } from '../feff/paths.js';
import { type FeffRunOptions, runFeffModule } from '../feff/runner.js';
import { chiOfConfiguration } from '../model/chi-config.js';
import { enumerateNeighbourhoods } from '../model/neighbourhoods.js';
import { repairListDat } from './batch.js';
import { TRIANGLE_PATH_TYPES, TRIANGLE_PATH_WEIGHT, type TrianglePathType } from './geometry.js';
import type { KernelSet } from './table.js';

export interface ConfigurationCheck {
  paths: number;
  rFactorTwoBody: number;
  rFactorTotal: number;
}

export function kWeightedRFactor(
  k: ArrayLike<number>,
  model: ArrayLike<number>,
  ref: ArrayLike<number>,
  kmin = 3,
  kmax = 16,
  kw = 2,
): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < k.length; i++) {
    if (k[i] < kmin || k[i] > kmax) continue;
    const w = k[i] ** kw;
    num += ((model[i] - ref[i]) * w) ** 2;
    den += (ref[i] * w) ** 2;
  }
  return num / den;
}

/** Explicit FEFF paths for the pairs and triangles around atom `absorber` of a cluster. */
function explicitPaths(
  atoms: Atoms,
  absorber: number,
  pairCutoff: number,
  rc: number,
  ipot: (i: number) => number,
) {
  const p = atoms.positions;
  const at = (i: number) => ({
    x: p[3 * i] - p[3 * absorber],
    y: p[3 * i + 1] - p[3 * absorber + 1],
    z: p[3 * i + 2] - p[3 * absorber + 2],
    ipot: ipot(i),
    label: atoms.species[i],
  });
  const O = { x: 0, y: 0, z: 0, ipot: 0, label: atoms.species[absorber] };
  const two: PathListEntry[] = [];
  const three: PathListEntry[] = [];
  const add = (list: PathListEntry[], deg: number, pts: ReturnType<typeof at>[]) =>
    list.push({ index: 0, nleg: pts.length + 1, degeneracy: deg, atoms: [...pts, O] });
  enumerateNeighbourhoods(
    atoms,
    {
      periodic: false,
      pairAbsorbers: [absorber],
      tripletAbsorbers: [absorber],
      pairCutoff,
      triangleCutoff: rc,
    },
    {
      pair(_a, j) {
        add(two, 1, [at(j)]);
        add(two, 1, [at(j), O, at(j)]);
      },
      triangle(_a, _role, j, l) {
        const J = at(j);
        const L = at(l);
        const pts: Record<TrianglePathType, ReturnType<typeof at>[]> = {
          D: [J, L],
          T1: [J, O, L],
          T2: [J, L, J],
          T3: [L, J, L],
        };
        for (const t of TRIANGLE_PATH_TYPES) add(three, TRIANGLE_PATH_WEIGHT[t], pts[t]);
      },
    },
  );
  return { two, three };
}

function feffChi(referenceDir: string, dir: string, paths: PathListEntry[], feff: FeffRunOptions) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(referenceDir)) {
    if (f.endsWith('.json') || f === 'phase.pad') copyFileSync(join(referenceDir, f), join(dir, f));
  }
  writeFileAtomic(join(dir, 'paths.dat'), formatPathsDat(paths.map((p, i) => ({ ...p, index: i + 1 }))));
  runFeffModule('genfmt', dir, feff);
  repairListDat(join(dir, 'list.dat'));
  runFeffModule('ff2x', dir, feff);
  const c = readFeffChi(join(dir, 'chi.dat'));
  rmSync(dir, { recursive: true, force: true });
  return c;
}

export function checkConfiguration(
  set: KernelSet,
  atoms: Atoms,
  opts: {
    referenceDir: string;
    scratchDir: string;
    pairCutoff: number;
    triangleCutoff: number;
    ipot: (i: number) => number;
    feff?: FeffRunOptions;
  },
): ConfigurationCheck {
  const { two, three } = explicitPaths(atoms, 0, opts.pairCutoff, opts.triangleCutoff, opts.ipot);
  const feff2 = feffChi(opts.referenceDir, join(opts.scratchDir, 'two'), two, opts.feff ?? {});
  const feffAll = feffChi(
    opts.referenceDir,
    join(opts.scratchDir, 'all'),
    [...two, ...three],
    opts.feff ?? {},
  );
  const ours = chiOfConfiguration(atoms, set, {
    kGrid: feffAll.k,
    absorbers: [0],
    pairCutoff: opts.pairCutoff,
    triangleCutoff: opts.triangleCutoff,
  });
  return {
    paths: two.length + three.length,
    rFactorTwoBody: kWeightedRFactor(feff2.k, ours.chi2body, feff2.chi),
    rFactorTotal: kWeightedRFactor(feffAll.k, ours.chi, feffAll.chi),
  };
}
