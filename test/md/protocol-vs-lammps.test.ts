import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  assertFccShell,
  assertLiquidAgrees,
  assertShellAgrees,
  embeddedRun,
  type LammpsRef,
} from './engine-agreement.js';

// LAMMPS (Debian lmp, pair_style eam/alloy, same table, same protocol) through tools/md/validate.ts ci.
const fixture = JSON.parse(readFileSync('test/fixtures/md/protocol-lammps.json', 'utf8'));
const potential = { style: 'eam/alloy', file: join(process.cwd(), 'potentials/Ni_Zhou2004.eam.alloy') };

test('fcc 300 K (NVT, a = 3.52 Å): embedded and LAMMPS agree on <R1>, σ² and N within statistical error', async () => {
  const ref = fixture.results['fcc-300K-zhou-lammps'] as LammpsRef;
  const a = await embeddedRun(ref, potential, 'fcc300');
  assertShellAgrees(a, ref, 'fcc 300 K');
  assertFccShell(a, ref);
  assert.ok(
    Math.abs(a.shell.meanAngstrom - 2.5) < 0.01 &&
      a.shell.sigma2Angstrom2 > 0.004 &&
      a.shell.sigma2Angstrom2 < 0.007,
  );
});

test('liquid 1750 K (melt 3000 K, quench, NPT, NVT): embedded and LAMMPS agree within statistical error', async () => {
  const ref = fixture.results['liquid-1750K-zhou-lammps'] as LammpsRef;
  const a = await embeddedRun(ref, potential, 'liq1750');
  assertShellAgrees(a, ref, 'liquid 1750 K, r < r_min:');
  assertLiquidAgrees(a, ref);
});
