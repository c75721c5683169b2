/** Fourier-transform windows, xftf and xftr against Larch 0.9.58 (all window shapes, nfft, kstep, R-weight). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalWindow, ftwindow, WINDOW_NAMES, xftf, xftr } from '../../src/process/index.js';
import { type Fx, loadLarchFixture, maxAbsDiff, relToMax } from './larch-fixture.js';

const fx = loadLarchFixture();

describe('ftwindow', () => {
  it('matches Larch for every window and parameter set', () => {
    const seen = new Set<string>();
    for (const c of fx.ftwindow.cases) {
      const w = ftwindow(fx.ftwindow.x, {
        xmin: c.xmin,
        xmax: c.xmax,
        dx: c.dx,
        dx2: c.dx2 ?? undefined,
        window: c.window,
      });
      assert.ok(maxAbsDiff(w, c.win) < 1e-12, `${c.window} ${c.xmin}-${c.xmax} dx ${c.dx}`);
      seen.add(c.window);
    }
    for (const n of WINDOW_NAMES) assert.ok(seen.has(n), n);
  });
  it('recognises names as Larch does (first three letters, any case)', () => {
    assert.equal(canonicalWindow('Kaiser-Bessel'), 'kaiser');
    assert.equal(canonicalWindow(' HANNING '), 'hanning');
    assert.throws(() => canonicalWindow('boxcar'), /unknown window 'boxcar'/);
  });
});

describe('xftf', () => {
  for (const c of fx.xft.xftf as Fx[]) {
    it(JSON.stringify(c.params), () => {
      const r = xftf(fx.xft.k, fx.xft.chi, c.params);
      assert.equal(r.r.length, c.r.length);
      assert.equal(maxAbsDiff(r.r, c.r), 0);
      assert.ok(relToMax(r.chirMag, c.chir_mag) < 1e-12);
      assert.ok(relToMax(r.chirRe, c.chir_re) < 1e-12);
      assert.ok(relToMax(r.chirIm, c.chir_im) < 1e-12);
      assert.ok(maxAbsDiff(r.chirPha, c.chir_pha) < 1e-9);
      assert.ok(maxAbsDiff(r.kwin, c.kwin) < 1e-12);
    });
  }
});

describe('xftr', () => {
  for (const c of fx.xft.xftr as Fx[]) {
    it(`${JSON.stringify(c.params)} after ${JSON.stringify(c.forward)}`, () => {
      const f = xftf(fx.xft.k, fx.xft.chi, c.forward);
      const r = xftr(f.r, f.chirRe, f.chirIm, c.params);
      assert.equal(maxAbsDiff(r.q, c.q), 0);
      assert.ok(relToMax(r.chiqMag, c.chiq_mag) < 1e-12);
      assert.ok(relToMax(r.chiqRe, c.chiq_re) < 1e-12);
      assert.ok(relToMax(r.chiqIm, c.chiq_im) < 1e-12);
      assert.ok(maxAbsDiff(r.rwin, c.rwin) < 1e-12);
      if (c.chiq_pha) assert.ok(maxAbsDiff(r.chiqPha, c.chiq_pha) < 1e-9);
    });
  }
  it('treats a real chi(R) without the factor 1/2', () => {
    const c = fx.xft.xftr_real;
    const r = xftr(c.r, c.chir_re, null, c.params);
    assert.ok(relToMax(r.chiqMag, c.chiq_mag) < 1e-12);
  });
});
