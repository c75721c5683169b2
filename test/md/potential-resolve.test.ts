import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { XasInputError } from '../../src/core/errors.js';
import {
  defaultPotentialSearch,
  PACKAGE_ROOT,
  potentialFromOption,
  resolvePotentialFile,
} from '../../src/md/potential/installed.js';
import { protocolPreset } from '../../src/md/protocol/presets.js';
import { parseProtocol, readProtocol } from '../../src/md/protocol/schema.js';

const tiny = {
  phase: 'crystal',
  structure: 'fcc',
  cells: [2, 2, 2],
  aAngstrom: 3.52,
  temperaturesK: [300],
  productionPs: 0.2,
  snapshotEveryPs: 0.1,
};

test('a bare potential file name is found in the LAMMPS potential folders, shallowest first', () => {
  const root = mkdtempSync(join(tmpdir(), 'pot-search-'));
  const flat = join(root, 'potentials');
  const examples = join(root, 'examples');
  mkdirSync(flat);
  mkdirSync(join(examples, 'a', 'deep', 'er'), { recursive: true });
  mkdirSync(join(examples, 'b', 'x'), { recursive: true });
  writeFileSync(join(examples, 'a', 'deep', 'er', 'X.eam.alloy'), 'deep');
  writeFileSync(join(examples, 'b', 'x', 'X.eam.alloy'), 'shallower');
  const search = { dirs: [flat], recursiveDirs: [examples] };
  const protocolDir = mkdtempSync(join(tmpdir(), 'pot-proto-'));
  assert.equal(
    resolvePotentialFile('X.eam.alloy', protocolDir, search),
    join(examples, 'b', 'x', 'X.eam.alloy'),
  );
  // A flat potentials folder wins over the examples; the protocol's folder wins over both.
  writeFileSync(join(flat, 'X.eam.alloy'), 'flat');
  assert.equal(resolvePotentialFile('X.eam.alloy', protocolDir, search), join(flat, 'X.eam.alloy'));
  writeFileSync(join(protocolDir, 'X.eam.alloy'), 'local');
  assert.equal(resolvePotentialFile('X.eam.alloy', protocolDir, search), join(protocolDir, 'X.eam.alloy'));
  // Shipped tables resolve against the package; a relative path with a folder is not searched for.
  assert.equal(
    resolvePotentialFile('potentials/Ni_Zhou2004.eam.alloy', protocolDir, search),
    join(PACKAGE_ROOT, 'potentials', 'Ni_Zhou2004.eam.alloy'),
  );
  assert.throws(() => resolvePotentialFile('b/X.eam.alloy', protocolDir, search), /not found/);
  // $LAMMPS_POTENTIALS (as LAMMPS reads it) comes first.
  assert.deepEqual(defaultPotentialSearch({ LAMMPS_POTENTIALS: '/p/one:/p/two' }).dirs, [
    '/p/one',
    '/p/two',
    '/usr/share/lammps/potentials',
  ]);
});

test('a missing potential names every place looked at and the Debian package that installs it', () => {
  const protocolDir = mkdtempSync(join(tmpdir(), 'pot-missing-'));
  const search = { dirs: ['/nonexistent/potentials'], recursiveDirs: ['/nonexistent/examples'] };
  let err: unknown;
  try {
    resolvePotentialFile('Ni99.eam.alloy', protocolDir, search);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof XasInputError);
  const m = err.message;
  assert.match(m, /field 'potential\.file': potential file 'Ni99\.eam\.alloy' not found/);
  for (const place of [
    join(protocolDir, 'Ni99.eam.alloy'),
    join(process.cwd(), 'Ni99.eam.alloy'),
    '/nonexistent/potentials/Ni99.eam.alloy',
    '/nonexistent/examples/**/Ni99.eam.alloy',
  ]) {
    assert.ok(m.includes(place), `${place} missing from: ${m}`);
  }
  assert.match(
    m,
    /Phys\. Rev\. B 59, 3393 \(1999\).*Debian package lammps-examples: apt-get install lammps-examples/,
  );
  // Unknown files get the general hint; absolute paths are reported as they are.
  assert.throws(
    () => resolvePotentialFile('Nope.eam', protocolDir, search),
    /not found.*lammps-data, lammps-examples/,
  );
  assert.throws(
    () => resolvePotentialFile('/nonexistent/Ni_u3.eam', protocolDir, search),
    /'\/nonexistent\/Ni_u3\.eam' not found; looked in: \/nonexistent\/Ni_u3\.eam .*apt-get install lammps-data/,
  );
});

