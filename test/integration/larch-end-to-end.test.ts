/**
 * End to end against Larch 0.9.58: our readers give exactly the arrays Larch processed (the
 * fixture written by tools/process/make-larch-fixtures.py stores them), and the whole chain run
 * from the file (read → pre_edge → autobk → xftf) meets the tolerances: E0 equal,
 * edge_step 1e-4 relative, norm 1e-4, χ(k) 1e-3 of max|χ|, |χ(R)| 1 % of its maximum.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSpectrum } from '../../src/io/index.js';
import { processSpectrum } from '../../src/process/index.js';
import { type Fx, loadLarchFixture, maxAbsDiff, relToMax } from '../process/larch-fixture.js';

/** How each fixture spectrum is read from data/ with our reader (file, record, μ choice). */
const SOURCES: Record<string, { file: string; record?: string; mu?: string }> = {
  cu_10k: { file: 'data/xafs/cu_10k.xmu' },
  cu_50k: { file: 'data/xafs/cu_50k.xmu' },
  cu_150k: { file: 'data/xafs/cu_150k.xmu' },
  cu_rt01: { file: 'data/xafs/cu_rt01.xmu' },
  cu_romanglass_fluo: { file: 'data/xafs/cu_romanglass.xdi', mu: 'ifluor/i0' },
  cu2s_13k: { file: 'data/xafs/cu2s_13k_ifeffit.xmu' },
  cu_qas: { file: 'data/xafs/xasref_nsls/Cu_foil_K.dat' },
  fe_060_raw: { file: 'data/xafs/fe.060' },
  fe_foil_raw: { file: 'data/xafs/xasdatalib/Fe_Foil_rt_2016Foils.xdi', mu: 'ln(i0/itrans)' },
  fe2o3: { file: 'data/xafs/fe2o3_rt1.xmu' },
  feo: { file: 'data/xafs/feo_rt1.xdi', mu: 'mutrans' },
  ni_metal_raw: { file: 'data/xafs/xasdatalib/Ni_metal_rt_01.xdi', mu: 'ln(i0/itrans)' },
  ni_metal: { file: 'data/xafs/ni_metal_rt.xdi', mu: 'mutrans' },
  nis_raw: { file: 'data/xafs/xasdatalib/NiS_rt_01.xdi', mu: 'ln(i0/itrans)' },
  ni_athena: { file: 'data/xafs/xasref_nsls/Nifoil.prj', record: 'Ni_foil_x18b' },
  zn_raw: { file: 'data/xafs/znse_zn_xafs.001' },
  zn_foil_raw: { file: 'data/xafs/xasdatalib/Zn_foil.xdi', mu: 'ln(i0/itrans)' },
  pt_metal_raw: { file: 'data/xafs/pt_metal_rt.xdi', mu: 'ln(i0/itrans)' },
  pt_foil_lisa: { file: 'data/xafs/lisa_esrf/Pt_foil_L3_311.xdi', mu: 'mutrans' },
  pt_athena_20k: { file: 'data/xafs/larch_prj/PtData.prj', record: 'd_10wt__20K' },
};

describe('files → xasflow chain equals Larch', () => {
  const fx = loadLarchFixture();
  const regular = fx.spectra.filter((s: Fx) => !s.stress && SOURCES[s.id]);
  it('covers at least 15 real spectra of Ni, Cu, Fe, Zn and Pt', () => {
    assert.ok(regular.length >= 15, `only ${regular.length}`);
    const elements = new Set(regular.map((s: Fx) => s.element));
    for (const el of ['Ni', 'Cu', 'Fe', 'Zn', 'Pt']) assert.ok(elements.has(el), el);
  });
  for (const s of regular) {
    it(`${s.id} (${s.source})`, async () => {
      const src = SOURCES[s.id];
      const sp = await readSpectrum(src.file, { record: src.record, ...(src.mu ? { mu: src.mu } : {}) });
      assert.equal(sp.energyEv.length, s.energy.length, 'points read');
      // We apply Athena's stored energy shift (bkg_eshift); Larch 0.9.58's read_athena ignores it
      // (docs/io.md). Undo it to feed Larch's input.
      const shift = sp.meta.energyShiftEv ?? 0;
      const energy = sp.energyEv.map((e) => e - shift);
      assert.ok(maxAbsDiff(energy, s.energy) <= 1e-9, 'energy as Larch read it');
      assert.ok(
        maxAbsDiff(sp.mu, s.mu) <= 1e-12 * Math.max(1, Math.abs(s.pre_edge.edge_step)),
        'μ as Larch had it',
      );
      const r = processSpectrum(energy, sp.mu, { xftf: s.xftf.params });
      assert.equal(r.e0, s.pre_edge.e0, 'e0');
      assert.ok(Math.abs(r.edgeStep / s.pre_edge.edge_step - 1) <= 1e-4, 'edge_step');
      assert.ok(maxAbsDiff(r.preEdge.norm, s.pre_edge.norm) <= 1e-4, 'norm');
      assert.ok(relToMax(r.autobk.chi, s.autobk.chi) <= 1e-3, 'chi');
      assert.ok(relToMax(r.xftf.chirMag, s.xftf.chir_mag) <= 1e-2, 'chir_mag');
    });
  }
});
