import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { XasInputError } from '../../src/core/errors.js';
import { readFeffChi } from '../../src/exafs/feff/chi.js';
import { parseFeffDat, readFeffDat } from '../../src/exafs/feff/dat.js';
import { readFilesDat, readListDat } from '../../src/exafs/feff/files.js';
import { formatFeffInp, parseFeffInp, readFeffInp } from '../../src/exafs/feff/inp.js';
import { formatPathsDat, parsePathsDat, readPathsDat } from '../../src/exafs/feff/paths.js';

const FE = 'data/xafs/feff/parseq_Fe';

test('feffNNNN.dat: FEFF 6 (larch_Cu) and FEFF 8 (parseq_Fe) headers, geometry and columns', () => {
  const cu = readFeffDat('data/xafs/feff/larch_Cu/feff0001.dat');
  assert.equal(cu.version, 'Feff XX 6.10');
  assert.equal(cu.nleg, 2);
  assert.equal(cu.degeneracy, 12);
  assert.equal(cu.reffAngstrom, 2.5478);
  assert.deepEqual(
    cu.potentials.map((p) => p.z),
    [29, 29],
  );
  assert.equal(cu.gamChEv, 1.761);
  assert.equal(cu.atoms[0].ipot, 0);
  assert.equal(cu.k.length, cu.realP.length);
  assert.equal(cu.k[1], 0.1);
  const fe = readFeffDat(`${FE}/feff0003.dat`);
  assert.equal(fe.nleg, 3);
  assert.equal(fe.atoms.length, 3);
  assert.equal(fe.kfInvAngstrom, 2.045);
  assert.equal(fe.vintEv, -21.38);
  assert.equal(fe.k.length, 59);
});

test('feffNNNN.dat: malformed files give located errors', () => {
  const good = readFileSync(`${FE}/feff0001.dat`, 'utf8').split('\n');
  const dataAt = good.findIndex((l) => /real\[p\]/.test(l)) + 3;
  const badNumber = good.map((l, i) => (i === dataAt ? l.replace(/\d\.\d+E/, 'x.yzE') : l)).join('\n');
  assert.throws(
    () => parseFeffDat(badNumber, 'bad.dat'),
    (e: Error) => e instanceof XasInputError && e.message.includes(`bad.dat:${dataAt + 1}`),
  );
  const sixCols = good
    .map((l, i) => (i === dataAt ? l.trim().split(/\s+/).slice(0, 6).join(' ') : l))
    .join('\n');
  assert.throws(() => parseFeffDat(sixCols, 'cols.dat'), /7 columns/);
  const truncated = good
    .slice(
      0,
      good.findIndex((l) => /real\[p\]/.test(l)),
    )
    .join('\n');
  assert.throws(() => parseFeffDat(truncated, 'short.dat'), /no data block/);
  const missingAtom = good.filter((_, i) => i !== good.findIndex((l) => /absorbing atom/.test(l))).join('\n');
  assert.throws(() => parseFeffDat(missingAtom, 'atoms.dat'), /path atoms listed for nleg/);
  assert.throws(() => readFeffDat('data/xafs/feff/nope.dat'), XasInputError);
});

test('paths.dat, files.dat, list.dat, feff.inp and chi.dat readers', () => {
  const paths = readPathsDat(`${FE}/paths.dat`);
  const files = readFilesDat(`${FE}/files.dat`);
  const list = readListDat(`${FE}/list.dat`);
  assert.equal(paths[0].nleg, 2);
  assert.equal(paths[0].degeneracy, 8);
  assert.equal(paths[0].atoms[1].ipot, 0);
  assert.equal(files[0].name, 'feff0001.dat');
  assert.equal(files[0].reffAngstrom, 2.4855);
  assert.equal(list[1].degeneracy, 6);
  // every listed file reproduces its paths.dat entry
  for (const f of files) {
    const p = readFeffDat(`${FE}/${f.name}`);
    assert.equal(p.degeneracy, f.degeneracy);
    assert.equal(p.nleg, f.nleg);
  }
  const inp = readFeffInp(`${FE}/feff.inp`);
  assert.deepEqual(inp.cards.get('CONTROL'), ['1', '1', '1', '1', '1', '1']);
  assert.equal(inp.potentials.length, 2);
  assert.equal(inp.atoms[0].ipot, 0);
  assert.equal(inp.atoms.length, 65);
  const round = parseFeffInp(formatFeffInp(inp));
  assert.equal(round.atoms.length, inp.atoms.length);
  assert.ok(Math.abs(round.atoms[5].x - inp.atoms[5].x) < 1e-6);
  const reparsed = parsePathsDat(formatPathsDat(paths));
  assert.deepEqual(
    reparsed[3].atoms.map((a) => a.ipot),
    paths[3].atoms.map((a) => a.ipot),
  );
  const chi = readFeffChi(`${FE}/chi.dat`);
  assert.equal(chi.k.length, chi.chi.length);
  assert.ok(chi.k.length > 300);
});

test('feff.inp and paths.dat errors name the line', () => {
  assert.throws(
    () => parseFeffInp('POTENTIALS\n 0 26 Fe\nATOMS\n 0 0 0 0\n 1.4 1.4 1.4 2\n', 'x.inp'),
    /ipot 2/,
  );
  assert.throws(
    () => parseFeffInp('ATOMS\n 0 0 zero 0\n', 'y.inp'),
    (e: Error) => e.message.startsWith('y.inp:2'),
  );
  assert.throws(
    () => parsePathsDat(" t\n ------------\n 1 2 1.0\n x y z\n 0 0 2.5 1 'Fe'\n 1 1 1 1 'Fe'\n", 'p.dat'),
    /does not end at the absorber/,
  );
});
