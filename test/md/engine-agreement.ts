/**
 * Shared by the embedded-vs-LAMMPS tests: run a committed LAMMPS fixture's protocol with the
 * embedded engine and compare the analyses within statistical error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSnapshots } from '../../src/md/analysis/analyze.js';
import { expandJobs } from '../../src/md/protocol/jobs.js';
import { runProtocol } from '../../src/md/protocol/run-protocol.js';
import { parseProtocol } from '../../src/md/protocol/schema.js';

export interface LammpsRef {
  protocol: Record<string, unknown>;
  /** Density of the state point (NPT average) the fixture ran. */
  densityPerA3: number;
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
  /** Block-average (5-frame) standard errors, where the fixture has them. */
  blockStdErr?: { meanAngstrom: number; sigma2Angstrom2: number; coordination: number };
  badPeaksDeg: number[];
}

export type Analysis = ReturnType<typeof analyzeSnapshots>;

/** The fixture's state point run by the embedded engine (seed 99) and analysed like the fixture. */
export async function embeddedRun(ref: LammpsRef, potential: unknown, name: string): Promise<Analysis> {
  const outDir = mkdtempSync(join(tmpdir(), `md-${name}-`));
  const p = parseProtocol({ name, potential, element: 'Ni', outDir, seed: 99, states: [ref.protocol] }, name);
  const s = await runProtocol(p);
  assert.deepEqual(s.failed, []);
  return analyzeSnapshots([join(outDir, expandJobs(p)[0].stateIds[0])], {
    rCutAngstrom: ref.shell.rCutAngstrom,
  });
}

/** |a − b| within 4 combined standard errors. */
export function within(a: number, sa: number, b: number, sb: number, what: string): void {
  const tol = 4 * Math.hypot(sa, sb);
  assert.ok(Math.abs(a - b) <= tol, `${what}: embedded ${a} vs LAMMPS ${b} (tolerance ${tol})`);
}

/**
 * ⟨R⟩, σ² and N of the shell within statistical error; the LAMMPS side's error is the larger of the
 * frame-scatter and block-average errors (frames 0.25–1 ps apart are correlated).
 */
export function assertShellAgrees(a: Analysis, ref: LammpsRef, what: string): void {
  const r = ref.shell;
  const b = ref.blockStdErr;
  const err = (frame: number, block: number | undefined) => Math.max(frame, block ?? 0);
  within(
    a.shell.meanAngstrom,
    a.shell.meanStdErr,
    r.meanAngstrom,
    err(r.meanStdErr, b?.meanAngstrom),
    `${what} ⟨R⟩`,
  );
  within(
    a.shell.sigma2Angstrom2,
    a.shell.sigma2StdErr,
    r.sigma2Angstrom2,
    err(r.sigma2StdErr, b?.sigma2Angstrom2),
    `${what} σ²`,
  );
  within(
    a.shell.coordination,
    a.shell.coordinationStdErr,
    r.coordination,
    err(r.coordinationStdErr, b?.coordination),
    `${what} N`,
  );
}

/** fcc at 300 K: 12 neighbours and BAD maxima at 60°, 90°, 120° and just below 180° (sin θ measure). */
export function assertFccShell(a: Analysis, ref: LammpsRef): void {
  assert.equal(a.shell.coordination, 12);
  assert.equal(ref.shell.coordination, 12);
  assert.deepEqual(
    a.bad.peaksDeg.map((x) => Math.round(x / 10) * 10),
    [60, 90, 120, 180],
  );
}

/**
 * A liquid like the fixture's: density (two short Berendsen NPT averages of a 256-atom liquid, ≈0.6 %
 * each, see docs/md.md), first g(r) peak, no crystalline frames, BAD maxima near 57° and 108°.
 */
export function assertLiquidAgrees(a: Analysis, ref: LammpsRef): void {
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
}
