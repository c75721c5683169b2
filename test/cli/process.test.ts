/**
 * `xasflow process` end to end through the real launcher: outputs with Larch's names, the numbers
 * equal the library chain on the same file, figures and processed XDI files, failures reported per
 * file without losing the others, and no temporary files left behind.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readSpectrum, readXdi } from '../../src/io/index.js';
import { processSpectrum } from '../../src/process/index.js';

const FT = ['--kweight', '2', '--kmin', '3', '--kmax', '14', '--dk', '1', '--window', 'hanning'];

function xasflow(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/xasflow.js', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('xasflow process', () => {
  let dir: string;
  let run: ReturnType<typeof xasflow>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'xasflow-process-'));
    run = xasflow([
      'process',
      'data/xafs/lisa_esrf/Ni_foil_111.xdi',
      'data/xafs/fe.060',
      'data/xafs/xasref_nsls/Nifoil.prj',
      'data/xafs/xdi_spec/baddata/bad_13.xdi',
      '--out',
      dir,
      '--json',
      '--plot',
      '--xdi',
      '--rbkg',
      '1.1',
      ...FT,
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('processes the good files, reports the bad one by name and line, exits 1', () => {
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, /bad_13\.xdi:31: row has 3 values but the data table has 4 columns/);
    const summary = JSON.parse(run.out);
    assert.equal(summary.processed, 3);
    assert.equal(summary.failed, 1);
  });

  it('writes <name>.json with Larch names, equal to the library chain on the same file', async () => {
    const j = JSON.parse(readFileSync(join(dir, 'Ni_foil_111.json'), 'utf8'));
    for (const key of [
      'e0',
      'edge_step',
      'energy',
      'mu',
      'pre_edge',
      'post_edge',
      'norm',
      'flat',
      'bkg',
      'k',
      'chi',
      'r',
      'chir_mag',
      'chir_re',
      'chir_im',
    ]) {
      assert.ok(key in j, key);
    }
    assert.equal(j.params.autobk.rbkg, 1.1);
    assert.equal(j.params.xftf.kweight, 2);
    assert.equal(j.params.xftf.window, 'hanning');
    assert.deepEqual(
      j.history.map((h: { step: string }) => h.step),
      ['pre_edge', 'autobk', 'xftf'],
    );
    const sp = await readSpectrum('data/xafs/lisa_esrf/Ni_foil_111.xdi');
    const r = processSpectrum(sp.energyEv, sp.mu, {
      autobk: { rbkg: 1.1 },
      xftf: { kweight: 2, kmin: 3, kmax: 14, dk: 1, window: 'hanning' },
    });
    assert.equal(j.e0, r.e0);
    assert.equal(j.edge_step, r.edgeStep);
    assert.deepEqual(j.chi, Array.from(r.autobk.chi));
    assert.deepEqual(j.chir_mag, Array.from(r.xftf.chirMag));
    assert.equal(j.meta.element, 'Ni');
  });

  it('writes the four figures as PNG and SVG, and a processed XDI that reads back', () => {
    const files = readdirSync(dir);
    for (const name of ['Ni_foil_111', 'fe', 'Nifoil']) {
      for (const fig of ['mu', 'norm', 'chik', 'chir']) {
        assert.ok(files.includes(`${name}.${fig}.png`), `${name}.${fig}.png`);
        assert.ok(files.includes(`${name}.${fig}.svg`), `${name}.${fig}.svg`);
      }
    }
    const [back] = readXdi(join(dir, 'fe.xdi'));
    const j = JSON.parse(readFileSync(join(dir, 'fe.json'), 'utf8'));
    const norm = back.channels.norm;
    assert.ok(norm, 'norm column');
    let worst = 0;
    for (let i = 0; i < norm.length; i++) worst = Math.max(worst, Math.abs(norm[i] - j.norm[i]));
    assert.ok(worst < 1e-8, `norm column differs by ${worst}`);
    assert.ok(
      Object.keys(back.meta.fields).some((f) => f.toLowerCase().startsWith('xasflow.')),
      'processing history in the header',
    );
  });

  it('leaves no temporary files', () => {
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('rejects a bad --params file and a non-numeric flag with clear messages', () => {
    const p = join(dir, 'params.json');
    writeFileSync(p, JSON.stringify({ preedge: { pre1: -150 } }));
    const r1 = xasflow(['process', 'data/xafs/fe.060', '--out', dir, '--params', p]);
    assert.equal(r1.code, 1);
    assert.match(
      r1.err,
      /params\.json, field 'preedge': unknown section 'preedge' \(expected pre_edge, autobk or xftf\)/,
    );
    const r2 = xasflow(['process', 'data/xafs/fe.060', '--out', dir, '--rbkg', 'one']);
    assert.notEqual(r2.code, 0);
    assert.match(r2.err, /--rbkg 'one' is not a number/);
  });
});
