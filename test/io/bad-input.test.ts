/**
 * Broken input for every format, made from real files in a temp directory: empty, blank,
 * binary junk, truncated (text, gzip, HDF5, Perl and JSON projects), wrong delimiters,
 * non-numeric values, ragged rows, NaN. Each must give an XasInputError naming the file
 * (and the line where there is one) -- never a crash, never NaN in the output.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { XasInputError } from '../../src/core/errors.js';
import { readSpectra } from '../../src/io/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'xasflow-bad-'));
function write(name: string, data: string | Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, data);
  return p;
}
const text = (p: string) => readFileSync(p, 'utf8');

async function rejects(path: string, pattern: RegExp, line?: number): Promise<void> {
  await assert.rejects(readSpectra(path), (err: unknown) => {
    assert.ok(err instanceof XasInputError, `XasInputError expected, got ${err}`);
    assert.ok(err.message.startsWith(path), `names the file: ${err.message}`);
    assert.match(err.message, pattern);
    if (line !== undefined) assert.equal(err.line, line, err.message);
    return true;
  });
}

const junk = new Uint8Array(2048);
for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) % 256;

describe('bad input', () => {
  it('missing file, directory, empty file, blank file', async () => {
    await rejects(join(tmp, 'nothere.xdi'), /file not found/);
    mkdirSync(join(tmp, 'adir'));
    await rejects(join(tmp, 'adir'), /is a directory/);
    await rejects(write('empty.dat', ''), /file is empty/);
    await rejects(write('blank.dat', '\n  \n\t\n'), /only blank lines/);
  });

  it('binary junk, under any extension', async () => {
    for (const ext of ['xdi', 'dat', 'prj', 'h5']) await rejects(write(`junk.${ext}`, junk), /binary/);
  });

  it('column file: truncated mid-row, non-numeric value, ragged row, NaN, wrong delimiter', async () => {
    const lines = text('data/xafs/fe.060').split('\n');
    // data start at line 19; cut the last row in half
    await rejects(
      write('trunc.060', `${lines.slice(0, 40).join('\n')}\n    6999.99  4100`),
      /row has 2 values but the data table has 3 columns \(the file looks truncated\)/,
      41,
    );
    const bad = lines.slice();
    bad[29] = '    6962.0    41000.4000    abc';
    await rejects(write('word.060', bad.join('\n')), /column 3 \(it\): 'abc' is not a number/, 30);
    const ragged = lines.slice();
    ragged[33] = `${ragged[33]}   17.5`;
    await rejects(
      write('ragged.060', ragged.join('\n')),
      /row has 4 values but the data table has 3 columns/,
      34,
    );
    const nan = lines.slice();
    nan[35] = '    6970.0    NaN    39622.2000';
    await rejects(write('nan.060', nan.join('\n')), /'NaN' is not a finite number/, 36);
    const semis = lines.map((l) => l.trim().split(/\s+/).join(';'));
    await rejects(
      write('semi.060', semis.join('\n')),
      /no numeric data table found \(the lines look ';'-separated/,
    );
    const half = lines.slice();
    half[45] = '   7100.0  41000.5  3.9e';
    await rejects(write('halfnum.060', half.join('\n')), /'3\.9e' is not a number/, 46);
  });

  it('XDI: truncated, garbage in the data, no data', async () => {
    const lines = text('data/xafs/ni_metal_rt.xdi').split('\n');
    const first = lines.findIndex((l) => /^\s*\d/.test(l));
    await rejects(
      write('trunc.xdi', `${lines.slice(0, first + 10).join('\n')}\n  8400.0  1.2`),
      /row has 2 values .*truncated/,
      first + 11,
    );
    await rejects(write('header-only.xdi', lines.slice(0, first).join('\n')), /no data rows/);
    const g = lines.slice();
    g[first + 3] = '  8300.0  ###  1.0';
    await rejects(write('garbage.xdi', g.join('\n')), /'###' is not a number/, first + 4);
    const c = lines.slice();
    c[first + 5] = c[first + 5].replace(/\s+/g, ',');
    await rejects(write('comma.xdi', c.join('\n')), /is not a number/, first + 6);
  });

  it('Athena Perl project: truncated gzip, truncated text, junk in an array', async () => {
    const gz = readFileSync('data/xafs/larch_prj/Copper.prj');
    await rejects(
      write('cut.prj', gz.subarray(0, Math.floor(gz.length / 2))),
      /gzip data is truncated or corrupt/,
    );
    const t = gunzipSync(gz).toString('utf8');
    await rejects(write('cut-text.prj', t.slice(0, Math.floor(t.length * 0.6))), /truncated/);
    await rejects(
      write('cut-record.prj', gzipSync(t.slice(0, t.indexOf('[record]')))),
      /not closed by \[record\] \(the file looks truncated\)/,
    );
    const j = t.replace(/@x = \('([^']*)'/, "@x = ('88a9.1'");
    await rejects(write('junk-x.prj', j), /@x\[0\] = "88a9\.1" is not a finite number/);
    await rejects(
      write('notprj.prj', '# just a comment\n1 2\n3 4\n'),
      /has the \.prj extension but is not an Athena project/,
    );
    await rejects(write('one-row.dat', '# energy mu\n8979 1.5\n'), /only 1 data row/, 2);
  });

  it('Athena JSON project: truncated, missing record', async () => {
    const t = text('data/xafs/larch_prj/json_unzipped.prj');
    await rejects(write('cut.json.prj', t.slice(0, t.length - 500)), /not valid JSON/);
    const doc = JSON.parse(t);
    const first = doc._____order[0];
    delete doc[first];
    await rejects(
      write('missing.json.prj', JSON.stringify(doc)),
      new RegExp(`record '${first}' listed in _____order is missing`),
    );
  });

  it('NeXus: truncated HDF5, not HDF5, no NXentry', async () => {
    const h5 = readFileSync('data/xafs/nexus_hdf5/KEK_PFdata.h5');
    await rejects(write('cut.h5', h5.subarray(0, 4000)), /HDF5 read failed \(File has been truncated\)/);
    const copy = join(tmp, 'copy.h5');
    copyFileSync('data/xafs/nexus_hdf5/KEK_PFdata.h5', copy);
    const spectra = await readSpectra(copy);
    assert.equal(spectra.length, 1);
  });

  it('unsorted and repeated energies are kept as read, without error', async () => {
    const p = write('dup.xmu', '# energy mu\n8979 1.0\n8979 1.1\n8978 1.2\n8980 1.3\n');
    const [sp] = await readSpectra(p);
    assert.deepEqual(Array.from(sp.energyEv), [8979, 8979, 8978, 8980]);
  });
});
