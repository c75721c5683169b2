/**
 * PCA against Larch 0.9.58 pca_train / pca_fit (fixture by tools/xanes/larch_pca_fixtures.py): the
 * 16 ParSeq Cu references and the Au L3 set. Eigenvalues, variances, IND and nsig, mean and
 * components (up to sign), and pca_fit χ² / scale / weights of the unknowns and of references
 * (target transformation).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pcaFit, pcaTrain, targetTransform } from '../../src/xanes/pca.js';
import { auCurve, cuMixCurves, type Fx, fixture, maxAbsDiff } from './helpers.js';

const fx = fixture('pca_larch.json');
const lcf = fixture('lcf_cu_mix.json');

function checkModel(name: string, m: ReturnType<typeof pcaTrain>, L: Fx, ncheck: number): void {
  assert.equal(m.x.length, L.x.length, `${name}: grid`);
  assert.ok(maxAbsDiff(m.x, L.x) === 0);
  assert.ok(maxAbsDiff(m.mean, L.mean) < 1e-12);
  for (let k = 0; k < ncheck; k++) {
    assert.ok(
      Math.abs(m.eigenvalues[k] - L.eigenvalues[k]) < 1e-9 * L.eigenvalues[0],
      `${name}: eigenvalue ${k}`,
    );
    assert.ok(Math.abs(m.variances[k] - L.variances[k]) < 1e-11, `${name}: variance ${k}`);
    const c = m.components[k];
    const lc = L.components[k];
    let dot = 0;
    for (let i = 0; i < c.length; i++) dot += c[i] * lc[i];
    const sign = Math.sign(dot);
    const scale = Math.max(...lc.map(Math.abs));
    assert.ok(
      maxAbsDiff(
        c.map((v) => sign * v),
        lc,
      ) <
        1e-9 * scale,
      `${name}: component ${k}`,
    );
  }
  assert.ok(maxAbsDiff(m.ind.slice(0, ncheck), L.ind.slice(0, ncheck)) < 1e-9 * L.ind[0], `${name}: IND`);
  assert.equal(m.nsig, L.nsig, `${name}: nsig`);
}

function checkFits(
  name: string,
  m: ReturnType<typeof pcaTrain>,
  fits: Fx[],
  curve: (l: string) => Fx,
  maxComps: number,
): void {
  for (const f of fits.filter((x: Fx) => x.ncomps <= maxComps)) {
    const r = pcaFit(curve(f.label), m, f.ncomps, f.rescale);
    const what = `${name} ${f.label} n=${f.ncomps} rescale=${f.rescale}`;
    // Larch refines the scale by lmfit to 1e-5 tolerance; the exact optimum is at most that far
    assert.ok(Math.abs(r.scale - f.scale) < 1e-6, `${what}: scale ${r.scale} vs ${f.scale}`);
    assert.ok(r.chiSquare <= f.chi_square * (1 + 1e-9), `${what}: χ² ${r.chiSquare} vs ${f.chi_square}`);
    assert.ok(Math.abs(r.chiSquare - f.chi_square) < 1e-6 * f.chi_square, `${what}: χ²`);
    // weights are in the components' sign convention: compare magnitudes against Larch's
    f.weights.forEach((w: number, k: number) => {
      assert.ok(
        Math.abs(Math.abs(r.weights[k]) - Math.abs(w)) < 1e-4 * (Math.abs(w) + 0.01),
        `${what}: weight ${k}`,
      );
    });
  }
}

test('Cu references: pca_train and pca_fit match Larch', async () => {
  const curves = await cuMixCurves(lcf.file, lcf.columns.slice(1));
  const F = fx.cu;
  const m = pcaTrain(
    F.references.map((n: string) => curves.get(n)),
    { xmin: F.xmin, xmax: F.xmax },
  );
  checkModel('cu', m, F.model, 6);
  checkFits('cu', m, F.fits, (l) => curves.get(l), 8);
  const tt = targetTransform([curves.get('cu2o_ave2') as Fx, curves.get('cu-foil_ave5') as Fx], m, 5);
  assert.equal(tt.length, 2);
  assert.ok(tt.every((t) => t.rfactor > 0 && t.rfactor < 0.01));
  // the F-test and IND both find a handful of significant components for 16 distinct compounds
  assert.ok(m.nsigF >= 1 && m.nsigF <= m.nsig + 2);
});

test('Au L3: pca_train and pca_fit match Larch', async () => {
  const F = fx.au;
  const refs = await Promise.all(F.refs.map((p: string) => auCurve(p)));
  const unknown = await auCurve(F.unknown);
  const m = pcaTrain(refs, { xmin: F.xmin, xmax: F.xmax });
  checkModel('au', m, F.model, 5);
  checkFits('au', m, F.fits, () => unknown, 4);
});
