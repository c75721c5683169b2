/**
 * Writers: XDI with processing history (write → read gives the same arrays exactly and the
 * output passes our own XDI checks), column/CSV text (read back by our column reader), JSON;
 * all atomic, and refusing NaN instead of writing it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { withHistory } from '../../src/core/spectrum.js';
import {
  readAscii,
  readSpectraSync,
  readXdi,
  writeColumns,
  writeCsv,
  writeSpectrumJson,
  writeXdi,
} from '../../src/io/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'xasflow-write-'));

describe('XDI writer', () => {
  it('round trip: same arrays, metadata, comments; history in the xasflow namespace', () => {
    let [sp] = readXdi('data/xafs/xasdatalib/Ni_metal_rt_01.xdi');
    sp = withHistory(sp, 'pre_edge', { e0: 8333.1, pre1: -150, nnorm: 2 });
    const norm = sp.mu.map((v) => v * 0.5);
    const out = join(tmp, 'ni.xdi');
    writeXdi(out, sp, { arrays: { norm } });
    const [back] = readXdi(out);
    assert.deepEqual(Array.from(back.energyEv), Array.from(sp.energyEv));
    assert.deepEqual(Array.from(back.mu), Array.from(sp.mu));
    assert.deepEqual(Array.from(back.channels.i0), Array.from(sp.channels.i0));
    assert.deepEqual(Array.from(back.channels.norm), Array.from(norm));
    assert.equal(back.meta.element, 'Ni');
    assert.equal(back.meta.edge, 'K');
    assert.equal(back.meta.temperatureText, sp.meta.temperatureText);
    assert.deepEqual(back.meta.comments, sp.meta.comments);
    assert.equal(
      back.meta.fields['xasflow.step_1'],
      'pre_edge {"e0":8333.1,"pre1":-150,"nnorm":2} (xasflow 0.1.0)',
    );
    assert.match(readFileSync(out, 'utf8').split('\n')[0], /^# XDI\/1\.0 .*xasflow\/0\.1\.0$/);
  });
  it('an Athena record written as XDI carries element, edge, stored parameters and passes strict checks', () => {
    const [ge] = readSpectraSync('data/xafs/athena_prj/Ge.prj');
    ge.meta.comments = ['crystalline Ge from Ge.prj'];
    ge.meta.facility = 'unknown';
    ge.meta.beamline = 'unknown';
    ge.meta.scanStart = '2011-10-26T11:40:53';
    ge.meta.fields['Facility.xray_source'] = 'unknown';
    const out = join(tmp, 'ge.xdi');
    writeXdi(out, ge);
    const [back] = readXdi(out, { strict: true });
    assert.equal(back.meta.element, 'Ge');
    assert.deepEqual(Array.from(back.energyEv), Array.from(ge.energyEv));
    assert.deepEqual(JSON.parse(back.meta.fields['xasflow.stored_params']), ge.meta.storedParams);
  });
  it('refuses NaN and leaves no file behind', () => {
    const [sp] = readXdi('data/xafs/xdi_spec/fe2o3_rt.xdi');
    const mu = sp.mu.slice();
    mu[7] = Number.NaN;
    const out = join(tmp, 'nan.xdi');
    assert.throws(() => writeXdi(out, { ...sp, mu }), /has NaN at point 7; refusing to write it/);
    assert.equal(existsSync(out), false);
    assert.deepEqual(
      readdirSync(tmp).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });
});

describe('column, CSV and JSON writers', () => {
  const [sp] = readAscii('data/xafs/fe.060');
  it('columns in Larch write_ascii layout read back exactly', () => {
    const out = join(tmp, 'fe.dat');
    writeColumns(out, sp);
    const [back] = readAscii(out);
    assert.deepEqual(back.meta.columnLabels, ['energy', 'mutrans', 'i0', 'it']);
    assert.deepEqual(Array.from(back.mu), Array.from(sp.mu));
    assert.deepEqual(Array.from(back.channels.it), Array.from(sp.channels.it));
  });
  it('CSV reads back exactly', () => {
    const out = join(tmp, 'fe.csv');
    writeCsv(out, sp);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /^# written by xasflow/);
    assert.match(text, /\n# energy,mutrans,i0,it\n6911\.98862,/);
    const [back] = readAscii(out);
    assert.deepEqual(Array.from(back.energyEv), Array.from(sp.energyEv));
  });
  it('JSON holds the arrays under Larch names and the metadata', () => {
    const out = join(tmp, 'fe.json');
    writeSpectrumJson(out, withHistory(sp, 'read', { file: 'fe.060' }));
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(doc.energy, Array.from(sp.energyEv));
    assert.deepEqual(doc.mu, Array.from(sp.mu));
    assert.equal(doc.meta.muSource, 'ln(i0/it)');
    assert.equal(doc.history[0].step, 'read');
  });
});
