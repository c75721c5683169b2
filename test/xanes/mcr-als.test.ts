/**
 * MCR-ALS on a simulated reduction series (CuO → Cu2O → Cu, 21 spectra mixed from the measured LISA
 * references, noise σ = 0.004): with closure and non-negativity it recovers the concentration
 * profiles and the component spectra; PCA of the same series finds three components.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { readSpectrum } from '../../src/io/index.js';
import { buildLibrary } from '../../src/xanes/library.js';
import { mcrAls } from '../../src/xanes/mcr-als.js';
import { pcaTrain } from '../../src/xanes/pca.js';
import { SyntheticGenerator } from '../../src/xanes/synthetic.js';
import { defaultSyntheticConfig, noiseOnlyConfig } from '../../src/xanes/synthetic-config.js';

test('MCR-ALS resolves a three-component series', async () => {
  const dir = 'data/xanes_refs/lisa_esrf_cu/';
  const names = ['CuO_111.xdi', 'Cu2O_111.xdi', 'Cu_foil_111.xdi'];
  const inputs = [];
  for (const f of names) inputs.push({ spectrum: await readSpectrum(dir + f), name: f });
  void readdirSync;
  const lib = buildLibrary(inputs);
  const gen = new SyntheticGenerator(lib, noiseOnlyConfig(defaultSyntheticConfig({ components: [1, 3] })));
  const rng = new Rng(9);
  const truth: number[][] = [];
  const data: Float64Array[] = [];
  for (let t = 0; t <= 20; t++) {
    const x = t / 20;
    // CuO decays, Cu2O rises then falls, Cu appears late
    const a = Math.max(0, 1 - 2 * x);
    const c = Math.max(0, 2 * x - 1);
    const f = [a, 1 - a - c, c];
    truth.push(f);
    const sample = { ...gen.drawSample(rng), components: [0, 1, 2], fractions: f, snr: 250 };
    const y = gen.render(sample);
    gen.addNoise(y, sample, rng);
    data.push(y);
  }
  const r = mcrAls(data, { components: 3 });
  assert.ok(r.converged, 'converged');
  assert.ok(r.lackOfFitPercent < 1, `lack of fit ${r.lackOfFitPercent} %`);
  assert.deepEqual(
    [...(r.initialFrom ?? [])].sort((p, q) => p - q),
    [0, 10, 20],
  );
  // match each resolved component to the reference it correlates with best
  const refsOnGrid = names.map((_, j) =>
    gen.render({
      ...gen.drawSample(new Rng(1)),
      components: [j],
      fractions: [0, 1, 2].map((q) => (q === j ? 1 : 0)),
      shiftEv: 0,
      broadeningFwhmEv: 0,
      stepScale: 0,
      postSlope: 0,
      preOffset: 0,
      preSlope: 0,
      selfAbsorptionBeta: null,
      thickness: null,
    }),
  );
  const match = r.spectra.map((s) => {
    let best = 0;
    let bestD = Infinity;
    refsOnGrid.forEach((ref, j) => {
      let d = 0;
      for (let i = 0; i < ref.length; i++) d += (ref[i] - s[i]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    });
    assert.ok(Math.sqrt(bestD / s.length) < 0.03, `component spectrum rms ${Math.sqrt(bestD / s.length)}`);
    return best;
  });
  assert.deepEqual([...match].sort(), [0, 1, 2]);
  let maxErr = 0;
  r.concentrations.forEach((c, t) => {
    match.forEach((j, q) => {
      maxErr = Math.max(maxErr, Math.abs(c[q] - truth[t][j]));
    });
    assert.ok(Math.abs(c.reduce((s, v) => s + v, 0) - 1) < 1e-9);
  });
  assert.ok(maxErr < 0.05, `largest concentration error ${maxErr}`);
  const e = gen.energyEv;
  const pca = pcaTrain(data.map((y, i) => ({ label: `t${i}`, energyEv: e, y })));
  assert.ok(pca.variances[0] + pca.variances[1] > 0.95);
  assert.throws(() => mcrAls(data, { components: 30 }), /components/);
});
