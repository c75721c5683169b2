import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { INSTALLED_POTENTIALS, resolvePotentialFile } from '../../src/md/potential/installed.js';
import {
  assertFccShell,
  assertLiquidAgrees,
  assertShellAgrees,
  embeddedRun,
  type LammpsRef,
} from './engine-agreement.js';

// The Mishin 1999 Ni EAM table (Ni99.eam.alloy) is installed by Debian lammps-examples and cannot be
// committed: these tests run the embedded engine with it where it is installed, against LAMMPS
// (pair_style eam/alloy, same file, same protocol) through tools/md/validate-mishin.ts ci.
const fixture = JSON.parse(readFileSync('test/fixtures/md/protocol-lammps-mishin99.json', 'utf8'));
const potential = { installed: 'Mishin1999-Ni' };

/** Why the table cannot be used here (the resolver's message: where it looked, which package), or null. */
function missing(): string | null {
  try {
    resolvePotentialFile(INSTALLED_POTENTIALS['Mishin1999-Ni'].file, process.cwd());
    return null;
  } catch (err) {
    return `Mishin 1999 table not installed, embedded-vs-LAMMPS check not run: ${(err as Error).message}`;
  }
}
const skip = missing() ?? false;

test('Mishin 1999 Ni, fcc 300 K (NVT, a = 3.52 Å, 256 atoms): embedded engine agrees with LAMMPS on <R1>, σ², N', {
  skip,
}, async () => {
  const ref = fixture.results['fcc-300K-mishin99-lammps'] as LammpsRef;
  const a = await embeddedRun(ref, potential, 'mishin-fcc300');
  assertShellAgrees(a, ref, 'fcc 300 K');
  assertFccShell(a, ref);
});

test('Mishin 1999 Ni, liquid 1750 K (256 atoms): embedded engine agrees with LAMMPS within statistical error', {
  skip,
}, async () => {
  const ref = fixture.results['liquid-1750K-mishin99-lammps'] as LammpsRef;
  const a = await embeddedRun(ref, potential, 'mishin-liq1750');
  assertShellAgrees(a, ref, 'liquid 1750 K, r < r_min:');
  assertLiquidAgrees(a, ref);
});
