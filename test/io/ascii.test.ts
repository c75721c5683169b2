/**
 * Column-file reader: Larch-compatible labels, μ rules (transmission, fluorescence,
 * reference, beamline layouts), column selection by name, index and expression.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { XasInputError } from '../../src/core/errors.js';
import { fixVarname, parseMuExpression, readAscii, readSpectraSync } from '../../src/io/index.js';
import { finalizeLabels, genericLabels, larchLabels } from '../../src/io/labels.js';

const tmp = mkdtempSync(join(tmpdir(), 'xasflow-ascii-'));
function write(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

describe('Larch label rules', () => {
  it('fix_varname', () => {
    assert.equal(fixVarname('log(i0/it)'), 'log_i0_it');
    assert.equal(fixVarname('2theta'), '_2theta');
    assert.equal(fixVarname(''), '_unlabeled');
    assert.equal(fixVarname('xmu(trans)'), 'xmu_trans');
  });
  it('uses the last header line, strips #L/#C, repeats become _colN', () => {
    assert.deepEqual(genericLabels(['#S 1 scan', '#L Energy I0 I0']), ['energy', 'i0', 'i0_col3']);
    assert.deepEqual(
      larchLabels([
        '; Epics Scan 1 dimensional scan',
        '; column labels:',
        '; P1 = {Energy} --> E',
        '; D1 = {I0} --> X',
      ]),
      ['energy', 'i0'],
    );
    assert.deepEqual(finalizeLabels(['data', 'mu'], 3), ['data_a', 'mu', 'col3']);
  });
});

describe('column files', () => {
  it('SSRL-style log(i0/it) and log(it/ir) columns give μ and the reference', () => {
    const [sp] = readAscii('data/xafs/cu2s_13k_ifeffit.xmu');
    assert.equal(sp.meta.muSource, 'column log_i0_it');
    assert.equal(sp.muRef, sp.channels.log_it_ir);
  });
  it('raw counts: transmission ln(i0/it)', () => {
    const [sp] = readAscii('data/xafs/fe.060');
    assert.equal(sp.meta.muSource, 'ln(i0/it)');
    assert.ok(Math.abs(sp.mu[0] - Math.log(41410.4 / 39622.2)) < 1e-12);
  });
  it('IFEFFIT #% headers give element, edge and temperature', () => {
    const [sp] = readAscii('data/xafs/cu_50k.xmu');
    assert.equal(sp.meta.element, 'Cu');
    assert.equal(sp.meta.edge, 'K');
    assert.equal(sp.meta.temperatureK, 50);
  });
  it("DESY FIO: labels from the Col lines, μ = ln(C1/C2) equals the file's own column 2", () => {
    const [sp] = readAscii('data/xafs/parseq_hasylab/Cu_rt1.fio');
    assert.equal(sp.meta.format, 'fio');
    assert.deepEqual(sp.meta.columnLabels?.slice(0, 6), [
      'energy',
      'col2',
      'hhtheta',
      'hhenergy',
      'ref',
      'c1',
    ]);
    for (let i = 0; i < sp.mu.length; i += 97) assert.ok(Math.abs(sp.mu[i] - sp.channels.col2[i]) < 5e-6);
    assert.ok(sp.muRef);
    for (let i = 0; i < sp.mu.length; i += 97) assert.ok(Math.abs(sp.muRef![i] - sp.channels.ref[i]) < 5e-6);
  });
  it('MAX IV on-the-fly scans: energy column by name, I0 = ch1+ch2, I1 = ch3+ch4', () => {
    const [sp] = readAscii('data/xafs/parseq_maxiv/Cu-foil_EXAFS_23068.dat');
    assert.equal(sp.energyEv[0], 8779);
    const c = sp.channels;
    const want = Math.log((c.albaem02_ch1[5] + c.albaem02_ch2[5]) / (c.albaem02_ch3[5] + c.albaem02_ch4[5]));
    assert.equal(sp.mu[5], want);
  });
  it('a multi-spectrum table gives one record per column', () => {
    const spectra = readAscii('data/xanes_refs/parseq_cu/cu-ref-mix.res');
    assert.equal(spectra.length, 19);
    assert.equal(spectra[17].meta.record, 'mix1');
    assert.equal(spectra[17].energyEv, spectra[0].energyEv);
  });
  it('normalized columns are flagged', () => {
    const [sp] = readAscii('data/xafs/lcf_au_l3/s1.dat');
    assert.equal(sp.meta.datatype, 'norm');
  });
  it('energies are kept as read: unsorted and repeated points are not touched', () => {
    const p = write('order.dat', '# energy mu\n8980 1\n8979 2\n8979 3\n8981 4\n');
    const [sp] = readAscii(p);
    assert.deepEqual(Array.from(sp.energyEv), [8980, 8979, 8979, 8981]);
    assert.deepEqual(Array.from(sp.mu), [1, 2, 3, 4]);
  });
  it('comma-separated columns read like Larch (commas are separators)', () => {
    const [sp] = readAscii(write('c.csv', '# energy,i0,itrans\n8979,100,40\n8980,100,39\n'));
    assert.deepEqual(sp.meta.columnLabels, ['energy', 'i0', 'itrans']);
    assert.equal(sp.meta.muSource, 'ln(i0/itrans)');
  });
});

describe('choosing μ', () => {
  const table = write('chan.dat', '# energy i0 it if iref\n8979 100 40 5 20\n8980 100 39 6 19\n');
  it('transmission by default, reference from it/iref', () => {
    const [sp] = readAscii(table);
    assert.equal(sp.meta.mode, 'transmission');
    assert.ok(Math.abs(sp.muRef![0] - Math.log(40 / 20)) < 1e-15);
  });
  it('fluorescence when asked', () => {
    const [sp] = readAscii(table, { mode: 'fluorescence' });
    assert.equal(sp.meta.muSource, 'if/i0');
    assert.equal(sp.mu[1], 6 / 100);
  });
  it('reference when asked', () => {
    const [sp] = readAscii(table, { mode: 'reference' });
    assert.equal(sp.mu[0], Math.log(40 / 20));
  });
  it('by expression, by name and by 1-based index', () => {
    assert.equal(readAscii(table, { mu: 'ln(i0/(it+if))' })[0].mu[0], Math.log(100 / 45));
    assert.equal(readAscii(table, { mu: 'iref' })[0].mu[0], 20);
    assert.equal(readAscii(table, { mu: '$4' })[0].mu[1], 6);
    assert.equal(readAscii(table, { mu: 3, energy: 'i0' })[0].energyEv[0], 100);
  });
  it('explains a missing channel', () => {
    const p = write('noif.dat', '# energy i0 it\n8979 100 40\n8980 100 39\n');
    assert.throws(
      () => readAscii(p, { mode: 'fluorescence' }),
      /mode 'fluorescence' needs channels ifluor and i0/,
    );
    assert.throws(() => readAscii(p, { mu: 'ln(i0/ix)' }), /no column 'ix'/);
  });
  it('refuses ln of a non-positive intensity, naming the line', () => {
    const p = write('zero.dat', '# energy i0 it\n8979 100 40\n8980 100 0\n');
    assert.throws(
      () => readAscii(p),
      (e: unknown) =>
        e instanceof XasInputError &&
        e.line === 3 &&
        /ln\(i0\/it\): it\[1\] = 0 is not a positive number/.test(e.message),
    );
  });
  it('expressions: precedence, unary minus, functions', () => {
    const e = parseMuExpression('-ln(a/b) + 2*c - a/b/2', ['a', 'b', 'c']);
    const out = e.evaluate([Float64Array.of(4), Float64Array.of(2), Float64Array.of(3)]);
    assert.equal(out[0], -Math.log(2) + 6 - 1);
    assert.deepEqual(e.columns, [0, 1, 2]);
    assert.throws(() => parseMuExpression('ln(a', ['a']), /missing '\)'/);
  });
  it('readSpectraSync selects a record by column name', () => {
    const [sp] = readSpectraSync('data/xanes_refs/parseq_cu/cu-ref-mix.res', { record: 'cu2s' });
    assert.equal(sp.meta.record, 'cu2s');
  });
});
