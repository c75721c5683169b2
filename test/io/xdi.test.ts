/**
 * XDI reader: every valid XDI file in data/ loads; metadata, units, comments, namespaces
 * (case-insensitive, last occurrence wins), 2-D files, angle and keV abscissas.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PLANCK_HC_EV_ANGSTROM, readSpectraSync, readXdi } from '../../src/io/index.js';

function xdiFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'baddata') xdiFiles(p, out);
    } else if (/^#\s*XDI\//i.test(readFileSync(p, 'latin1').slice(0, 40))) out.push(p);
  }
  return out;
}

const tmp = mkdtempSync(join(tmpdir(), 'xasflow-xdi-'));
function write(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

const HEADER = [
  '# XDI/1.0 GSE/1.0',
  '# Column.1: energy eV',
  '# Column.2: i0',
  '# Column.3: itrans',
  '# Element.symbol: Cu',
  '# Element.edge: K',
  '# Mono.d_spacing: 3.13553',
  '# ///',
  '#   indented   comment  ',
  '#',
  '# second comment',
  '#----',
  '# energy i0 itrans',
];
const ROWS = ['8979.0 100.0 40.0', '8980.0 101.0 39.0', '8981.0 102.0 38.0'];

describe('XDI reader', () => {
  const files = xdiFiles('data');
  it(`finds the XDI files in data/ (${files.length})`, () => {
    assert.ok(files.length >= 80);
  });
  for (const f of files) {
    it(`loads ${f}`, () => {
      const spectra = readXdi(f);
      assert.ok(spectra.length >= 1);
      for (const sp of spectra) {
        assert.equal(sp.mu.length, sp.energyEv.length);
        assert.ok(sp.energyEv.length > 0);
        for (const v of sp.mu) assert.ok(Number.isFinite(v));
      }
    });
  }

  it('reads the metadata of a LISA file', () => {
    const [sp] = readXdi('data/xafs/lisa_esrf/Au_foil_L3_311_80K.xdi');
    assert.equal(sp.meta.element, 'Au');
    assert.equal(sp.meta.edge, 'L3');
    assert.equal(sp.meta.temperatureK, 80);
    assert.equal(sp.meta.mode, 'transmission');
    assert.equal(sp.meta.columnUnits?.energy, 'eV');
    assert.equal(sp.meta.muSource, 'column mutrans');
  });

  it('keeps user comments with interior white space, drops one leading space', () => {
    const p = write('comments.xdi', [...HEADER, ...ROWS].join('\n'));
    const [sp] = readXdi(p);
    assert.deepEqual(sp.meta.comments, ['  indented   comment', '', 'second comment']);
    assert.equal(sp.meta.muSource, 'ln(i0/itrans)');
    assert.ok(Math.abs(sp.mu[0] - Math.log(100 / 40)) < 1e-15);
  });

  it('treats field names case-insensitively; the last occurrence wins', () => {
    const h = HEADER.slice();
    h.splice(4, 2, '# ELEMENT.SYMBOL: Ni', '# element.edge: K', '# Element.Symbol: Cu');
    const [sp] = readXdi(write('case.xdi', [...h, ...ROWS].join('\n')));
    assert.equal(sp.meta.element, 'Cu');
    assert.equal(sp.meta.fields['ELEMENT.SYMBOL'], 'Cu');
  });

  it('accepts CR and CRLF line ends', () => {
    const a = readXdi(write('crlf.xdi', [...HEADER, ...ROWS].join('\r\n')))[0];
    const b = readXdi(write('cr.xdi', [...HEADER, ...ROWS].join('\r')))[0];
    assert.deepEqual(Array.from(a.mu), Array.from(b.mu));
    assert.equal(a.energyEv.length, 3);
  });

  it('converts a monochromator angle to energy with the d-spacing', () => {
    const h = HEADER.slice();
    h[1] = '# Column.1: angle degrees';
    h[12] = '# angle i0 itrans';
    const rows = ['12.5 100 40', '12.4 100 40'];
    const [sp] = readXdi(write('angle.xdi', [...h, ...rows].join('\n')));
    const want = PLANCK_HC_EV_ANGSTROM / (2 * 3.13553 * Math.sin((12.5 * Math.PI) / 180));
    assert.ok(Math.abs(sp.energyEv[0] - want) < 1e-9);
    assert.equal(sp.channels.angle[0], 12.5);
  });

  it('converts keV to eV', () => {
    const h = HEADER.slice();
    h[1] = '# Column.1: energy keV';
    const [sp] = readXdi(write('kev.xdi', [...h, '8.979 100 40', '8.980 100 40'].join('\n')));
    assert.deepEqual(Array.from(sp.energyEv), [8979, 8980]);
  });

  it('reads a 2-D file as one spectrum per Outer.value block', () => {
    const spectra = readXdi('data/xafs/xdi_spec/nonxafs_2d.xdi');
    assert.equal(spectra[0].meta.record, 'x2d=1.0');
    assert.equal(spectra[1].meta.record, 'x2d=1.10');
    const total = spectra.reduce((n, s) => n + s.energyEv.length, 0);
    const rows = readFileSync('data/xafs/xdi_spec/nonxafs_2d.xdi', 'utf8')
      .split('\n')
      .filter((l) => /^\s*\d/.test(l)).length;
    assert.equal(total, rows);
  });

  it('reads a multi-spectrum Demeter file as one record per column', () => {
    const spectra = readSpectraSync('data/maps/hxn_fe_nanoxanes_aux/FeLibNov2021.nor');
    assert.equal(spectra.length, 11);
    assert.equal(spectra[6].meta.record, 'LiFe(II)PO4');
    assert.equal(spectra[0].meta.datatype, 'norm');
  });

  it('takes the element from Scan.element in pre-standard files, with a warning', () => {
    const [sp] = readXdi('data/xafs/cu_metal_rt.xdi');
    assert.equal(sp.meta.element, 'Cu');
    assert.equal(sp.meta.edge, 'K');
    assert.match((sp.meta.warnings ?? []).join('\n'), /Scan\.element/);
  });

  it('prefers the first μ column in file order (fluorescence file)', () => {
    const [sp] = readXdi('data/xafs/cu_romanglass.xdi');
    assert.equal(sp.meta.muSource, 'column mufluor');
    assert.equal(sp.meta.mode, 'fluorescence');
  });
});
