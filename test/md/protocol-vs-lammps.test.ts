import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSnapshots } from '../../src/md/analysis/analyze.js';
import { expandJobs } from '../../src/md/protocol/jobs.js';
import { runProtocol } from '../../src/md/protocol/run-protocol.js';
import { parseProtocol } from '../../src/md/protocol/schema.js';

// LAMMPS (Debian lmp, pair_style eam/alloy, same table, same protocol) through tools/md/validate.ts ci.
const fixture = JSON.parse(readFileSync('test/fixtures/md/protocol-lammps.json', 'utf8'));

interface Ref {
  protocol: Record<string, unknown>;
  densityPerA3: number;
  firstPeakAngstrom: number;
  firstMinimumAngstrom: number;
  coordinationToMinimum: number;
  shell: {
    rCutAngstrom: number;
    meanAngstrom: number;
    meanStdErr: number;
    sigma2Angstrom2: number;
    sigma2StdErr: number;
    coordination: number;
    coordinationStdErr: number;
  };
  badPeaksDeg: number[];
}

async function embeddedRun(ref: Ref, name: string) {
  const outDir = mkdtempSync(join(tmpdir(), `md-${name}-`));
  const p = parseProtocol(
    {
      name,
      potential: { style: 'eam/alloy', file: join(process.cwd(), 'potentials/Ni_Zhou2004.eam.alloy') },
      element: 'Ni',
      outDir,
      seed: 99,
      states: [ref.protocol],
    },
    name,
  );
  const s = await runProtocol(p);
  assert.deepEqual(s.failed, []);
  return analyzeSnapshots([join(outDir, expandJobs(p)[0].stateIds[0])], {
    rCutAngstrom: ref.shell.rCutAngstrom,
  });
}

/** |a − b| within k combined standard errors. */
function within(a: number, sa: number, b: number, sb: number, k: number, what: string): void {
  const tol = k * Math.hypot(sa, sb);
  assert.ok(Math.abs(a - b) <= tol, `${what}: embedded ${a} vs LAMMPS ${b} (tolerance ${tol})`);
}

test('fcc 300 K (NVT, a = 3.52 Å): embedded and LAMMPS agree on <R1>, σ² and N within statistical error', async () => {
  const ref = fixture.results['fcc-300K-zhou-lammps'] as Ref;
  const a = await embeddedRun(ref, 'fcc300');
  within(a.shell.meanAngstrom, a.shell.meanStdErr, ref.shell.meanAngstrom, ref.shell.meanStdErr, 4, '<R1>');
  within(
    a.shell.sigma2Angstrom2,
    a.shell.sigma2StdErr,
    ref.shell.sigma2Angstrom2,
    ref.shell.sigma2StdErr,
    4,
    'σ²',
  );
  assert.equal(a.shell.coordination, 12);
  assert.equal(ref.shell.coordination, 12);
  assert.ok(
    Math.abs(a.shell.meanAngstrom - 2.5) < 0.01 &&
      a.shell.sigma2Angstrom2 > 0.004 &&
      a.shell.sigma2Angstrom2 < 0.007,
  );
  // BAD maxima of the thermal fcc crystal: 60°, 90°, 120° and just below 180° (the sin θ measure).
  assert.deepEqual(
    a.bad.peaksDeg.map((x) => Math.round(x / 10) * 10),
    [60, 90, 120, 180],
  );
});

test('liquid 1750 K (melt 3000 K, quench, NPT, NVT): embedded and LAMMPS agree within statistical error', async () => {
  const ref = fixture.results['liquid-1750K-zhou-lammps'] as Ref;
  const a = await embeddedRun(ref, 'liq1750');
  within(
    a.shell.meanAngstrom,
    a.shell.meanStdErr,
    ref.shell.meanAngstrom,
    ref.shell.meanStdErr,
    4,
    '<R> (r < r_min)',
  );
  within(
    a.shell.sigma2Angstrom2,
    a.shell.sigma2StdErr,
    ref.shell.sigma2Angstrom2,
    ref.shell.sigma2StdErr,
    4,
    'σ²',
  );
  within(
    a.shell.coordination,
    a.shell.coordinationStdErr,
    ref.shell.coordination,
    ref.shell.coordinationStdErr,
    4,
    'N',
  );
  // Density from two short Berendsen NPT averages of a 256-atom liquid: ≈0.6 % each (see docs/md.md).
  assert.ok(
    Math.abs(a.densityPerA3 / ref.densityPerA3 - 1) < 0.025,
    `density ${a.densityPerA3} vs ${ref.densityPerA3}`,
  );
  assert.ok(
    Math.abs(a.firstShell.peakAngstrom - ref.firstPeakAngstrom) < 0.05,
    `peak ${a.firstShell.peakAngstrom}`,
  );
  assert.equal(a.cna.fcc + a.cna.hcp + a.cna.bcc < 0.1, true);
  const peaks = a.bad.peaksDeg;
  assert.ok(
    peaks.some((x) => Math.abs(x - 57) <= 6) && peaks.some((x) => Math.abs(x - 108) <= 8),
    `BAD maxima ${peaks}`,
  );
});
