import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'md', ...args], { encoding: 'utf8' });

test('md analyze on LAMMPS MEAM (Wagner 2007, KIM) liquid Ni at 1750 K: the paper-potential liquid structure', () => {
  // Three 864-atom snapshots from tools/md/validate.ts full (Debian LAMMPS, pair_style kim).
  const dir = mkdtempSync(join(tmpdir(), 'md-cli-'));
  const json = join(dir, 'a.json');
  const r = cli(['analyze', 'test/fixtures/md/meam-liquid-1750K.xyz', '--rcut', '3.35', '--json', json]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3 frame\(s\) from 1 file\(s\)/);
  const a = JSON.parse(readFileSync(json, 'utf8'));
  assert.ok(
    a.firstShell.peakAngstrom >= 2.45 && a.firstShell.peakAngstrom <= 2.5,
    `peak ${a.firstShell.peakAngstrom}`,
  );
  assert.ok(Math.abs(a.shell.coordination - 12) < 1, `N(3.35 Å) = ${a.shell.coordination}`);
  const peaks: number[] = a.bad.peaksDeg;
  assert.ok(
    peaks.some((x) => Math.abs(x - 55) <= 5) && peaks.some((x) => Math.abs(x - 110) <= 6),
    `BAD maxima ${peaks}`,
  );
  assert.ok(a.cna.other > 0.9);
  assert.equal(a.perFrame.length, 3);
});

test('md preset / run / analyze round trip, and clear errors for bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-cli-run-'));
  const proto = join(dir, 'quick.json');
  assert.equal(cli(['preset', 'quick-check', '--out', proto]).status, 0);
  const p = JSON.parse(readFileSync(proto, 'utf8'));
  p.states[0] = {
    ...p.states[0],
    cells: [3, 3, 3],
    nptPs: 0.2,
    equilibrationPs: 0.1,
    productionPs: 0.2,
    snapshotEveryPs: 0.1,
  };
  writeFileSync(proto, JSON.stringify(p));
  const run = cli(['run', proto]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /1 state point\(s\) written/);
  const state = join(dir, 'md-quick-check', 'fcc-T0300K-da+0.000');
  assert.ok(existsSync(join(state, 'state.json')));
  const again = cli(['run', proto]);
  assert.match(again.stdout, /1 already complete/);
  assert.match(again.stdout, /0 state point\(s\) written, 1 skipped/);
  const an = cli(['analyze', state]);
  assert.equal(an.status, 0, an.stderr);
  assert.match(an.stdout, /2 frame\(s\).*\n.*first peak 2\.4\d\d Å/);
  // Bad input: protocol field, missing snapshot, malformed dump.
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...p, timestepPs: -1 }));
  const bad = cli(['run', join(dir, 'bad.json')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^xasflow: .*bad\.json, field 'timestepPs'/);
  const missing = cli(['analyze', join(dir, 'nope.xyz')]);
  assert.match(missing.stderr, /nope\.xyz: no such file or folder/);
  writeFileSync(
    join(dir, 'broken.dump'),
    'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 5\n0 5\n0 5\nITEM: ATOMS id type x y z\n1 1 0 0 0\n',
  );
  const broken = cli(['analyze', join(dir, 'broken.dump')]);
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /broken\.dump:11: frame declares 2 atoms but only 1 rows follow/);
});

test('md potentials lists the well-known potentials; md run --potential resolves names and reports missing files', () => {
  const list = cli(['potentials']);
  assert.equal(list.status, 0, list.stderr);
  assert.match(
    list.stdout,
    /Zhou2004-Ni {2}eam\/alloy potentials\/Ni_Zhou2004\.eam\.alloy\n.*\n.*potentials\/Ni_Zhou2004\.eam\.alloy/,
  );
  // Installed here or not, the line says where it is or which package installs it.
  assert.match(
    list.stdout,
    /Mishin1999-Ni {2}eam\/alloy Ni99\.eam\.alloy\n.*3393 \(1999\).*\n {6}(\/\S+Ni99\.eam\.alloy|not installed \(apt-get install lammps-examples\))\n/,
  );
  const dir = mkdtempSync(join(tmpdir(), 'md-cli-pot-'));
  const proto = join(dir, 'q.json');
  assert.equal(cli(['preset', 'quick-check', '--out', proto]).status, 0);
  const shipped = cli(['run', proto, '--dry-run', '--potential', 'Zhou2004-Ni']);
  assert.equal(shipped.status, 0, shipped.stderr);
  assert.match(shipped.stdout, /potential: eam\/alloy \S+potentials\/Ni_Zhou2004\.eam\.alloy/);
  const missing = cli(['run', proto, '--dry-run', '--potential', 'NotInstalled.eam.alloy']);
  assert.equal(missing.status, 1);
  assert.match(
    missing.stderr,
    /^xasflow: .*q\.json: field 'potential\.file': potential file 'NotInstalled\.eam\.alloy' not found; looked in: .*\/usr\/share\/lammps\/potentials\/NotInstalled\.eam\.alloy, \/usr\/share\/lammps\/examples\/\*\*\/NotInstalled\.eam\.alloy/,
  );
});
