/**
 * Larch 0.9.58's helpers reproduced: remove_dups, sort_xafs, interp, merge_groups, rebin_xafs,
 * remove_spikes (silx and pandas variants), estimate_noise, the XAS Viewer energy alignment,
 * Student-t quantiles (scipy) and the k ↔ E constant.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alignSpectra,
  ETOK,
  estimateNoise,
  findE0,
  KTOE,
  larchInterp,
  medianFilter,
  mergeGroups,
  rebinXafs,
  removeDups,
  removeSpikes,
  sortXafs,
} from '../../src/process/index.js';
import { studentTPpf } from '../../src/process/stats.js';
import { type Fx, loadLarchFixture, maxAbsDiff, relToMax } from './larch-fixture.js';

const fx = loadLarchFixture();

describe('constants and small helpers', () => {
  it('KTOE and ETOK are bit-identical to Larch', () => {
    assert.equal(KTOE, fx.ktoe);
    assert.equal(ETOK, fx.etok);
  });
  it('remove_dups', () => {
    for (const c of fx.remove_dups) assert.equal(maxAbsDiff(removeDups(c.x), c.out), 0);
    assert.equal(maxAbsDiff(removeDups(fx.duplicates.energy), fx.duplicates.energy_dedup), 0);
    assert.equal(maxAbsDiff(removeDups(fx.duplicates.energy_rounded), fx.duplicates.energy_rounded_dedup), 0);
  });
  it('sort_xafs', () => {
    const r = sortXafs(fx.sort.energy, fx.sort.mu);
    assert.equal(maxAbsDiff(r.energyEv, fx.sort.out_energy), 0);
    assert.equal(maxAbsDiff(r.mu, fx.sort.out_mu), 0);
  });
  it('find_e0', () => {
    for (const s of fx.spectra) assert.equal(findE0(s.energy, s.mu), s.find_e0, s.id);
  });
  it('interp (linear and cubic, with extrapolation)', () => {
    for (const c of fx.interp)
      assert.ok(relToMax(larchInterp(c.x, c.y, c.xnew, c.kind), c.out) < 1e-13, c.kind);
  });
  it('Student-t quantiles agree with scipy to its own accuracy', () => {
    for (const c of fx.student_t) {
      const v = studentTPpf(c.p, c.df);
      assert.ok(
        Math.abs(v - c.ppf) <= 1e-8 * Math.max(1, Math.abs(c.ppf)),
        `p ${c.p} df ${c.df}: ${v} vs ${c.ppf}`,
      );
    }
  });
});

describe('merge_groups', () => {
  for (const c of fx.merge.cases as Fx[]) {
    it(`${c.scans} ×${c.n} ${JSON.stringify(c.params)}`, () => {
      const scans = (c.scans === 'ni' ? fx.merge.scans : fx.merge.fe_scans)
        .slice(0, c.n)
        .map((s: Fx) => ({ energyEv: s.energy, mu: s.mu }));
      const r = mergeGroups(scans, c.params);
      assert.equal(maxAbsDiff(r.energyEv, c.energy), 0);
      assert.ok(relToMax(r.mu, c.mu) < 1e-12);
      assert.ok(maxAbsDiff(r.muStd, c.mu_std) < 1e-9 * Math.max(...c.mu));
    });
  }
});

describe('rebin_xafs', () => {
  for (const c of fx.rebin.cases as Fx[]) {
    it(`${c.spectrum} ${JSON.stringify(c.params)}`, () => {
      const inp = fx.rebin.inputs[c.spectrum];
      const r = rebinXafs(inp.energy, inp.mu, { e0: c.e0, ...c.params });
      assert.equal(maxAbsDiff(r.energyEv, c.out_energy), 0);
      assert.ok(relToMax(r.mu, c.out_mu) < 1e-13);
      for (let i = 0; i < r.deltaMu.length; i++) {
        if (Number.isNaN(c.out_delta_mu[i]))
          assert.equal(r.deltaMu[i], 0, 'a bin without points has spread 0 (Larch: NaN)');
        else assert.ok(Math.abs(r.deltaMu[i] - c.out_delta_mu[i]) < 1e-12);
      }
      assert.ok(r.deltaMu.every(Number.isFinite));
    });
  }
});

describe('remove_spikes', () => {
  it('silx median filter (plain and conditional, with ties)', () => {
    for (const c of fx.deglitch.medfilt)
      assert.equal(maxAbsDiff(medianFilter(c.y, c.kernel_size, c.conditional), c.out), 0);
  });
  for (const c of fx.deglitch.cases as Fx[]) {
    it(`${c.spectrum} ${c.method} ${JSON.stringify(c.params)}`, () => {
      const r = removeSpikes(c.spiky, {
        method: c.method === 'pandas' ? 'sigma' : 'medfilt',
        kernel_size: c.params.kernel_size ?? c.params.window,
        threshold: c.params.threshold,
      });
      assert.equal(maxAbsDiff(r.y, c.out), 0);
      if (c.method === 'medfilt')
        assert.deepEqual(
          [...r.replaced].sort((a, b) => a - b),
          [...c.spike_index].sort((a: number, b: number) => a - b),
        );
    });
  }
});

describe('estimate_noise', () => {
  for (const c of fx.estimate_noise as Fx[]) {
    it(`${c.spectrum} ${JSON.stringify(c.params)}`, () => {
      const r = estimateNoise(c.k, c.chi, c.params);
      assert.ok(Math.abs(r.epsilonK / c.epsilon_k - 1) < 1e-12);
      assert.ok(Math.abs(r.epsilonR / c.epsilon_r - 1) < 1e-12);
      assert.equal(r.kmaxSuggest, c.kmax_suggest);
    });
  }
});

describe('energy alignment (XAS Viewer algorithm)', () => {
  for (const c of fx.align as Fx[]) {
    it(c.name, () => {
      const r = alignSpectra(c.ref_energy, c.ref_mu, c.energy, c.mu);
      assert.equal(r.e0, c.dat_e0);
      assert.equal(r.refE0, c.ref_e0);
      assert.equal(r.i1, c.i1);
      assert.equal(r.i2, c.i2);
      assert.ok(Math.abs(r.eshift - c.eshift) < 1e-3, `eshift ${r.eshift} vs ${c.eshift}`);
      assert.ok(Math.abs(r.scale - c.scale) < 1e-3, `scale ${r.scale} vs ${c.scale}`);
      assert.ok(r.chisqr <= c.chisqr * (1 + 1e-6));
    });
  }
  it('recovers a known shift with the cross-correlation start', () => {
    const c = fx.align[1];
    const far = Float64Array.from(c.energy, (e: number) => e + 12);
    const r = alignSpectra(c.ref_energy, c.ref_mu, far, c.mu, { xcorr: true });
    assert.ok(Math.abs(r.eshift - (c.eshift - 12)) < 1e-3, `${r.eshift} vs ${c.eshift - 12}`);
  });
});
