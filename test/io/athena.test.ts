/**
 * Athena projects: the Perl-literal parser, all four file variants (Perl/JSON, gzipped or
 * not), stored parameters, energy shift, μ rebuilt from i0/signal, record selection.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseAthenaProject, readAthena, readSpectraSync, readSpectrumSync } from '../../src/io/index.js';
import { parsePerlStatements } from '../../src/io/perl-literal.js';

const tmp = mkdtempSync(join(tmpdir(), 'xasflow-prj-'));

describe('Perl literal parser', () => {
  it('parses the Data::Dumper forms Athena writes, without evaluating anything', () => {
    const text = [
      '# header',
      "$old_group = 'abcde';",
      "@args = ('label','a \\'quoted\\' name','bkg_e0',8979.5,'titles',['t1',\"t\\x{e4}2\\n\"],'nothing',undef);",
      "@x = ('1','2.5','-3e2');",
      "$xdi = bless( {'a' => {'b' => [1,2]}, c => 'd'}, 'Xray::XDI' );",
      '[record]   # create object',
      '%plot_features = (k => 1);',
      '@journal = {};',
      '1;',
    ].join('\n');
    const st = parsePerlStatements(text, 'mem.prj');
    assert.deepEqual(
      st.map((s) => `${s.sigil}${s.name}`),
      ['$old_group', '@args', '@x', '$xdi', '[record', '%plot_features', '@journal', ''],
    );
    const args = st[1].value as unknown[];
    assert.equal(args[1], "a 'quoted' name");
    assert.equal(args[3], 8979.5);
    assert.deepEqual(args[5], ['t1', 'tä2\n']);
    assert.equal(args[7], null);
    assert.deepEqual(st[2].value, ['1', '2.5', '-3e2']);
    assert.deepEqual(JSON.parse(JSON.stringify(st[3].value)), { a: { b: [1, 2] }, c: 'd' });
    assert.equal(st[4].line, 6);
  });
  it('refuses code and truncation with the line', () => {
    assert.throws(() => parsePerlStatements("$x = system('rm');", 'f'), /f:1: unexpected 'system'/);
    assert.throws(
      () => parsePerlStatements("@x = ('1',\n'2'", 'f'),
      /f:2: .*the end of the file \(the file looks truncated\)/,
    );
    assert.throws(() => parsePerlStatements("$x = 'abc", 'f'), /unterminated quoted string/);
  });
});

describe('Athena project files', () => {
  it('reads gzipped Perl projects with every record and its stored parameters', () => {
    const spectra = readAthena('data/xafs/athena_prj/Ge.prj');
    assert.deepEqual(
      spectra.map((s) => s.meta.record),
      ['Crystalline Ge', 'Amorphous Ge'],
    );
    const [ge] = spectra;
    assert.equal(ge.meta.element, 'Ge');
    assert.equal(ge.meta.edge, 'K');
    const p = ge.meta.storedParams!;
    assert.equal(p.preEdge?.e0, 11103);
    assert.equal(p.xftf?.window, 'kaiser');
    assert.equal(p.autobk?.clampHi, 24);
  });
  it('applies bkg_eshift to the energy and keeps the stored energy', () => {
    const [ge] = readAthena('data/xafs/athena_prj/Ge.prj');
    assert.equal(ge.meta.energyShiftEv, -8);
    assert.equal(ge.energyEv[10], ge.channels.energy_stored[10] - 8);
  });
  it('reads uncompressed JSON and gzipped JSON projects alike', () => {
    const plain = readAthena('data/xafs/larch_prj/json_unzipped.prj');
    const gz = join(tmp, 'json.prj');
    writeFileSync(gz, gzipSync(readFileSync('data/xafs/larch_prj/json_unzipped.prj')));
    const zipped = readAthena(gz);
    assert.equal(plain.length, 4);
    assert.deepEqual(Array.from(zipped[2].mu), Array.from(plain[2].mu));
    assert.equal(parseAthenaProject(gz).format, 'json');
  });
  it('reads an uncompressed Perl project', () => {
    const spectra = readAthena('data/xafs/larch_prj/eutio3.prj');
    assert.equal(spectra.length, 20);
    const chi = spectra.find((s) => s.meta.datatype === 'chi')!;
    assert.ok(chi.k && chi.chi && chi.k.length === chi.chi.length && chi.energyEv.length === 0);
  });
  it('rebuilds μ from i0 and signal when the record has no y', () => {
    const text = gunzipSync(readFileSync('data/xafs/larch_prj/Copper.prj')).toString('utf8');
    const original = readAthena('data/xafs/larch_prj/Copper.prj')[0];
    const noY = text.replace(/^@y = .*$/m, '');
    const p = join(tmp, 'noy.prj');
    writeFileSync(p, noY);
    const [sp] = readAthena(p);
    assert.match(sp.meta.muSource ?? '', /ln\(i0\/signal\)/);
    for (let i = 0; i < sp.mu.length; i++) assert.ok(Math.abs(sp.mu[i] - original.mu[i]) < 1e-12);
  });
  it('guesses element and edge from E0 when bkg_z is stale', () => {
    const spectra = readAthena('data/xafs/larch_prj/stacked_plot.prj');
    assert.equal(spectra[1].meta.element, 'Fe');
    assert.match((spectra[1].meta.warnings ?? []).join(), /bkg_z 'H' does not match/);
  });
  it('selects records by label, Larch group name, Athena id or index; repeated labels: the last', () => {
    const file = 'data/xafs/athena_prj/NiO.prj';
    const all = readSpectraSync(file);
    assert.equal(all.length, 24);
    const byLabel = readSpectrumSync(file, { record: 'NiO.000' });
    assert.equal((byLabel.meta.extra as { athenaId: string }).athenaId, 'cymnj');
    assert.equal(readSpectrumSync(file, { record: 'd__Ref_NiO_001' }).meta.record, '  Ref NiO.001');
    assert.equal(readSpectrumSync(file, { record: 'naqow' }).meta.record, 'NiO.000');
    const third = readSpectrumSync(file, { record: 3 });
    assert.equal(
      (third.meta.extra as { athenaId: string }).athenaId,
      (all[2].meta.extra as { athenaId: string }).athenaId,
    );
    assert.throws(() => readSpectrumSync(file, { record: 'nope' }), /no record named 'nope'/);
  });
});
