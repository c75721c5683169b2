/**
 * The Bayesian posterior of one synthetic spectrum of known composition (three measured Cu
 * references, noise σ = 0.004, calibration shift +0.6 eV): the credible intervals cover the true
 * fractions, shift and noise; fractions stay on the simplex; diagnostics are reported; the same seed
 * gives the same answer.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { readSpectrum } from '../../src/io/index.js';
import { buildLibrary } from '../../src/xanes/library.js';
import { samplePosterior } from '../../src/xanes/posterior.js';
import { SyntheticGenerator } from '../../src/xanes/synthetic.js';
import { defaultSyntheticConfig, noiseOnlyConfig } from '../../src/xanes/synthetic-config.js';

test('posterior of a known mixture covers the truth', async () => {
  const dir = 'data/xanes_refs/lisa_esrf_cu/';
  const names = ['Cu2O_111.xdi', 'CuO_111.xdi', 'Cu_foil_111.xdi'];
  const inputs = [];
  for (const f of readdirSync(dir).sort())
    if (names.includes(f)) inputs.push({ spectrum: await readSpectrum(dir + f) });
  const lib = buildLibrary(inputs);
  const gen = new SyntheticGenerator(lib, noiseOnlyConfig(defaultSyntheticConfig({ components: [3, 3] })));
  const truth = [0.5, 0.3, 0.2];
  const sample = {
    ...gen.drawSample(new Rng(1)),
    components: [0, 1, 2],
    fractions: truth,
    shiftEv: 0.6,
    snr: 250,
  };
  const y = gen.render(sample);
  gen.addNoise(y, sample, new Rng(2));
  const refs = lib.references.map((r) => ({ label: r.name, energyEv: r.energyEv, y: r.norm }));
  const model = {
    energyEv: gen.energyEv,
    y,
    refs,
    alpha: Float64Array.of(1, 1, 1),
    shiftPriorSdEv: 1,
    maxShiftEv: 5,
    scalePriorSd: 0.05,
    noise: 'ar1' as const,
  };
  const opts = { seed: 3, steps: 1500, burnIn: 500 };
  const r = samplePosterior(model, opts);
  assert.deepEqual(r.labels, names.slice().sort());
  const byName = new Map(r.labels.map((l, j) => [l, r.fractions[j]]));
  lib.references.forEach((ref, j) => {
    const f = byName.get(ref.name);
    const i95 = f?.intervals.find((q) => q.level === 0.95);
    assert.ok(
      i95 && truth[j] >= i95.lower && truth[j] <= i95.upper,
      `${ref.name}: ${truth[j]} outside [${i95?.lower}, ${i95?.upper}]`,
    );
    assert.ok((f?.sd ?? 1) < 0.05);
  });
  const s95 = r.shiftEv.intervals[2];
  assert.ok(0.6 >= s95.lower && 0.6 <= s95.upper, `shift interval ${s95.lower}..${s95.upper}`);
  assert.ok(Math.abs(r.noiseSigma.mean - 1 / 250) < 0.0015, `noise ${r.noiseSigma.mean}`);
  const k = r.labels.length;
  for (let d = 0; d < r.draws.length / k; d++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += r.draws[d * k + j];
    assert.ok(Math.abs(s - 1) < 1e-12);
  }
  assert.ok(r.diagnostics.meanAcceptance > 0.15 && r.diagnostics.meanAcceptance < 0.7);
  assert.equal(r.diagnostics.autocorrTime.length, r.diagnostics.paramNames.length);
  assert.ok(r.correlation.every((c) => c >= -1 - 1e-9 && c <= 1 + 1e-9));
  const again = samplePosterior(model, opts);
  assert.equal(again.fractions[0].mean, r.fractions[0].mean);
  assert.throws(() => samplePosterior({ ...model, alpha: Float64Array.of(1, 1) }, opts), /Dirichlet prior/);
});
