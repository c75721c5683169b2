import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { ETOK } from '../../src/exafs/constants.js';
import { kWeightedRFactor } from '../../src/exafs/kernels/config-check.js';
import { loadShippedKernels } from '../../src/exafs/kernels/load.js';
import { chiOfConfiguration } from '../../src/exafs/model/chi-config.js';
import { chiFromHistograms, neighbourhoodHistograms } from '../../src/exafs/model/histograms.js';
import type { Atoms } from '../../src/structure/atoms.js';
import { buildLattice, randomDisplace } from '../../src/structure/lattice.js';
import { readExtendedXyz } from '../../src/structure/xyz.js';

const ni = loadShippedKernels('Ni');
const cluster = readExtendedXyz('test/fixtures/exafs/fcc-ni-cluster.xyz')[0];
const box = () => buildLattice({ structure: 'fcc', aAngstrom: 3.524, cells: [4, 4, 4], element: 'Ni' });

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
function maxAbs(a: Float64Array): number {
  return a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

test('a perfect periodic fcc box averaged over all absorbers equals the cluster around one atom', () => {
  const opts = { pairCutoff: 6, triangleCutoff: 3.0 };
  const c = chiOfConfiguration(cluster, ni, opts);
  const p = chiOfConfiguration(box(), ni, { ...opts, periodic: true });
  assert.equal(p.info.pairAbsorbers, 256);
  assert.equal(p.info.tripletAbsorbers, 256);
  assert.equal(p.info.pairs / 256, c.info.pairs);
  assert.equal(p.info.trianglesEnd / 256, c.info.trianglesEnd);
  // the cluster file has 6-decimal coordinates
  assert.ok(maxAbsDiff(c.chi2body, p.chi2body) < 1e-7 * maxAbs(c.chi2body));
  assert.ok(maxAbsDiff(c.chi3body, p.chi3body) < 1e-7 * maxAbs(c.chi3body));
  assert.ok(p.chi3bodyStdErr.every((v) => v === 0));
});

test('S0² scales, ΔE shifts k → sqrt(k² − ETOK·ΔE), below threshold χ = 0', () => {
  const k = Float64Array.from({ length: 200 }, (_, i) => 0.5 + 0.07 * i);
  const base = chiOfConfiguration(cluster, ni, { kGrid: k, pairCutoff: 5 });
  const s = chiOfConfiguration(cluster, ni, { kGrid: k, pairCutoff: 5, s02: 0.8 });
  assert.ok(
    maxAbsDiff(
      s.chi,
      Float64Array.from(base.chi, (v) => 0.8 * v),
    ) < 1e-12,
  );
  const dE = 7.5;
  const shifted = chiOfConfiguration(cluster, ni, { kGrid: k, pairCutoff: 5, deltaEEv: dE });
  const valid = [...k].map((v) => v * v - ETOK * dE > 1e-6);
  const q = Float64Array.from(
    k.filter((_, i) => valid[i]),
    (v) => Math.sqrt(v * v - ETOK * dE),
  );
  const atQ = chiOfConfiguration(cluster, ni, { kGrid: q, pairCutoff: 5 });
  const sub = Float64Array.from(shifted.chi.filter((_, i) => valid[i]));
  assert.ok(maxAbsDiff(sub, atQ.chi) < 1e-12 * maxAbs(atQ.chi) + 1e-15);
  assert.ok(shifted.chi.every((v, i) => valid[i] || v === 0));
  assert.ok(valid.some((v) => !v));
});

test('three-body sampling is seeded and its reported standard error covers the sampling noise', () => {
  const atoms = box();
  randomDisplace(atoms, 0.07, new Rng(3));
  const all = chiOfConfiguration(atoms, ni, { periodic: true, pairCutoff: 5 });
  const a = chiOfConfiguration(atoms, ni, { periodic: true, pairCutoff: 5, tripletSample: 48, seed: 9 });
  const b = chiOfConfiguration(atoms, ni, { periodic: true, pairCutoff: 5, tripletSample: 48, seed: 9 });
  assert.deepEqual(a.chi3body, b.chi3body);
  assert.equal(a.info.tripletAbsorbers, 48);
  assert.deepEqual(a.chi2body, all.chi2body);
  let d2 = 0;
  let e2 = 0;
  for (let i = 0; i < a.k.length; i++) {
    if (a.k[i] < 3 || a.k[i] > 16) continue;
    d2 += (a.chi3body[i] - all.chi3body[i]) ** 2;
    e2 += a.chi3bodyStdErr[i] ** 2;
  }
  const ratio = Math.sqrt(d2 / e2);
  assert.ok(e2 > 0 && ratio > 0.2 && ratio < 3, `actual/reported noise = ${ratio}`);
});

test('the histogram route reproduces the per-atom route', () => {
  const atoms = box();
  randomDisplace(atoms, 0.06, new Rng(5));
  const exact = chiOfConfiguration(atoms, ni, { periodic: true, pairCutoff: 6 });
  const hist = neighbourhoodHistograms(atoms, ni, { periodic: true, pairCutoff: 6 });
  const viaHist = chiFromHistograms(ni, hist);
  assert.ok(kWeightedRFactor(exact.k, viaHist.chi2body, exact.chi2body) < 1e-4);
  assert.ok(kWeightedRFactor(exact.k, viaHist.chi3body, exact.chi3body) < 1e-3);
  assert.ok(kWeightedRFactor(exact.k, viaHist.chi, exact.chi) < 2e-4);
});

test('bad configurations and settings give clear errors, never extrapolation', () => {
  const close: Atoms = {
    positions: Float64Array.from([0, 0, 0, 1.2, 0, 0, 0, 2.5, 0]),
    species: ['Ni', 'Ni', 'Ni'],
    boxAngstrom: [1, 1, 1],
    pbc: [false, false, false],
    info: {},
  };
  assert.throws(
    () => chiOfConfiguration(close, ni),
    /atoms 0 and 1 1\.2000 Å apart is outside the kernel table/,
  );
  const oxide = {
    ...close,
    positions: Float64Array.from([0, 0, 0, 2.1, 0, 0, 0, 2.5, 0]),
    species: ['Ni', 'O', 'Ni'],
  };
  assert.throws(() => chiOfConfiguration(oxide, ni), /no kernel table for the pair Ni–O/);
  assert.throws(
    () => chiOfConfiguration(cluster, ni, { pairCutoff: 9 }),
    /pair cutoff 9 Å is beyond the kernel tables/,
  );
  assert.throws(
    () => chiOfConfiguration(cluster, ni, { triangleCutoff: 3.8 }),
    /triangle cutoff 3.8 Å is beyond/,
  );
  assert.throws(
    () => chiOfConfiguration(box(), ni, { periodic: true, pairCutoff: 7.5 }),
    /exceeds half the periodic box/,
  );
  assert.throws(
    () => chiOfConfiguration(cluster, loadShippedKernels('Cu')),
    /no kernel table for the pair Cu–Ni/,
  );
  assert.throws(() => chiOfConfiguration(cluster, ni, { absorbers: [500] }), /absorber index 500/);
  assert.throws(
    () => chiOfConfiguration(cluster, ni, { kGrid: Float64Array.from([0, 10, 20.5]) }),
    /beyond their range/,
  );
  // a chain-end triangle squeezed below the table's shortest side
  const squeezed: Atoms = {
    ...close,
    positions: Float64Array.from([0, 0, 0, 2.4, 0, 0, 4.2, 0.3, 0]),
  };
  assert.throws(
    () => chiOfConfiguration(squeezed, ni),
    /triangle of atoms 0, 1, 2 .* is outside the kernel table/,
  );
});
