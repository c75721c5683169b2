/**
 * A tiny composition network trained from scratch (3 measured Cu references, 1 500 synthetic
 * spectra, one member) must actually learn: its validation error is far below that of always
 * answering the average composition, and its calibrated 90 % intervals cover about 90 %.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { readSpectrum } from '../../src/io/index.js';
import { buildLibrary } from '../../src/xanes/library.js';
import { SyntheticGenerator } from '../../src/xanes/synthetic.js';
import { defaultSyntheticConfig, noiseOnlyConfig } from '../../src/xanes/synthetic-config.js';
import { trainXanesCnn } from '../../src/xanes/train-pipeline.js';

test('a small network learns fractions of three references', async () => {
  const dir = 'data/xanes_refs/lisa_esrf_cu/';
  const names = ['Cu2O_111.xdi', 'CuO_111.xdi', 'Cu_foil_111.xdi'];
  const inputs = [];
  for (const f of readdirSync(dir).sort())
    if (names.includes(f)) inputs.push({ spectrum: await readSpectrum(dir + f) });
  const lib = buildLibrary(inputs);
  const config = {
    ...noiseOnlyConfig(defaultSyntheticConfig({ components: [1, 3] })),
    shiftEv: [-0.5, 0.5] as [number, number],
  };
  const { cnn, validation } = await trainXanesCnn(lib, {
    config,
    trainSpectra: 1500,
    calibrationSpectra: 400,
    validationSpectra: 400,
    seed: 3,
    members: 1,
    epochs: 12,
    width: 4,
    workers: 1,
  });
  // the same validation set (seed + 2), answered by the average composition of the training set
  const val = new SyntheticGenerator(lib, config).generate(400, 5);
  const train = new SyntheticGenerator(lib, config).generate(1500, 3);
  const avg = [0, 1, 2].map((j) => train.samples.reduce((s, x) => s + x.fractions[j], 0) / train.n);
  let base = 0;
  for (let i = 0; i < val.y.length; i++) base += Math.abs(val.y[i] - avg[i % 3]) / val.y.length;
  let mae = 0;
  for (let i = 0; i < val.y.length; i++) mae += Math.abs(validation.pred.mean[i] - val.y[i]) / val.y.length;
  assert.ok(Math.abs(mae - validation.metrics.maeAll) < 1e-12, "recorded metric is the validation set's");
  assert.ok(mae < 0.3 * base, `validation MAE ${mae} vs average-composition baseline ${base}`);
  assert.ok(
    validation.coverage && Math.abs(validation.coverage.all[1] - 0.9) < 0.06,
    `90 % coverage ${validation.coverage?.all[1]}`,
  );
  assert.deepEqual(cnn.meta.labels, names.slice().sort());
});
