import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { bondAngleDistribution, findPeaks } from '../../src/md/analysis/bad.js';
import { identifyStructures, structureFractions } from '../../src/md/analysis/cna.js';
import { firstShell, radialDistribution } from '../../src/md/analysis/rdf.js';
import { shellStatistics } from '../../src/md/analysis/shell.js';
import type { Atoms } from '../../src/structure/atoms.js';
import { buildLattice, randomDisplace } from '../../src/structure/lattice.js';

test('ideal gas: g(r) → 1 and running coordination → 4πρr³/3', () => {
  const rng = new Rng(9);
  const n = 4000;
  const L = 30;
  const frames: Atoms[] = [];
  for (let f = 0; f < 3; f++) {
    const pos = new Float64Array(3 * n).map(() => rng.uniform() * L);
    frames.push({
      positions: pos,
      species: new Array(n).fill('Ar'),
      boxAngstrom: [L, L, L],
      pbc: [true, true, true],
      info: {},
    });
  }
  const rdf = radialDistribution(frames, { rMaxAngstrom: 8, binWidthAngstrom: 0.1 });
  let mean = 0;
  for (let k = 30; k < 80; k++) mean += rdf.g[k] / 50;
  assert.ok(Math.abs(mean - 1) < 0.01, `<g> = ${mean}`);
  const rho = n / L ** 3;
  const expect = ((4 * Math.PI) / 3) * rho * 8 ** 3;
  assert.ok(Math.abs(rdf.runningCoordination[79] / expect - 1) < 0.01);
});

test('fcc: g(r) shells, first-shell statistics and the 60/90/120/180° bond angles', () => {
  const atoms = buildLattice({ structure: 'fcc', aAngstrom: 3.52, cells: [5, 5, 5], element: 'Ni' });
  const rdf = radialDistribution(atoms, { rMaxAngstrom: 6, binWidthAngstrom: 0.02 });
  const fs = firstShell(rdf);
  assert.ok(Math.abs(fs.peakAngstrom - 3.52 / Math.SQRT2) < 0.011, `peak ${fs.peakAngstrom}`);
  assert.ok(fs.minimumAngstrom > 2.6 && fs.minimumAngstrom < 3.45, `min ${fs.minimumAngstrom}`);
  assert.ok(Math.abs(fs.coordination - 12) < 1e-9);
  const sh = shellStatistics(atoms, 3.0);
  assert.ok(
    Math.abs(sh.meanAngstrom - 3.52 / Math.SQRT2) < 1e-12 &&
      sh.sigma2Angstrom2 < 1e-20 &&
      sh.coordination === 12,
  );
  const bad = bondAngleDistribution(atoms, { cutoffAngstrom: 3.0, binWidthDeg: 1 });
  assert.equal(bad.anglesPerAtom, 66);
  const at = (deg: number) => bad.density[Math.floor(deg)] * 66; // counts per atom in the bin holding deg
  assert.ok(Math.abs(at(60.0) + at(59.99) - 24) < 1e-9 || Math.abs(at(60) - 24) < 1e-9);
  assert.ok(Math.abs(at(90) + at(89.99) - 12) < 1e-9 || Math.abs(at(90) - 12) < 1e-9);
  assert.ok(Math.abs(at(179.5) - 6) < 1e-9);
  const peaks = findPeaks(bad.thetaDeg, bad.density, 0, 0.05).sort((a, b) => a - b);
  assert.deepEqual(
    peaks.map((p) => Math.round(p / 10) * 10),
    [60, 90, 120, 180],
  );
});

test('a-CNA labels fcc, hcp, bcc, icosahedral and diamond; thermal noise leaves fcc mostly fcc', () => {
  const cases = [
    ['fcc', 3.52],
    ['hcp', 2.49],
    ['bcc', 2.8],
    ['diamond', 3.52],
  ] as const;
  for (const [s, a] of cases) {
    const atoms = buildLattice({ structure: s, aAngstrom: a, cells: [4, 3, 4], element: 'Ni' });
    const f = structureFractions(atoms);
    const expected = s === 'diamond' ? 'cubic-diamond' : s;
    assert.equal(f[expected], 1, `${s}: ${JSON.stringify(f)}`);
  }
  // A 13-atom icosahedron (centre + 12 vertices at 2.5 Å) in a 12 Å periodic box: the centre is 'ico'.
  const phi = (1 + Math.sqrt(5)) / 2;
  const v: number[][] = [[0, 0, 0]];
  for (const s1 of [-1, 1])
    for (const s2 of [-1, 1]) v.push([0, s1, s2 * phi], [s1, s2 * phi, 0], [s2 * phi, 0, s1]);
  const scale = 2.5 / Math.hypot(1, phi);
  const pos = Float64Array.from(v.flatMap((p) => p.map((x) => x * scale + 6)));
  const ico: Atoms = {
    positions: pos,
    species: new Array(13).fill('Ni'),
    boxAngstrom: [12, 12, 12],
    pbc: [true, true, true],
    info: {},
  };
  assert.equal(identifyStructures(ico)[0], 'ico');
  const warm = buildLattice({ structure: 'fcc', aAngstrom: 3.52, cells: [5, 5, 5], element: 'Ni' });
  randomDisplace(warm, 0.07, new Rng(2)); // ≈ the 300 K Ni amplitude
  assert.ok(structureFractions(warm).fcc > 0.9);
});
