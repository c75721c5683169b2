/**
 * The shipped Cu K composition network (models/xanes-cu-k, trained once by
 * tools/xanes/train-cnn.ts): it reproduces the validation metrics recorded in its description on
 * the same seeded hold-out set (fractions MAE ≤ 0.02, calibrated 90 % intervals covering 87–93 %),
 * recognises independently measured references (other beamlines and temperatures), and the full
 * prediction (network + prior + MCMC posterior) runs on a measured spectrum; the posterior's
 * recalibration applies to the setting it was fitted for.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSpectrum } from '../../src/io/index.js';
import { XanesCnn } from '../../src/xanes/cnn.js';
import { loadLibrary } from '../../src/xanes/library-file.js';
import { predictComposition } from '../../src/xanes/predict.js';
import { prepareSpectrum } from '../../src/xanes/spectrum-input.js';
import { SyntheticGenerator } from '../../src/xanes/synthetic.js';
import { noiseOnlyConfig } from '../../src/xanes/synthetic-config.js';
import { evaluateCnn, type FractionMetrics } from '../../src/xanes/train-pipeline.js';

const DIR = 'models/xanes-cu-k';
const cnn = XanesCnn.load(DIR);
const lib = loadLibrary(`${DIR}/library.json`);

test('the shipped network reproduces its recorded validation metrics', () => {
  const v = cnn.meta.validation as {
    seed: number;
    spectra: number;
    metrics: FractionMetrics;
    coverage: { all: number[]; present: number[] };
  };
  assert.equal(cnn.meta.training.members, 5);
  const set = new SyntheticGenerator(lib, cnn.meta.training.config).generate(v.spectra, v.seed);
  const r = evaluateCnn(cnn, set);
  // float32 inference: BLAS kernels may round differently on another machine
  assert.ok(
    Math.abs(r.metrics.maeAll - v.metrics.maeAll) < 2e-5,
    `MAE ${r.metrics.maeAll} vs recorded ${v.metrics.maeAll}`,
  );
  assert.ok(Math.abs(r.metrics.maePresent - v.metrics.maePresent) < 1e-4);
  assert.ok(Math.abs(r.metrics.rmseAll - v.metrics.rmseAll) < 2e-5);
  r.coverage?.all.forEach((c, q) => {
    assert.ok(Math.abs(c - v.coverage.all[q]) < 2e-3, `coverage ${q}`);
  });
  assert.ok(r.metrics.maeAll <= 0.02, `MAE ${r.metrics.maeAll}`);
  const c90 = r.coverage?.all[1] ?? 0;
  assert.ok(c90 >= 0.87 && c90 <= 0.93, `90 % coverage ${c90}`);
});

test('independently measured references are recognised', async () => {
  // other beamlines (NSLS X11A, xasdatalib 13 K series, 2016 foil set) than the LISA training references
  const cases: [string, string[]][] = [
    ['data/xanes_refs/xasdatalib_cu/CuO_tenorite_13K_01.xdi', ['CuO_111.xdi']],
    ['data/xanes_refs/xasdatalib_cu/Cu2S_13K_01.xdi', ['Cu2S_111.xdi', 'Chalcocite-Cu2S_111.xdi']],
    ['data/xanes_refs/xasdatalib_cu/Cu_azurite_13K_01.xdi', ['Azurite_80K_111.xdi']],
    ['data/xanes_refs/xasdatalib_cu/CuS_covellite_13K_01.xdi', ['CuS_111.xdi']],
    ['data/xafs/cu_metal_rt.xdi', ['Cu_foil_111.xdi']],
    ['data/xafs/xasdatalib/Cu_Foil_rt_2016Foils.xdi', ['Cu_foil_111.xdi']],
  ];
  for (const [file, expected] of cases) {
    const sp = prepareSpectrum(await readSpectrum(file), file);
    const p = cnn.predict(cnn.prepare(sp.energyEv, sp.norm, file));
    const best = Math.max(...p.mean);
    const top = cnn.meta.labels[p.mean.indexOf(best)];
    assert.ok(expected.includes(top), `${file}: ${top} (${best.toFixed(2)})`);
    assert.ok(best > 0.6, `${file}: ${top} only ${best.toFixed(2)}`);
  }
});

test('prediction with a prior and the MCMC posterior on a measured spectrum', async () => {
  const file = 'data/xanes_refs/xasdatalib_cu/CuO_tenorite_13K_01.xdi';
  const sp = prepareSpectrum(await readSpectrum(file), file);
  const p = predictComposition(cnn, lib, sp.energyEv, sp.norm, {
    seed: 1,
    steps: 800,
    burnIn: 300,
    prior: { fractions: { 'CuO_111.xdi': 0.6, 'Cu2O_111.xdi': 0.3, 'Cu_foil_111.xdi': 0.1 }, strength: 3 },
  });
  assert.deepEqual(p.candidates, ['CuO_111.xdi', 'Cu2O_111.xdi', 'Cu_foil_111.xdi']);
  const post = p.posterior;
  assert.ok(post);
  const cuo = post.fractions[post.labels.indexOf('CuO_111.xdi')];
  assert.ok(cuo.mean > 0.7, `posterior CuO ${cuo.mean}`);
  assert.ok(p.cnnWithPrior && p.cnnWithPrior[0].mean > 0.6);
  assert.ok(Math.abs(p.cnn.reduce((s, c) => s + c.mean, 0) - 1) < 1e-9);
  assert.throws(
    () => predictComposition(cnn, lib, sp.energyEv.slice(0, 40), sp.norm.slice(0, 40), { seed: 1 }),
    /the network needs/,
  );
});

test('the shipped posterior recalibration applies to the default setting and is refused for others', () => {
  const cal = cnn.meta.posteriorCalibration;
  assert.ok(cal, 'meta.json has a posterior calibration (tools/xanes/calibrate-posterior.ts)');
  assert.equal(cal.method, 'mondrian-split-conformal-scaled-quantiles');
  assert.deepEqual(cal.levels, [0.68, 0.9, 0.95]);
  // the posterior's own intervals under-cover where components are present: the factors widen
  cal.factors.slice(1).forEach((f) => {
    assert.ok(
      f.every((v) => v > 1),
      `factors ${f}`,
    );
  });
  // a network-made spectrum of known composition, so the run is quick and the answer is known
  const set = new SyntheticGenerator(lib, noiseOnlyConfig(cnn.meta.training.config)).generate(1, 4242);
  const y = Float64Array.from(set.x);
  const p = predictComposition(cnn, lib, set.energyEv, y, { seed: 5 });
  assert.ok(p.posteriorCalibrated, p.warnings.join('; '));
  assert.equal(p.posteriorCalibrated.length, cnn.meta.labels.length);
  for (const [j, e] of p.posteriorCalibrated.entries()) {
    assert.equal(e.source, p.candidates.includes(e.name) ? 'posterior' : 'network');
    const raw = p.posterior?.fractions[p.posterior.labels.indexOf(e.name)];
    const i90 = e.intervals[1];
    if (raw) assert.ok(i90.upper - i90.lower >= raw.intervals[1].upper - raw.intervals[1].lower - 1e-12);
    else assert.deepEqual(e.intervals, p.cnn[j].intervals);
  }
  const short = predictComposition(cnn, lib, set.energyEv, y, { seed: 5, steps: 600, burnIn: 200 });
  assert.equal(short.posteriorCalibrated, null);
  assert.ok(short.warnings.some((w) => /not recalibrated: shorter MCMC/.test(w)));
});
