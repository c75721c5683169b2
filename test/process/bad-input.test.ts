/**
 * Bad input gets an XasInputError naming the parameter and what was expected, never NaN output.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XasInputError } from '../../src/core/errors.js';
import {
  autobk,
  findE0,
  ftwindow,
  mergeGroups,
  preEdge,
  processSpectrum,
  rebinXafs,
  removeSpikes,
  xftf,
  xftr,
} from '../../src/process/index.js';
import { type Fx, loadLarchFixture } from './larch-fixture.js';

const fx = loadLarchFixture();
const s: Fx = fx.spectra.find((x: Fx) => x.id === 'cu_10k');
const e: Float64Array = s.energy;
const mu: Float64Array = s.mu;

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof XasInputError, `expected XasInputError, got ${String(err)}`);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('bad input to the processing chain', () => {
  it('empty arrays', () => {
    rejects(
      () => preEdge(new Float64Array(0), new Float64Array(0)),
      /energyEv has 0 points.*expected at least/,
    );
    rejects(() => processSpectrum([], []), /energyEv has 0 points/);
  });
  it('length mismatch', () =>
    rejects(() => preEdge(e, mu.subarray(1)), /energyEv has 612 points but mu has 611/));
  it('NaN and Inf', () => {
    const bad = new Float64Array(mu);
    bad[100] = Number.NaN;
    rejects(() => processSpectrum(e, bad), /mu\[100\] is NaN.*finite/);
    const badE = new Float64Array(e);
    badE[7] = Number.POSITIVE_INFINITY;
    rejects(() => autobk(badE, mu), /energyEv\[7\] is Infinity/);
  });
  it('too few points', () =>
    rejects(() => preEdge(e.subarray(0, 5), mu.subarray(0, 5)), /has 5 points.*at least 8/));
  it('decreasing energies', () => {
    const rev = new Float64Array(e).reverse();
    rejects(() => preEdge(rev, mu), /decreases at index 1.*sortXafs/);
  });
  it('E0 outside the data', () => {
    rejects(() => preEdge(e, mu, { e0: 5000 }), /field 'e0'.*outside the data/);
    rejects(() => autobk(e, mu, { e0: 20000 }), /e0 = 20000 eV is outside the data/);
  });
  it('a pre-edge range with fewer than 2 points', () => {
    rejects(
      () => preEdge(e, mu, { pre1: -1000, pre2: -990 }),
      /pre-edge range .* fewer than 2 energy points/,
    );
  });
  it('a post-edge range too short for nnorm', () => {
    rejects(
      () => preEdge(e, mu, { norm1: 100, norm2: 101, nnorm: 3 }),
      /post-edge range .* fewer than 4 energy points/,
    );
  });
  it('a spectrum without an edge', () => {
    const flat = new Float64Array(e.length).fill(1.5);
    rejects(() => findE0(e, flat), /no absorption edge found/);
  });
  it('a k range that leaves no data', () => {
    rejects(() => autobk(e, mu, { kmin: 40 }), /kmin = 40 is not below kmax/);
    rejects(() => xftf(s.autobk.k, s.autobk.chi, { kmin: 30, kmax: 40 }), /kmin \(30\) is beyond the data/);
    rejects(() => xftf(s.autobk.k, s.autobk.chi, { kmin: 10, kmax: 5 }), /kmax \(5\) is not above kmin/);
  });
  it('more knots than data points', () => {
    rejects(
      () => autobk(e, mu, { kmax: 1.0, nknots: 60 }),
      /energy points between e0 and kmax|same data point/,
    );
  });
  it('bad FT parameters', () => {
    rejects(() => xftf(s.autobk.k, s.autobk.chi, { window: 'triangle' }), /unknown window 'triangle'/);
    rejects(() => xftf(s.autobk.k, s.autobk.chi, { nfft: 1000 }), /nfft is 1000.*power of two/);
    rejects(() => xftf(s.autobk.k, s.autobk.chi.subarray(2)), /k has \d+ points but chi has/);
    rejects(() => xftr([0, 0.1, 0.2], [1, 2, 3], null, { rmin: 3, rmax: 1 }), /rmax \(1\) is not above rmin/);
    rejects(() => ftwindow([0, 1, 2], { xmin: Number.NaN }), /xmin is NaN/);
  });
  it('other tools', () => {
    rejects(() => mergeGroups([]), /no scans given/);
    rejects(() => rebinXafs(e, mu, {} as never), /field 'e0'/);
    rejects(() => removeSpikes(mu, { kernel_size: 4 }), /kernel_size is 4.*odd/);
    rejects(() => autobk(e, mu, { solver: 'newton' as never }), /solver is 'newton'/);
  });
  it('never returns NaN for the real spectra', () => {
    for (const sp of fx.spectra) {
      const r = processSpectrum(sp.energy, sp.mu, { xftf: sp.xftf.params });
      for (const a of [
        r.preEdge.norm,
        r.preEdge.flat,
        r.autobk.chi,
        r.autobk.bkg,
        r.autobk.deltaChi!,
        r.xftf.chirMag,
      ]) {
        assert.ok(a.every(Number.isFinite), sp.id);
      }
    }
  });
});
