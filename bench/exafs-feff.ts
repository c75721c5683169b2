/**
 * Peer timing for bench/exafs.ts: FEFF (feff8l_genfmt + feff8l_ff2x) computing, from a reference
 * phase.pad, the explicit paths (pairs within 6 Å and first-shell triangles) of one absorber of a
 * frame — what using FEFF directly would cost per absorber.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { formatPathsDat, type PathListEntry } from '../src/exafs/feff/paths.js';
import { runFeffModule } from '../src/exafs/feff/runner.js';
import { repairListDat } from '../src/exafs/kernels/batch.js';
import { TRIANGLE_PATH_TYPES, TRIANGLE_PATH_WEIGHT } from '../src/exafs/kernels/geometry.js';
import type { KernelSet } from '../src/exafs/kernels/table.js';
import { enumerateNeighbourhoods } from '../src/exafs/model/neighbourhoods.js';
import { CellGrid, newNeighbourList } from '../src/exafs/model/neighbours.js';
import type { Atoms } from '../src/structure/atoms.js';

export function timeExplicitFeffPaths(
  kernels: KernelSet,
  frame: Atoms,
  referenceDir: string,
  dir: string,
): { perAbsorberS: number; paths: number } {
  const grid = new CellGrid(frame, true, 6);
  const near = newNeighbourList();
  grid.query(0, 6, near);
  const vec = new Map<number, { x: number; y: number; z: number }>();
  for (let m = 0; m < near.count; m++)
    vec.set(near.index[m], { x: near.dx[m], y: near.dy[m], z: near.dz[m] });
  const O = { x: 0, y: 0, z: 0, ipot: 0, label: 'Ni' };
  const at = (j: number) => ({ ...vec.get(j)!, ipot: 1, label: 'Ni' });
  const paths: PathListEntry[] = [];
  const add = (deg: number, pts: ReturnType<typeof at>[]) =>
    paths.push({ index: 0, nleg: pts.length + 1, degeneracy: deg, atoms: [...pts, O] });
  enumerateNeighbourhoods(
    frame,
    {
      periodic: true,
      pairAbsorbers: [0],
      tripletAbsorbers: [0],
      pairCutoff: 6,
      triangleCutoff: kernels.defaultTriangleCutoff,
    },
    {
      pair(_a, j) {
        add(1, [at(j)]);
        add(1, [at(j), O, at(j)]);
      },
      triangle(_a, _role, j, l) {
        const J = at(j);
        const L = at(l);
        const pts = { D: [J, L], T1: [J, O, L], T2: [J, L, J], T3: [L, J, L] };
        for (const t of TRIANGLE_PATH_TYPES) add(TRIANGLE_PATH_WEIGHT[t], pts[t]);
      },
    },
  );
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(referenceDir)) {
    if (f.endsWith('.json') || f === 'phase.pad') copyFileSync(join(referenceDir, f), join(dir, f));
  }
  writeFileAtomic(join(dir, 'paths.dat'), formatPathsDat(paths.map((p, i) => ({ ...p, index: i + 1 }))));
  const t0 = performance.now();
  runFeffModule('genfmt', dir);
  repairListDat(join(dir, 'list.dat'));
  runFeffModule('ff2x', dir);
  return { perAbsorberS: (performance.now() - t0) / 1000, paths: paths.length };
}
