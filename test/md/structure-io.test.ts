import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { minimumImage, wrapPositions } from '../../src/structure/atoms.js';
import { formatLammpsData, parseLammpsData } from '../../src/structure/lammps-data.js';
import { formatLammpsDump, parseLammpsDump, readLammpsDump } from '../../src/structure/lammps-dump.js';
import {
  atomsPerCell,
  buildLattice,
  nearestNeighbourDistance,
  randomDisplace,
} from '../../src/structure/lattice.js';
import {
  formatExtendedXyz,
  parseExtendedXyz,
  readExtendedXyz,
  writeExtendedXyz,
} from '../../src/structure/xyz.js';

function nnDistances(structure: 'fcc' | 'bcc' | 'hcp' | 'diamond', a: number): number[] {
  const atoms = buildLattice({ structure, aAngstrom: a, cells: [3, 2, 3], element: 'Ni' });
  const v = [0, 0, 0];
  let dmin = Infinity;
  let count = 0;
  const n = atoms.species.length;
  for (let j = 1; j < n; j++) dmin = Math.min(dmin, minimumImage(atoms, 0, j, v));
  for (let j = 1; j < n; j++) if (Math.abs(minimumImage(atoms, 0, j, v) - dmin) < 1e-9) count++;
  return [dmin, count, n];
}

test('lattices have the textbook nearest-neighbour distance and coordination', () => {
  const expected = { fcc: 12, bcc: 8, hcp: 12, diamond: 4 } as const;
  for (const s of ['fcc', 'bcc', 'hcp', 'diamond'] as const) {
    const a = s === 'hcp' ? 2.49 : 3.52;
    const [d, z, n] = nnDistances(s, a);
    assert.ok(Math.abs(d - nearestNeighbourDistance(s, a)) < 1e-12, `${s} d=${d}`);
    assert.equal(z, expected[s], `${s} coordination`);
    assert.equal(n, atomsPerCell(s) * 18);
  }
});

test('extended XYZ round-trips positions, velocities, box and metadata; multi-frame files', () => {
  const atoms = buildLattice({ structure: 'hcp', aAngstrom: 2.49, cells: [2, 2, 2], element: 'Ni' });
  randomDisplace(atoms, 0.05, new Rng(1));
  atoms.velocities = new Float64Array(atoms.positions.length).map((_, i) => Math.sin(i));
  atoms.info = { T: 300, phase: 'hcp crystal', seed: 7, step: 1000, ok: true };
  const dir = mkdtempSync(join(tmpdir(), 'xyz-'));
  const path = join(dir, 'a.xyz');
  writeExtendedXyz(path, [atoms, atoms]);
  const frames = readExtendedXyz(path);
  assert.equal(frames.length, 2);
  const b = frames[1];
  assert.deepEqual(b.boxAngstrom, atoms.boxAngstrom);
  assert.deepEqual(b.species, atoms.species);
  for (let i = 0; i < atoms.positions.length; i++) {
    assert.ok(Math.abs(b.positions[i] - atoms.positions[i]) < 1e-8);
    assert.ok(Math.abs((b.velocities as Float64Array)[i] - atoms.velocities[i]) < 1e-8);
  }
  assert.deepEqual(b.info, { T: 300, phase: 'hcp crystal', seed: 7, step: 1000, ok: true });
  // ASE-style header with Origin and extra columns.
  const ase = parseExtendedXyz(
    '2\nLattice="5 0 0 0 6 0 0 0 7" Properties=species:S:1:pos:R:3:forces:R:3 Origin="1 1 1" energy=-3.5 pbc="T T F"\nNi 1.5 1 1 0 0 0\nCu 2 3 4 1 1 1\n',
    'ase.xyz',
  );
  assert.deepEqual(ase[0].pbc, [true, true, false]);
  assert.deepEqual(Array.from(ase[0].positions), [0.5, 0, 0, 1, 2, 3]);
  assert.equal(ase[0].info.energy, -3.5);
  // Plain XYZ is a cluster.
  const plain = parseExtendedXyz('2\ncomment\nNi 0 0 0\nNi 0 0 2.5\n', 'plain.xyz');
  assert.deepEqual(plain[0].pbc, [false, false, false]);
});

test('extended XYZ errors name file and line', () => {
  const text = formatExtendedXyz(
    buildLattice({ structure: 'fcc', aAngstrom: 3.52, cells: [1, 1, 1], element: 'Ni' }),
  );
  const lines = text.split('\n');
  lines[3] = 'Ni 0.0 zz 1.0';
  assert.throws(
    () => parseExtendedXyz(lines.join('\n'), 'f.xyz'),
    /f\.xyz:4: coordinate 'zz' is not a number/,
  );
  assert.throws(
    () => parseExtendedXyz(text.split('\n').slice(0, 4).join('\n'), 'g.xyz'),
    /g\.xyz:1: frame declares 4 atoms but the file ends early/,
  );
  assert.throws(
    () => parseExtendedXyz('1\nLattice="1 1 0 0 1 0 0 0 1"\nNi 0 0 0\n', 'h.xyz'),
    /h\.xyz:2, field 'Lattice': non-orthorhombic/,
  );
});

test('LAMMPS data and dump files round-trip; scaled dump coordinates and bad dumps', () => {
  const atoms = buildLattice({ structure: 'bcc', aAngstrom: 2.87, cells: [2, 2, 2], element: 'Fe' });
  randomDisplace(atoms, 0.02, new Rng(3));
  wrapPositions(atoms);
  const back = parseLammpsData(formatLammpsData(atoms, ['Fe'], { Fe: 55.845 }), 'x.data');
  assert.deepEqual(back.species, atoms.species);
  for (let i = 0; i < atoms.positions.length; i++)
    assert.ok(Math.abs(back.positions[i] - atoms.positions[i]) < 1e-12);
  const dump = formatLammpsDump(atoms, 500);
  const f = parseLammpsDump(dump + dump.replace('\n500\n', '\n600\n'), 'x.dump');
  assert.deepEqual(
    f.map((x) => x.step),
    [500, 600],
  );
  assert.ok(Math.abs(f[1].atoms.positions[5] - atoms.positions[5]) < 1e-8);
  const scaled = parseLammpsDump(
    'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n-1 3\n0 4\n0 4\nITEM: ATOMS id type xs ys zs\n2 1 0.5 0.5 0.5\n1 1 0.25 0 0\n',
    's.dump',
    { typeSymbols: ['Ni'] },
  );
  assert.deepEqual(Array.from(scaled[0].atoms.positions), [1, 0, 0, 2, 2, 2]);
  assert.deepEqual(scaled[0].atoms.species, ['Ni', 'Ni']);
  const dir = mkdtempSync(join(tmpdir(), 'dump-'));
  const bad = join(dir, 'bad.dump');
  writeFileSync(bad, dump.replace(/\n(\d+ 1 Fe) \S+/, '\n$1 nan?'));
  assert.throws(
    () => readLammpsDump(bad),
    (e: Error) => e.message.startsWith(`${bad}:10: 'nan?' in column x is not a number`),
  );
  writeFileSync(bad, dump.split('\n').slice(0, 12).join('\n'));
  assert.throws(() => readLammpsDump(bad), /bad\.dump:\d+: file ends while reading atom rows/);
  assert.ok(readFileSync(join(dir, 'bad.dump'), 'utf8').length > 0);
});
