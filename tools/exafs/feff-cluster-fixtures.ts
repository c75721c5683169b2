/**
 * Fixtures for test/exafs/kernels-vs-feff.test.ts: FEFF's own χ(k) of static fcc Ni and Cu
 * clusters (the kernel reference clusters), computed by Debian feff85exafs with NLEG 4:
 *  - chiAll: chi.dat of FEFF's full path list (pathfinder, CRITERIA 0 0, RMAX below),
 *  - chi23:  the same list without four-body paths (three distinct scatterers) = the paths that
 *            the two- and three-body kernel model represents,
 *  - chi2:   only the two-body paths (single scattering and double return).
 * Run from the repository root: node --import tsx tools/exafs/feff-cluster-fixtures.ts
 * Writes test/fixtures/exafs/feff-cluster-<el>.json, the cluster as fcc-<el>-cluster.xyz, FEFF's
 * first-shell path file <el>-paths/feff0001.dat (used by the first-shell fits), and for Ni three
 * more path files (60° D, collinear chain D and T2) under ni-paths/.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJson } from '../../src/core/atomic-write.js';
import { readFeffChi } from '../../src/exafs/feff/chi.js';
import { formatFeffInp } from '../../src/exafs/feff/inp.js';
import { formatPathsDat, type PathListEntry, readPathsDat } from '../../src/exafs/feff/paths.js';
import { runFeffModule } from '../../src/exafs/feff/runner.js';
import { repairListDat } from '../../src/exafs/kernels/batch.js';
import { referenceInput } from '../../src/exafs/kernels/reference.js';

const CASES = [
  { element: 'Ni', aAngstrom: 3.524, rmax: 5.0 },
  { element: 'Cu', aAngstrom: 3.615, rmax: 5.15 },
];
const WORK = '.tmp/exafs-cluster-fixtures';

function distinctScatterers(p: PathListEntry): number {
  const keys = new Set(
    p.atoms.filter((a) => a.ipot !== 0).map((a) => `${a.x.toFixed(4)},${a.y.toFixed(4)},${a.z.toFixed(4)}`),
  );
  return keys.size;
}

function subsetChi(dir: string, name: string, paths: PathListEntry[]): { k: number[]; chi: number[] } {
  const sub = join(dir, name);
  rmSync(sub, { recursive: true, force: true });
  mkdirSync(sub, { recursive: true });
  for (const f of readdirSync(dir))
    if (f.endsWith('.json') || f === 'phase.pad') copyFileSync(join(dir, f), join(sub, f));
  writeFileSync(join(sub, 'paths.dat'), formatPathsDat(paths.map((p, i) => ({ ...p, index: i + 1 }))));
  runFeffModule('genfmt', sub);
  repairListDat(join(sub, 'list.dat'));
  runFeffModule('ff2x', sub);
  const c = readFeffChi(join(sub, 'chi.dat'));
  return { k: Array.from(c.k), chi: Array.from(c.chi) };
}

for (const c of CASES) {
  const setup = referenceInput({
    kind: 'lattice',
    element: c.element,
    structure: 'fcc',
    aAngstrom: c.aAngstrom,
    radiusAngstrom: 7.5,
  });
  setup.input.cards.set('NLEG', ['4']);
  setup.input.cards.set('RMAX', [String(c.rmax)]);
  const dir = join(WORK, c.element);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'feff.inp'), formatFeffInp(setup.input));
  for (const m of ['rdinp', 'pot', 'xsph', 'pathfinder', 'genfmt', 'ff2x'] as const) runFeffModule(m, dir);
  const all = readPathsDat(join(dir, 'paths.dat'));
  const full = readFeffChi(join(dir, 'chi.dat'));
  const two = all.filter((p) => distinctScatterers(p) === 1);
  const twoThree = all.filter((p) => distinctScatterers(p) <= 2);
  const chi2 = subsetChi(dir, 'two-body', two);
  const chi23 = subsetChi(dir, 'two-three-body', twoThree);
  const el = c.element.toLowerCase();
  writeFileSync(
    `test/fixtures/exafs/feff-cluster-${el}.json`,
    toJson({
      generator: 'feff85exafs (Debian) feff8l modules via tools/exafs/feff-cluster-fixtures.ts',
      element: c.element,
      aAngstrom: c.aAngstrom,
      clusterRadiusAngstrom: 7.5,
      rmaxAngstrom: c.rmax,
      nleg: 4,
      paths: {
        all: all.length,
        twoBody: two.length,
        threeBody: twoThree.length - two.length,
        fourBody: all.length - twoThree.length,
      },
      k: Array.from(full.k),
      chiAll: Array.from(full.chi),
      chi23: chi23.chi,
      chi2: chi2.chi,
    }),
  );
  const xyz = [
    String(setup.input.atoms.length),
    `fcc ${c.element} cluster a=${c.aAngstrom} R=7.5, absorber first`,
  ];
  for (const a of setup.input.atoms)
    xyz.push(`${c.element} ${a.x.toFixed(6)} ${a.y.toFixed(6)} ${a.z.toFixed(6)}`);
  writeFileSync(`test/fixtures/exafs/fcc-${el}-cluster.xyz`, `${xyz.join('\n')}\n`);
  mkdirSync(`test/fixtures/exafs/${el}-paths`, { recursive: true });
  copyFileSync(join(dir, 'feff0001.dat'), `test/fixtures/exafs/${el}-paths/feff0001.dat`);
  if (c.element === 'Ni') {
    mkdirSync('test/fixtures/exafs/ni-paths', { recursive: true });
    for (const f of ['feff0001.dat', 'feff0003.dat', 'feff0011.dat', 'feff0015.dat']) {
      copyFileSync(join(dir, f), `test/fixtures/exafs/ni-paths/${f}`);
    }
  }
  console.log(c.element, 'paths', all.length, 'two-body', two.length, '2+3-body', twoThree.length);
}
