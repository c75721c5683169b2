/**
 * Reference library: the 17 measured LISA Cu K references normalised with one set of ranges,
 * metadata read from their XDI headers, saved and reloaded as one file; bad input (different edges,
 * different grids, a spectrum outside the references, a singular reference set) gives clear errors
 * or warnings.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { XasInputError } from '../../src/core/errors.js';
import { readSpectrum } from '../../src/io/index.js';
import { preEdge } from '../../src/process/pre-edge.js';
import type { Curve } from '../../src/xanes/fit-matrix.js';
import { interpCubic } from '../../src/xanes/interp.js';
import { lincomboFit } from '../../src/xanes/lcf.js';
import { buildLibrary } from '../../src/xanes/library.js';
import { loadLibrary, saveLibrary } from '../../src/xanes/library-file.js';
import { parseOxidationState } from '../../src/xanes/reference-meta.js';
import { auCurve, cuMixCurves, fixture } from './helpers.js';

const DIR = 'data/xanes_refs/lisa_esrf_cu/';

async function lisaInputs() {
  const out = [];
  for (const f of readdirSync(DIR).sort()) out.push({ spectrum: await readSpectrum(DIR + f) });
  return out;
}

test('library of the 17 LISA Cu references: common normalisation, metadata, save and reload', async () => {
  const lib = buildLibrary(await lisaInputs());
  assert.equal(lib.references.length, 17);
  assert.equal(lib.element, 'Cu');
  assert.equal(lib.edge, 'K');
  assert.equal(lib.edgeEnergyEv, 8979);
  const n = lib.normalization;
  assert.ok(n && n.pre1 !== undefined && n.norm2 !== undefined);
  for (const r of lib.references) {
    // the same ranges (relative to E0) for every reference, covered by every reference
    assert.equal(r.preEdge?.pre1, n.pre1);
    assert.equal(r.preEdge?.norm2, n.norm2);
    assert.ok(r.energyEv[0] <= r.e0 + (n.pre1 as number));
    // and the normalisation is Larch's pre_edge with those ranges
    const direct = preEdge(r.energyEv, (await readSpectrum(r.file as string)).mu, n);
    assert.ok(Math.abs(direct.edgeStep - r.edgeStep) < 1e-12 * r.edgeStep);
    const post = r.norm.filter((_, i) => r.energyEv[i] > r.e0 + 100 && r.energyEv[i] < r.e0 + 200);
    const avg = post.reduce((s, v) => s + v, 0) / post.length;
    assert.ok(Math.abs(avg - 1) < 0.15, `${r.name}: post-edge norm ${avg}`);
  }
  const cuo = lib.references.find((r) => r.name === 'CuO_111.xdi');
  assert.equal(cuo?.meta.species, 'CuO');
  assert.equal(cuo?.meta.oxidationState, 2);
  assert.equal(lib.references.find((r) => r.name === 'Cu_foil_111.xdi')?.meta.oxidationState, 0);
  assert.equal(lib.references.find((r) => r.name === 'CuSO4_2mM_111.xdi')?.meta.phase, 'aqueous solution');
  // the grids differ (0.25 to 0.5 eV near the edge): a warning says so
  assert.ok(lib.warnings.some((w) => /different energy grids/.test(w)));
  const dir = mkdtempSync(join(tmpdir(), 'xanes-lib-'));
  try {
    const path = join(dir, 'lib.json');
    saveLibrary(path, lib);
    const back = loadLibrary(path);
    assert.equal(back.references.length, 17);
    back.references.forEach((r, i) => {
      const o = lib.references[i];
      assert.equal(r.name, o.name);
      assert.deepEqual(Array.from(r.norm), Array.from(o.norm));
      assert.deepEqual(Array.from(r.energyEv), Array.from(o.energyEv));
      assert.deepEqual(r.meta, o.meta);
    });
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({
        format: 'xasflow-xanes-library',
        version: 1,
        references: [{ name: 'x', energyEv: [1, 2, 3], norm: [1, 'a', 3] }],
      }),
    );
    assert.throws(() => loadLibrary(join(dir, 'bad.json')), /reference 'x': 'norm'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('aligning the references by their reference channels shifts them by less than a grid step', async () => {
  const lib = buildLibrary(await lisaInputs(), { align: 'reference-channel', alignTo: 'Cu2O_111.xdi' });
  assert.equal(lib.alignment.standard, 'Cu2O_111.xdi');
  const shifts = lib.references.map((r) => r.energyShiftEv);
  assert.ok(shifts.every((s) => Math.abs(s) < 1));
  assert.ok(shifts.some((s) => s !== 0));
  // references without a reference channel are named in a warning
  assert.ok(lib.warnings.some((w) => /CuCO3_111.xdi' has no reference channel/.test(w)));
});

test('oxidation states from sample names', () => {
  assert.equal(parseOxidationState('Copper(II) oxide'), 2);
  assert.equal(parseOxidationState('Iron(III) chloride'), 3);
  assert.equal(parseOxidationState('Fe3+ in glass'), 3);
  assert.equal(parseOxidationState('Cu metal foil'), 0);
  assert.equal(parseOxidationState('Azurite mineral'), undefined);
});

test('bad input: references on different edges', async () => {
  const cu = await readSpectrum(`${DIR}CuO_111.xdi`);
  const fe = await readSpectrum('data/xafs/fe3c_rt.xdi');
  assert.throws(
    () => buildLibrary([{ spectrum: cu }, { spectrum: fe }]),
    (e: Error) => e instanceof XasInputError && /different edges/.test(e.message),
  );
  // without declared edges, the E0 distance gives it away
  const feAnon = { ...fe, meta: { ...fe.meta, element: undefined, edge: undefined } };
  const cuAnon = { ...cu, meta: { ...cu.meta, element: undefined, edge: undefined } };
  assert.throws(
    () => buildLibrary([{ spectrum: cuAnon }, { spectrum: cuAnon, name: 'copy' }, { spectrum: feAnon }]),
    /edge at .* eV from the others/,
  );
});

test('bad input: a spectrum outside the references, a singular set, nearly identical references, coarse grids', async () => {
  const au = fixture('lcf_au_l3.json');
  const unknown = await auCurve(au.files.unknown);
  const refs: Curve[] = await Promise.all(au.files.refs.map((p: string) => auCurve(p)));
  // fit range beyond the references' data
  const short = refs.map((r) => ({ ...r, energyEv: r.energyEv.slice(0, 150), y: r.y.slice(0, 150) }));
  assert.throws(
    () => lincomboFit(unknown, short, { xmin: 11870, xmax: 12030 }),
    /outside the references' energy range/,
  );
  // extrapolation is possible on request, with a warning
  const r = lincomboFit(unknown, short, { xmin: 11870, xmax: 12030, allowExtrapolation: true });
  assert.ok(r.warnings.some((w) => /extrapolated/.test(w)));
  // a fit range outside the spectrum
  assert.throws(() => lincomboFit(unknown, refs, { xmin: 13000, xmax: 13100 }), /outside the spectrum/);
  // a reference that is an exact combination of two others
  const r1 = {
    ...refs[1],
    energyEv: refs[0].energyEv,
    y: interpCubic(refs[1].energyEv, refs[1].y, refs[0].energyEv),
  };
  const combo = {
    label: 'combo',
    energyEv: refs[0].energyEv,
    y: refs[0].y.map((v, i) => 0.3 * v + 0.7 * r1.y[i]),
  };
  assert.throws(
    () => lincomboFit(unknown, [refs[0], r1, combo], { xmin: 11870, xmax: 12030 }),
    /singular reference set: 'combo'/,
  );
  assert.throws(
    () => lincomboFit(unknown, [refs[0], { ...refs[0], label: 'dup' }], { xmin: 11870, xmax: 12030 }),
    /singular reference set/,
  );
  // two foils measured twice (ParSeq's cu-foil_ave1/_ave5): fitted, with a warning
  const cu = fixture('lcf_cu_mix.json');
  const curves = await cuMixCurves(cu.file, cu.columns.slice(1));
  const w = lincomboFit(
    curves.get('mix1') as never,
    [curves.get('cu-foil_ave1'), curves.get('cu-foil_ave5'), curves.get('cuo_ave2')] as never,
    { xmin: 8850, xmax: 9100 },
  );
  assert.ok(w.warnings.some((m) => /differ by only .* their weights cannot be separated/.test(m)));
  // a reference much coarser than the spectrum
  const coarse = {
    ...refs[2],
    energyEv: refs[2].energyEv.filter((_, i) => i % 6 === 0),
    y: refs[2].y.filter((_, i) => i % 6 === 0),
  };
  const c = lincomboFit(unknown, [refs[0], refs[1], coarse], { xmin: 11870, xmax: 12030 });
  assert.ok(c.warnings.some((m) => /coarser than the spectrum/.test(m)));
  // empty bounds, impossible sum
  assert.throws(
    () => lincomboFit(unknown, refs, { xmin: 11870, xmax: 12030, minWeights: 0.5, maxWeights: 1 }),
    /cannot sum to 1/,
  );
});
