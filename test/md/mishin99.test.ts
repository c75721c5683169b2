import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSnapshots } from '../../src/md/analysis/analyze.js';
import { INSTALLED_POTENTIALS, resolvePotentialFile } from '../../src/md/potential/installed.js';
import { expandJobs } from '../../src/md/protocol/jobs.js';
import { runProtocol } from '../../src/md/protocol/run-protocol.js';
import { parseProtocol } from '../../src/md/protocol/schema.js';

// The Mishin 1999 Ni EAM table (Ni99.eam.alloy) is installed by Debian lammps-examples and cannot be
// committed: these tests run the embedded engine with it where it is installed, against LAMMPS
// (pair_style eam/alloy, same file, same protocol) through tools/md/validate-mishin.ts ci.
const fixture = JSON.parse(readFileSync('test/fixtures/md/protocol-lammps-mishin99.json', 'utf8'));

/** Why the table cannot be used here (the resolver's message: where it looked, which package), or null. */
function missing(): string | null {
  try {
    resolvePotentialFile(INSTALLED_POTENTIALS['Mishin1999-Ni'].file, process.cwd());
    return null;
  } catch (err) {
    return `Mishin 1999 table not installed, embedded-vs-LAMMPS check not run: ${(err as Error).message}`;
  }
}
const skipReason = missing();

interface Ref {
  protocol: Record<string, unknown>;
  stateDensityPerA3: number;
  firstPeakAngstrom: number;
  shell: {
    rCutAngstrom: number;
    meanAngstrom: number;
    meanStdErr: number;
    sigma2Angstrom2: number;
    sigma2StdErr: number;
    coordination: number;
    coordinationStdErr: number;
  };
  blockStdErr: { meanAngstrom: number; sigma2Angstrom2: number; coordination: number };
  badPeaksDeg: number[];
}

async function embeddedRun(ref: Ref, name: string) {
  const outDir = mkdtempSync(join(tmpdir(), `md-mishin-${name}-`));
  const p = parseProtocol(
    {
      name,
      potential: { installed: 'Mishin1999-Ni' },
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

/**
 * |a − b| within 4 combined standard errors; each side's error is the larger of the frame-scatter
 * and (LAMMPS) block-average errors, since frames 0.25–0.5 ps apart are correlated.
 */
function within(a: number, sa: number, b: number, sb: number, what: string): void {
  const tol = 4 * Math.hypot(sa, sb);
  assert.ok(Math.abs(a - b) <= tol, `${what}: embedded ${a} vs LAMMPS ${b} (tolerance ${tol})`);
}

test('Mishin 1999 Ni, fcc 300 K (NVT, a = 3.52 Å, 256 atoms): embedded engine agrees with LAMMPS on <R1>, σ², N', {
  skip: skipReason ?? false,
}, async () => {
  const ref = fixture.results['fcc-300K-mishin99-lammps'] as Ref;
  const a = await embeddedRun(ref, 'fcc300');
  const r = ref.shell;
  const b = ref.blockStdErr;
  within(
    a.shell.meanAngstrom,
    a.shell.meanStdErr,
    r.meanAngstrom,
    Math.max(r.meanStdErr, b.meanAngstrom),
    '<R1>',
  );
  within(
    a.shell.sigma2Angstrom2,
    a.shell.sigma2StdErr,
    r.sigma2Angstrom2,
    Math.max(r.sigma2StdErr, b.sigma2Angstrom2),
    'σ²',
  );
  assert.equal(a.shell.coordination, 12);
  assert.equal(r.coordination, 12);
  assert.deepEqual(
    a.bad.peaksDeg.map((x) => Math.round(x / 10) * 10),
    [60, 90, 120, 180],
  );
});

test('Mishin 1999 Ni, liquid 1750 K (256 atoms): embedded engine agrees with LAMMPS within statistical error', {
  skip: skipReason ?? false,
}, async () => {
  const ref = fixture.results['liquid-1750K-mishin99-lammps'] as Ref;
  const a = await embeddedRun(ref, 'liq1750');
  const r = ref.shell;
  const b = ref.blockStdErr;
  within(
    a.shell.meanAngstrom,
    a.shell.meanStdErr,
    r.meanAngstrom,
    Math.max(r.meanStdErr, b.meanAngstrom),
    '<R> (r < r_min)',
  );
  within(
    a.shell.sigma2Angstrom2,
    a.shell.sigma2StdErr,
    r.sigma2Angstrom2,
    Math.max(r.sigma2StdErr, b.sigma2Angstrom2),
    'σ²',
  );
  within(
    a.shell.coordination,
    a.shell.coordinationStdErr,
    r.coordination,
    Math.max(r.coordinationStdErr, b.coordination),
    'N',
  );
  // Density from two short Berendsen NPT averages of a 256-atom liquid (see docs/md.md).
  assert.ok(
    Math.abs(a.densityPerA3 / ref.stateDensityPerA3 - 1) < 0.025,
    `density ${a.densityPerA3} vs ${ref.stateDensityPerA3}`,
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
