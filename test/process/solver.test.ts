/**
 * The AUTOBK solvers and the linear model behind them: the exact solver never ends above Larch's
 * objective, the shared (cached) design equals a freshly built one, and the fast chi basis (the
 * background B-spline evaluated on the k grid) equals the general one (each basis spline re-interpolated
 * through the measured k points, as Larch's UnivariateSpline does).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDesign, chiBasisFromKnots } from '../../src/process/autobk-design.js';
import { solveAutobkLarch } from '../../src/process/autobk-larch-fit.js';
import { autobkProblem, generalChiBasis, larchStartCoefs } from '../../src/process/autobk-prepare.js';
import { autobk, clearDesignCache } from '../../src/process/index.js';
import { type Fx, loadLarchFixture, maxAbs, maxAbsDiff, relToMax } from './larch-fixture.js';

const fx = loadLarchFixture();
const main: Fx[] = fx.spectra.filter((s: Fx) => !s.stress);

describe('AUTOBK solvers', () => {
  it("the exact solver's objective is never above Larch's", () => {
    let worstGain = 0;
    for (const s of main) {
      const o = { e0: s.pre_edge.e0, edge_step: s.pre_edge.edge_step };
      const exact = autobk(s.energy, s.mu, { ...o, solver: 'exact' });
      assert.ok(
        exact.details.chisqr <= s.autobk.chisqr * (1 + 1e-9),
        `${s.id}: ${exact.details.chisqr} > ${s.autobk.chisqr}`,
      );
      worstGain = Math.max(worstGain, 1 - exact.details.chisqr / s.autobk.chisqr);
      assert.ok(exact.chi.every(Number.isFinite));
    }
    console.log(
      `largest objective reduction of the exact solver over Larch: ${(100 * worstGain).toFixed(3)} %`,
    );
  });

  it('a cached design gives bit-identical results', () => {
    const s = main[0];
    const o = { e0: s.pre_edge.e0, edge_step: s.pre_edge.edge_step };
    clearDesignCache();
    const a = autobk(s.energy, s.mu, o);
    const b = autobk(s.energy, s.mu, o);
    assert.ok(a.details.sharedDesign);
    assert.equal(maxAbsDiff(a.chi, b.chi), 0);
    assert.equal(maxAbsDiff(a.deltaChi!, b.deltaChi!), 0);
  });

  it('the fast chi basis equals the re-interpolated one', () => {
    for (const s of main.slice(0, 6)) {
      const p = autobkProblem(s.energy, s.mu, { e0: s.pre_edge.e0, edge_step: s.pre_edge.edge_step });
      const { knots, kout, kr, nspl, ftwin } = p.pr;
      assert.ok(p.pr.fastPath, s.id);
      const fast = chiBasisFromKnots(knots, kout);
      const general = generalChiBasis(knots, kr, kout, nspl);
      let worst = 0;
      for (let m = 0; m < kout.length; m++) {
        for (let j = 0; j < nspl; j++) {
          const r = j - fast.first[m];
          const fv = r >= 0 && r < 4 ? fast.values[m * 4 + r] : 0;
          worst = Math.max(worst, Math.abs(fv - general.values[m * nspl + j]));
        }
      }
      assert.ok(worst < 1e-10, `${s.id}: ${worst}`);
      const irb = p.design.nrows / 2;
      const dGeneral = buildDesign(general, ftwin, irb, p.pr.p.nfft, p.pr.p.kstep);
      assert.ok(relToMax(dGeneral.m, p.design.m) < 1e-10);
      const c0 = larchStartCoefs(p.pr);
      const a = solveAutobkLarch(p.design, p.a, p.clamps, c0);
      const b = solveAutobkLarch(dGeneral, p.a, p.clamps, c0);
      assert.ok(maxAbsDiff(a.coefs, b.coefs) < 1e-8 * maxAbs(a.coefs), s.id);
    }
  });
});

describe('autobk on its own (Larch autobk without a prior pre_edge)', () => {
  for (const c of fx.autobk_direct as Fx[]) {
    it(c.id, () => {
      const s = fx.spectra.find((x: Fx) => x.id === c.spectrum);
      const r = autobk(s.energy, s.mu, c.params);
      assert.equal(r.e0, c.e0);
      assert.ok(Math.abs(r.edgeStep / c.edge_step - 1) < 1e-12);
      assert.equal(maxAbsDiff(r.k, c.k), 0);
      assert.ok(relToMax(r.chi, c.chi) < 1e-9, `chi ${relToMax(r.chi, c.chi)}`);
      assert.ok(maxAbsDiff(r.bkg, c.bkg) < 1e-9 * r.edgeStep);
      assert.ok(relToMax(r.deltaChi!, c.delta_chi) < 1e-6);
      assert.equal(r.details.iterations, c.nfev);
    });
  }
});
