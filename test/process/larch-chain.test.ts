/**
 * pre_edge + autobk + xftf against Larch 0.9.58 on real spectra (test/fixtures/process, written by
 * tools/process/make-larch-fixtures.py): the agreed tolerances are E0 equal, edge_step within 1e-4
 * relative, norm within 1e-4, χ(k) within 1e-3 of max|χ|, |χ(R)| within 1 % of its maximum. The worst
 * deviations reached are printed at the end (they are many orders of magnitude below the tolerances).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { toJson } from '../../src/core/atomic-write.js';
import { larchNamedOutput, processHistory, processSpectrum } from '../../src/process/index.js';
import { type Fx, loadLarchFixture, maxAbsDiff, relToMax } from './larch-fixture.js';

const fx = loadLarchFixture();
const byId = new Map<string, Fx>(fx.spectra.map((s: Fx) => [s.id, s]));
const worst: Record<string, number> = {};
const note = (k: string, v: number) => {
  worst[k] = Math.max(worst[k] ?? 0, v);
};

interface Case {
  id: string;
  energy: Float64Array;
  mu: Float64Array;
  params: Fx;
  ref: Fx;
}

const cases: Case[] = [
  ...fx.spectra.map((s: Fx) => ({ id: s.id, energy: s.energy, mu: s.mu, params: s.params, ref: s })),
  ...fx.variants.map((v: Fx) => {
    const s = byId.get(v.spectrum);
    return { id: v.id, energy: s.energy, mu: s.mu, params: v.params, ref: v };
  }),
  {
    id: fx.duplicates.id,
    energy: fx.duplicates.energy,
    mu: fx.duplicates.mu,
    params: { pre_edge: {}, autobk: { kweight: 2 } },
    ref: fx.duplicates,
  },
].filter((c) => !c.ref.stress);

describe('processSpectrum reproduces Larch 0.9.58', () => {
  it('covers at least 15 real spectra of Ni, Cu, Fe, Zn and Pt-L3', () => {
    const main = fx.spectra.filter((s: Fx) => !s.stress);
    assert.ok(main.length >= 15, `${main.length} spectra`);
    const elements = new Set(main.map((s: Fx) => `${s.element}-${s.edge}`));
    for (const el of ['Ni-K', 'Cu-K', 'Fe-K', 'Zn-K', 'Pt-L3']) assert.ok(elements.has(el), el);
    assert.ok(main.some((s: Fx) => s.mode === 'fluorescence'));
  });

  for (const c of cases) {
    it(c.id, () => {
      const r = processSpectrum(c.energy, c.mu, {
        pre_edge: c.params.pre_edge,
        autobk: c.params.autobk,
        xftf: c.ref.xftf.params,
      });
      const pe = c.ref.pre_edge;
      // pre_edge (E0 and parameters exactly)
      assert.equal(r.preEdge.e0, pe.e0, 'e0');
      for (const k of ['pre1', 'pre2', 'norm1', 'norm2', 'nnorm', 'nvict'] as const)
        assert.equal(r.preEdge.params[k], pe[k], k);
      const dStep = Math.abs(r.preEdge.edgeStep / pe.edge_step - 1);
      note('edge_step (relative)', dStep);
      assert.ok(dStep < 1e-4, `edge_step ${r.preEdge.edgeStep} vs ${pe.edge_step}`);
      if (pe.norm) {
        const dNorm = maxAbsDiff(r.preEdge.norm, pe.norm);
        const dFlat = maxAbsDiff(r.preEdge.flat, pe.flat);
        note('norm', dNorm);
        note('flat', dFlat);
        assert.ok(dNorm < 1e-4, `norm ${dNorm}`);
        assert.ok(dFlat < 1e-4, `flat ${dFlat}`);
        note(
          'pre_edge, post_edge (/ edge_step)',
          maxAbsDiff(r.preEdge.postEdge, pe.post_edge) / pe.edge_step,
        );
        assert.ok(maxAbsDiff(r.preEdge.preEdge, pe.pre_edge) / pe.edge_step < 1e-6);
        if (c.id !== fx.duplicates.id) assert.ok(relToMax(r.preEdge.dmude, pe.dmude) < 1e-9, 'dmude');
      }
      // autobk
      const ab = c.ref.autobk;
      assert.equal(r.autobk.e0, ab.e0, 'autobk e0');
      assert.equal(r.autobk.details.nspl, ab.nspl, 'nspl');
      assert.equal(r.autobk.details.irbkg, ab.irbkg, 'irbkg');
      assert.ok(maxAbsDiff(r.autobk.details.knotsK, ab.knots_k) === 0, 'knot positions');
      assert.equal(maxAbsDiff(r.autobk.k, ab.k), 0, 'k grid');
      const dChi = relToMax(r.autobk.chi, ab.chi);
      note('chi(k) (/ max|chi|)', dChi);
      assert.ok(dChi < 1e-3, `chi ${dChi}`);
      const dBkg = maxAbsDiff(r.autobk.bkg, ab.bkg) / r.autobk.edgeStep;
      note('bkg (/ edge_step)', dBkg);
      assert.ok(dBkg < 1e-4, `bkg ${dBkg}`);
      if (ab.delta_chi) {
        const dd = relToMax(r.autobk.deltaChi!, ab.delta_chi);
        note('delta_chi (/ max)', dd);
        assert.ok(dd < 1e-3, `delta_chi ${dd}`);
        assert.ok(relToMax(r.autobk.deltaBkg!, ab.delta_bkg) < 1e-3, 'delta_bkg');
      } else {
        assert.equal(r.autobk.deltaChi, undefined);
      }
      assert.equal(r.autobk.details.iterations, ab.nfev, 'function evaluations (Larch nfev)');
      // xftf
      const ft = c.ref.xftf;
      assert.equal(r.xftf.r.length, ft.nr);
      const dMag = relToMax(r.xftf.chirMag, ft.chir_mag);
      note('|chi(R)| (/ max)', dMag);
      assert.ok(dMag < 1e-2, `chir_mag ${dMag}`);
      const scale = Math.max(...ft.chir_mag);
      note(
        'Re, Im chi(R) (/ max|chi(R)|)',
        Math.max(maxAbsDiff(r.xftf.chirRe, ft.chir_re), maxAbsDiff(r.xftf.chirIm, ft.chir_im)) / scale,
      );
      assert.ok(maxAbsDiff(r.xftf.kwin, ft.kwin) < 1e-12, 'kwin');
    });
  }

  after(() => {
    console.log(`worst deviation from Larch over ${cases.length} cases:`);
    for (const [k, v] of Object.entries(worst)) console.log(`  ${k.padEnd(36)} ${v.toExponential(2)}`);
  });
});

describe('chain outputs', () => {
  it('resolved parameters, Larch-named arrays and history serialise to JSON', () => {
    const s = fx.spectra[0];
    const r = processSpectrum(s.energy, s.mu, { xftf: s.xftf.params });
    const out = larchNamedOutput(r);
    const back = JSON.parse(toJson(out));
    for (const k of [
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
      assert.ok(k in back, k);
    }
    assert.equal(back.chi.length, r.autobk.chi.length);
    assert.equal(back.params.pre_edge.pre1, s.pre_edge.pre1);
    assert.equal(back.params.autobk.rbkg, 1);
    assert.equal(back.params.autobk.win, 'hanning');
    assert.equal(back.params.xftf.window, 'hanning');
    const h = processHistory(r);
    assert.deepEqual(
      h.map((e) => e.step),
      ['pre_edge', 'autobk', 'xftf'],
    );
    assert.equal(h[0].params.e0, s.pre_edge.e0);
  });
});
