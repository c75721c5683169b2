/**
 * Synthetic spectra from the 17 measured LISA Cu references: seeded and recorded, labels on the
 * simplex, every distortion's effect as its formula says, and noise at the stated SNR.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { before, test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { readSpectrum } from '../../src/io/index.js';
import { interpCubic } from '../../src/xanes/interp.js';
import { buildLibrary, type XanesLibrary } from '../../src/xanes/library.js';
import { SyntheticGenerator, type SyntheticSample } from '../../src/xanes/synthetic.js';
import {
  defaultSyntheticConfig,
  distortionScenarios,
  noiseOnlyConfig,
} from '../../src/xanes/synthetic-config.js';

let lib: XanesLibrary;
before(async () => {
  const dir = 'data/xanes_refs/lisa_esrf_cu/';
  const inputs = [];
  for (const f of readdirSync(dir).sort()) inputs.push({ spectrum: await readSpectrum(dir + f) });
  lib = buildLibrary(inputs);
});

const plain = (over: Partial<SyntheticSample>): SyntheticSample => ({
  components: [2, 10],
  fractions: Array.from({ length: 17 }, (_, j) => (j === 2 ? 0.4 : j === 10 ? 0.6 : 0)),
  shiftEv: 0,
  broadeningFwhmEv: 0,
  snr: 100,
  stepScale: 0,
  postSlope: 0,
  preOffset: 0,
  preSlope: 0,
  selfAbsorptionBeta: null,
  thickness: null,
  ...over,
});

test('seeded sets: reproducible, recorded, fractions on the simplex', () => {
  const cfg = defaultSyntheticConfig();
  const gen = new SyntheticGenerator(lib, cfg);
  const a = gen.generate(200, 42);
  const b = gen.generate(200, 42);
  assert.deepEqual(a.x, b.x);
  assert.deepEqual(a.samples, b.samples);
  assert.equal(a.seed, 42);
  assert.notDeepEqual(gen.generate(5, 43).x, gen.generate(5, 42).x);
  assert.equal(a.energyEv.length, 160);
  assert.equal(a.energyEv[0], 8979 - 20);
  for (let r = 0; r < a.n; r++) {
    const s = a.samples[r];
    assert.ok(s.components.length >= 3 && s.components.length <= 4);
    let sum = 0;
    for (let j = 0; j < 17; j++) sum += a.y[r * 17 + j];
    assert.ok(Math.abs(sum - 1) < 1e-6);
    assert.ok(Math.abs(s.shiftEv) <= 1 && s.broadeningFwhmEv >= 0 && s.broadeningFwhmEv <= 1);
    assert.ok(s.snr >= 100 && s.snr <= 400);
    assert.ok(s.components.every((j) => s.fractions[j] > 0));
  }
  const sa = a.samples.filter((s) => s.selfAbsorptionBeta !== null).length / a.n;
  assert.ok(sa > 0.12 && sa < 0.38, `self-absorption share ${sa}`);
  assert.equal(distortionScenarios(cfg).length, 7);
});

test('distortions follow their formulas', () => {
  const gen = new SyntheticGenerator(lib, defaultSyntheticConfig());
  const e = gen.energyEv;
  const r2 = lib.references[2];
  const r10 = lib.references[10];
  const direct = (shift: number) => {
    const a = interpCubic(
      r2.energyEv,
      r2.norm,
      e.map((v) => v - shift),
    );
    const b = interpCubic(
      r10.energyEv,
      r10.norm,
      e.map((v) => v - shift),
    );
    return a.map((v, i) => 0.4 * v + 0.6 * b[i]);
  };
  const clean = gen.render(plain({}));
  const ref = direct(0);
  // the mixture on the 0.1 eV working grid matches direct interpolation to ~1e-3
  assert.ok(
    clean.every((v, i) => Math.abs(v - ref[i]) < 2e-3),
    'plain mixture',
  );
  const shifted = gen.render(plain({ shiftEv: 0.8 }));
  const refShift = direct(0.8);
  assert.ok(
    shifted.every((v, i) => Math.abs(v - refShift[i]) < 2e-3),
    'shift moves features up by δE',
  );
  const beta = 5;
  const sa = gen.render(plain({ selfAbsorptionBeta: beta }));
  sa.forEach((v, i) => {
    assert.ok(Math.abs(v - (clean[i] * (1 + beta)) / (clean[i] + beta)) < 1e-12);
  });
  const whiteLine = clean.indexOf(Math.max(...clean));
  assert.ok(sa[whiteLine] < clean[whiteLine], 'self-absorption damps the white line');
  const thick = gen.render(plain({ thickness: { edgeJump: 3, leak: 0.03 } }));
  assert.ok(thick[whiteLine] < clean[whiteLine], 'leakage compresses peaks');
  const broad = gen.render(plain({ broadeningFwhmEv: 2 }));
  assert.ok(broad[whiteLine] < clean[whiteLine] - 0.01, 'broadening lowers sharp maxima');
  const norm = gen.render(plain({ stepScale: 0.05, preOffset: 0.01 }));
  norm.forEach((v, i) => {
    assert.ok(Math.abs(v - (clean[i] * 1.05 + 0.01)) < 1e-12);
  });
});

test('noise at the stated signal-to-noise ratio (Gaussian and counting statistics)', () => {
  const cfg = noiseOnlyConfig(defaultSyntheticConfig({ snr: [200, 200] }));
  const gen = new SyntheticGenerator(lib, cfg);
  const s = plain({ snr: 200 });
  const clean = gen.render(s);
  const rng = new Rng(3);
  let ss = 0;
  let n = 0;
  for (let rep = 0; rep < 50; rep++) {
    const y = Float64Array.from(clean);
    gen.addNoise(y, s, rng);
    for (let i = 0; i < y.length; i++) {
      ss += (y[i] - clean[i]) ** 2;
      n++;
    }
  }
  assert.ok(Math.abs(Math.sqrt(ss / n) - 1 / 200) < 0.0002, `σ ${Math.sqrt(ss / n)}`);
  const pgen = new SyntheticGenerator(lib, { ...cfg, noise: 'poisson' });
  let post = 0;
  let np = 0;
  for (let rep = 0; rep < 50; rep++) {
    const y = Float64Array.from(clean);
    pgen.addNoise(y, s, rng);
    for (let i = 0; i < y.length; i++) {
      if (pgen.energyEv[i] > 8979 + 40) {
        post += (y[i] - clean[i]) ** 2;
        np++;
      }
    }
  }
  // post-edge (norm ≈ 1) noise is 1/SNR by construction of the counting rate
  assert.ok(
    Math.abs(Math.sqrt(post / np) * 200 - 1) < 0.1,
    `poisson post-edge σ·SNR ${Math.sqrt(post / np) * 200}`,
  );
});

test('bad settings are refused with the field named', () => {
  assert.throws(
    () => new SyntheticGenerator(lib, defaultSyntheticConfig({ components: [3, 40] })),
    /components/,
  );
  assert.throws(() => new SyntheticGenerator(lib, defaultSyntheticConfig({ snr: [400, 100] })), /snr/);
  assert.throws(
    () =>
      new SyntheticGenerator(
        lib,
        defaultSyntheticConfig({ grid: { startEv: -200, stepEv: 0.5, points: 160 } }),
      ),
    /covers .* the synthetic grid needs/,
  );
  assert.throws(
    () => new SyntheticGenerator(lib, defaultSyntheticConfig({ allowed: ['nope'] })),
    /unknown reference 'nope'/,
  );
});
