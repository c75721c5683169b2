import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { buildLattice, randomDisplace } from '../../src/structure/lattice.js';
import { writeExtendedXyz } from '../../src/structure/xyz.js';

const dir = mkdtempSync(join(tmpdir(), 'xasflow-exafs-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'exafs', ...args], {
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('xasflow exafs chi writes k, chi, chi2body, chi3body for a cluster', () => {
  const out = join(dir, 'chi.json');
  const r = cli(
    'chi',
    'test/fixtures/exafs/fcc-ni-cluster.xyz',
    '--json',
    out,
    '--kmax',
    '16',
    '--s02',
    '0.9',
    '--delta-e',
    '2',
  );
  assert.equal(r.status, 0, r.err);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  for (const key of ['k', 'chi', 'chi2body', 'chi3body', 'chi3bodyStdErr'])
    assert.equal(j[key].length, 321, key);
  assert.equal(j.info.s02, 0.9);
  assert.equal(j.info.deltaEEv, 2);
  assert.equal(j.info.trianglesVertex, 66);
  const i = 200;
  assert.ok(Math.abs(j.chi[i] - j.chi2body[i] - j.chi3body[i]) < 1e-12);
});

test('xasflow exafs chi --periodic averages a box and records the three-body sample and seed', () => {
  const box = buildLattice({ structure: 'fcc', aAngstrom: 3.524, cells: [4, 4, 4], element: 'Ni' });
  randomDisplace(box, 0.05, new Rng(2));
  const xyz = join(dir, 'box.xyz');
  writeExtendedXyz(xyz, box);
  const out = join(dir, 'box.json');
  const r = cli(
    'chi',
    xyz,
    '--periodic',
    '--json',
    out,
    '--rmax',
    '5',
    '--triplet-sample',
    '32',
    '--seed',
    '4',
  );
  assert.equal(r.status, 0, r.err);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(j.info.pairAbsorbers, 256);
  assert.equal(j.info.tripletAbsorbers, 32);
  assert.equal(j.info.seed, 4);
  assert.ok(j.chi3bodyStdErr.some((v: number) => v > 0));
});

test('bad CLI input gives one clear line and exit code 1', () => {
  const r = cli('chi', 'test/fixtures/exafs/fcc-ni-cluster.xyz', '--json', join(dir, 'x.json'), '--periodic');
  assert.equal(r.status, 1);
  assert.match(r.err, /xasflow: .*--periodic needs a periodic cell/);
  const k = cli(
    'kernels',
    '--element',
    'Ni',
    '--a',
    '3.524',
    '--feff-bin',
    join(dir, 'no-feff'),
    '--work',
    join(dir, 'w'),
  );
  assert.equal(k.status, 1);
  assert.match(
    k.err,
    /FEFF is not installed: .*feff8l_rdinp was not found \(expected install the Debian package feff85exafs/,
  );
  const f = cli('fit', 'data/xafs/ni_metal_rt.xdi', '--kmax', '25');
  assert.equal(f.status, 1);
  assert.match(f.err, /data reaching kmax = 25/);
});

test('xasflow exafs fit reports the first-shell fit', () => {
  const out = join(dir, 'fit.json');
  const r = cli('fit', 'data/xafs/ni_metal_rt.xdi', '--n', '12', '--json', out);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /R1 \(Å\) +2\.48\d+ ± 0\.001/);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  assert.ok(Math.abs(j.fit.r1.value - 2.483) < 0.002);
  assert.ok(j.s02.value > 0.7 && j.s02.value < 0.95);
});
