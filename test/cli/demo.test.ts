/**
 * `npm start` (xasflow demo): the whole pipeline on bundled data in a fresh folder, through the
 * real launcher. Checks that every figure and file the report links exists and that the headline
 * numbers are physically right (they are computed, not stored: a broken stage fails here).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

describe('xasflow demo (npm start)', () => {
  let base: string;
  let dir: string;
  let run: { status: number | null; stdout: string; stderr: string };
  before(() => {
    // as `npm start` runs it: a relative --out, resolved against the working directory
    base = mkdtempSync(join(tmpdir(), 'xasflow-demo-'));
    dir = join(base, 'out');
    run = spawnSync(process.execPath, [resolve('bin/xasflow.js'), 'demo', '--out', 'out'], {
      cwd: base,
      encoding: 'utf8',
      timeout: 300_000,
    });
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('finishes and writes index.html whose every link and image exists', () => {
    assert.equal(run.status, 0, run.stderr);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"#][^"]*)"/g)].map((m) => m[1]);
    assert.ok(refs.length > 20, `only ${refs.length} links`);
    for (const ref of refs) assert.ok(existsSync(join(dir, ref)), `missing ${ref}`);
  });

  it('reports physically right numbers at every stage', () => {
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    // EXAFS first shells of the foils (fcc Ni 2.49 Å, Cu 2.55 Å)
    assert.ok(Math.abs(s.exafsFits.ni.r1Angstrom.value - 2.49) < 0.01);
    assert.ok(Math.abs(s.exafsFits.cu.r1Angstrom.value - 2.55) < 0.01);
    // XANES: the best triple for mix1 reproduces the data closely
    assert.ok(s.mix1Best.rfactor < 1e-3, `mix1 R-factor ${s.mix1Best.rfactor}`);
    // the independent Cu2S spectrum is recognised as Cu2S
    const [top] = Object.entries<{ mean: number }>(s.cu2sPosterior).sort((a, b) => b[1].mean - a[1].mean);
    assert.match(top[0], /Cu2S/);
    assert.ok(top[1].mean > 0.9);
    // MD fcc Ni at 300 K: 12 neighbours near 2.50 Å
    assert.ok(Math.abs(s.md.shell.coordination - 12) < 0.05);
    assert.ok(Math.abs(s.md.shell.meanAngstrom - 2.5) < 0.02);
    assert.equal(typeof s.seeds.md, 'number');
  });
});
