import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XasInputError } from '../../src/core/errors.js';
import { readFeffDat } from '../../src/exafs/feff/dat.js';
import { kWeightedRFactor } from '../../src/exafs/kernels/config-check.js';
import { decodeKernelSet, encodeKernelSet } from '../../src/exafs/kernels/format.js';
import { type TrianglePathType, trianglePathReff, triangleSides } from '../../src/exafs/kernels/geometry.js';
import { newNodeWeights, pairWeights, triangleWeights } from '../../src/exafs/kernels/interp.js';
import { loadShippedKernels, readKernelSet, shippedKernelPath } from '../../src/exafs/kernels/load.js';
import { makeSignalContext, SignalBins } from '../../src/exafs/model/signal-bins.js';
import { defaultPathKGrid, pathChi } from '../../src/exafs/path-equation.js';

test('shipped Ni K and Cu K tables load, with provenance and their FEFF check', () => {
  for (const [el, nn] of [
    ['Ni', 2.4918],
    ['Cu', 2.5562],
  ] as const) {
    const set = loadShippedKernels(el);
    assert.equal(set.absorber, el);
    assert.equal(set.kNodes.length, 59);
    assert.ok(set.defaultTriangleCutoff > nn && set.defaultTriangleCutoff < nn * Math.SQRT2);
    assert.equal(set.pairs.length, 1);
    assert.deepEqual(set.triangles.map((t) => t.role).sort(), ['E', 'V']);
    const v = set.provenance.validation as { configurations: { rFactorTotal: number }[] };
    assert.ok(v.configurations.length > 0 && v.configurations.every((c) => c.rFactorTotal < 1e-3));
  }
  assert.throws(() => loadShippedKernels('Zn'), /no shipped EXAFS kernel tables for Zn K/);
});

test('table file round trip keeps amplitudes to the quantisation step; V tables are mirror symmetric', () => {
  const set = readKernelSet(shippedKernelPath('Ni'), false);
  const again = decodeKernelSet(encodeKernelSet(set, 3), 'roundtrip');
  const nk = set.kNodes.length;
  for (const [a, b] of [
    [set.pairs[0].amplitudes[0], again.pairs[0].amplitudes[0]],
    [set.triangles[1].amplitudes[2], again.triangles[1].amplitudes[2]],
  ]) {
    for (let node = 0; node < a.length / (2 * nk); node++) {
      let m = 0;
      let d = 0;
      for (let i = 0; i < 2 * nk; i++) {
        m = Math.max(m, Math.abs(a[node * 2 * nk + i]));
        d = Math.max(d, Math.abs(a[node * 2 * nk + i] - b[node * 2 * nk + i]));
      }
      assert.ok(d <= 2e-5 * m + 1e-12, `node ${node}: ${d} vs ${m}`);
    }
  }
  const v = set.triangles.find((t) => t.role === 'V')!;
  const n2 = v.r2.count;
  const np = v.phiDeg.count;
  const at = (i1: number, i2: number, ip: number) => ((i1 * n2 + i2) * np + ip) * nk * 2;
  const t2 = v.amplitudes[v.pathTypes.indexOf('T2')];
  const t3 = v.amplitudes[v.pathTypes.indexOf('T3')];
  assert.equal(t2[at(5, 2, 7) + 40], t3[at(2, 5, 7) + 40]);
  assert.throws(() => decodeKernelSet(Buffer.from('not a table'), 'junk.xkt'), XasInputError);
  assert.throws(() => readKernelSet('kernels/missing.xkt'), XasInputError);
});

test('kernel paths reproduce FEFF path files of the reference cluster through Larch’s equation', () => {
  const set = loadShippedKernels('Ni');
  const ctx = makeSignalContext(set);
  const w = newNodeWeights();
  const cases: {
    file: string;
    kind: 'SS' | TrianglePathType;
    role?: 'V' | 'E';
    geom: [number, number, number];
  }[] = [
    { file: 'feff0001.dat', kind: 'SS', geom: [2.4918, 0, 0] },
    { file: 'feff0003.dat', kind: 'D', role: 'V', geom: [2.4918, 2.4918, 60] },
    { file: 'feff0011.dat', kind: 'D', role: 'E', geom: [2.4918, 2.4918, 180] },
    { file: 'feff0015.dat', kind: 'T2', role: 'E', geom: [2.4918, 2.4918, 180] },
  ];
  for (const c of cases) {
    const path = readFeffDat(`test/fixtures/exafs/ni-paths/${c.file}`);
    const k = defaultPathKGrid(path, 0.05, 18);
    const ref = pathChi(path, k).chi;
    const bins = new SignalBins(ctx, 12);
    const [a, b, phi] = c.geom;
    if (c.kind === 'SS') {
      pairWeights(set.pairs[0], a, w);
      bins.depositInterpolated(set.pairs[0].amplitudes[0], w, a, path.degeneracy);
    } else {
      const t = set.triangles.find((x) => x.role === c.role)!;
      assert.ok(triangleWeights(t, a, b, phi, w));
      const reff = trianglePathReff(c.kind, triangleSides(c.role!, a, b, phi));
      assert.ok(Math.abs(reff - path.reffAngstrom) < 1e-3);
      bins.depositInterpolated(t.amplitudes[t.pathTypes.indexOf(c.kind)], w, reff, path.degeneracy);
    }
    const ours = bins.render(k, 1, 0);
    // Weak multiple-scattering paths with deep amplitude minima on FEFF's coarse k grid (1 Å⁻¹ steps
    // above k = 10) interpolate differently as complex numbers (here) and as amplitude and phase
    // (Larch); for feff0003.dat Larch itself differs from FEFF's own chi by R = 1e-3.
    const r = kWeightedRFactor(k, ours, ref);
    assert.ok(r < (c.kind === 'SS' ? 2e-4 : 5e-3), `${c.file}: R = ${r}`);
  }
});