test('protocols accept {"installed": name}; unknown names and mixed forms are refused with the known names', () => {
  const good = { name: 'x', element: 'Ni', outDir: 'o', seed: 1, states: [tiny] };
  const p = parseProtocol({ ...good, potential: { installed: 'Mishin1999-Ni' } }, 'p.json');
  assert.deepEqual(p.potential, { style: 'eam/alloy', file: 'Ni99.eam.alloy', installed: 'Mishin1999-Ni' });
  assert.throws(
    () => parseProtocol({ ...good, potential: { installed: 'Mishin1999' } }, 'p.json'),
    /p\.json, field 'potential': unknown installed potential "Mishin1999"; known: Zhou2004-Ni, Mishin1999-Ni/,
  );
  assert.throws(
    () => parseProtocol({ ...good, potential: { installed: 'Mishin1999-Ni', file: 'x' } }, 'p.json'),
    /field 'potential': give either \{"installed": name\} alone or \{style, file\}.*extra: file/,
  );
  // The shipped table by name resolves everywhere (readProtocol resolves the file).
  const dir = mkdtempSync(join(tmpdir(), 'pot-proto-'));
  writeFileSync(join(dir, 'p.json'), JSON.stringify({ ...good, potential: { installed: 'Zhou2004-Ni' } }));
  const r = readProtocol(join(dir, 'p.json'));
  assert.equal(
    r.potential.style === 'eam/alloy' && r.potential.file,
    join(PACKAGE_ROOT, 'potentials', 'Ni_Zhou2004.eam.alloy'),
  );
  assert.equal(r.outDir, join(dir, 'o'));
  // The command-line override replaces the protocol's potential.
  const o = readProtocol(join(dir, 'p.json'), {
    potential: potentialFromOption('potentials/Ni_Zhou2004.eam.alloy'),
  });
  assert.equal(o.potential.style, 'eam/alloy');
});

test('--potential values: well-known names, kim:<model>, table files by extension', () => {
  assert.deepEqual(potentialFromOption('Mishin1999-Ni'), { installed: 'Mishin1999-Ni' });
  assert.deepEqual(potentialFromOption('kim:MEAM_LAMMPS_Wagner_2007_Ni__MO_444394830472_000'), {
    style: 'kim',
    model: 'MEAM_LAMMPS_Wagner_2007_Ni__MO_444394830472_000',
  });
  assert.deepEqual(potentialFromOption('Ni_u3.eam'), { style: 'eam', file: 'Ni_u3.eam' });
  assert.deepEqual(potentialFromOption('potentials/Ni_Zhou2004.eam.alloy'), {
    style: 'eam/alloy',
    file: join(process.cwd(), 'potentials', 'Ni_Zhou2004.eam.alloy'),
  });
  assert.throws(
    () => potentialFromOption('Ni.meam'),
    /field '--potential': cannot tell the pair style of 'Ni\.meam'/,
  );
});

test('the -mishin presets use the installed Mishin 1999 table and the paper grids', () => {
  for (const [name, plain] of [
    ['paper-crystals-mishin', 'paper-crystals'],
    ['paper-liquids-mishin', 'paper-liquids'],
  ] as const) {
    const p = parseProtocol(protocolPreset(name), name);
    assert.equal(p.potential.style === 'eam/alloy' && p.potential.installed, 'Mishin1999-Ni');
    assert.deepEqual(p.states, parseProtocol(protocolPreset(plain), plain).states);
  }
});
