import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { kWeightedRFactor } from '../../src/exafs/kernels/config-check.js';
import { loadShippedKernels } from '../../src/exafs/kernels/load.js';
import { chiOfConfiguration } from '../../src/exafs/model/chi-config.js';
import { readExtendedXyz } from '../../src/structure/xyz.js';

// FEFF's own chi.dat for the static fcc clusters (tools/exafs/feff-cluster-fixtures.ts, NLEG 4):
// chiAll = FEFF's full path list, chi23 = the same without four-body paths (the paths the two- and
// three-body kernels represent), chi2 = single scattering + double return only.
for (const el of ['ni', 'cu']) {
  test(`χ(k) of the static fcc ${el === 'ni' ? 'Ni' : 'Cu'} cluster from kernels equals FEFF's chi.dat`, () => {
    const fx = JSON.parse(readFileSync(`test/fixtures/exafs/feff-cluster-${el}.json`, 'utf8'));
    const atoms = readExtendedXyz(`test/fixtures/exafs/fcc-${el}-cluster.xyz`)[0];
    const kernels = loadShippedKernels(el === 'ni' ? 'Ni' : 'Cu');
    const k = Float64Array.from(fx.k as number[]);
    const res = chiOfConfiguration(atoms, kernels, {
      kGrid: k,
      pairCutoff: fx.rmaxAngstrom,
      reffMax: fx.rmaxAngstrom,
      triangleCutoff: 3.0,
    });
    // same path set as FEFF: 54 pairs within RMAX; 66 vertex and 84 chain-end first-shell triangles
    assert.equal(res.info.pairs, 54);
    assert.equal(res.info.trianglesVertex, 66);
    assert.equal(res.info.trianglesEnd, 84);
    for (const kw of [1, 2, 3]) {
      const r2 = kWeightedRFactor(k, res.chi2body, fx.chi2, 3, 16, kw);
      const r23 = kWeightedRFactor(k, res.chi, fx.chi23, 3, 16, kw);
      const rAll = kWeightedRFactor(k, res.chi, fx.chiAll, 3, 16, kw);
      assert.ok(r2 <= 1e-3, `two-body R(k^${kw}) = ${r2}`);
      assert.ok(r23 <= 0.01, `two+three-body R(k^${kw}) = ${r23}`);
      // FEFF's full list adds a few weak four-body paths at 2·R1
      assert.ok(rAll <= 0.01, `vs FEFF's full path list R(k^${kw}) = ${rAll}`);
    }
  });
}
