/**
 * Learning test on a physical mapping: a 5-member k-fold ensemble (the NN-EXAFS protocol: 15 %
 * held-out test set, validation rotated over 5 folds, early stopping) learns first-shell Cu EXAFS
 * k²χ(k) → (R, σ²) from FEFF amplitudes and phases (exafs-shell.ts). Required: RMSE below 0.003 Å
 * for R and 5e-4 Å² for σ² on fresh in-range spectra (typically 0.001 Å and 1.5e-4 Å²), and an
 * ensemble spread at least 3× larger for spectra outside the training range (R 2.8–3.0 Å,
 * σ² 0.02–0.03 Å²) than inside it (typically 10×).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mlpSpec, NnModel } from '../../src/nn/index.js';
import { K_GRID, shellSpectra } from './exafs-shell.js';

const R_RANGE: [number, number] = [2.45, 2.65];
const S2_RANGE: [number, number] = [0.003, 0.015];

function rmse(pred: Float32Array, y: Float32Array, j: number): number {
  let s = 0;
  for (let i = j; i < y.length; i += 2) s += (pred[i] - y[i]) ** 2;
  return Math.sqrt(s / (y.length / 2));
}

function meanSpread(spread: Float32Array, j: number): number {
  let s = 0;
  for (let i = j; i < spread.length; i += 2) s += spread[i];
  return s / (spread.length / 2);
}

test('k-fold ensemble learns χ(k) → (R, σ²) and is more uncertain out of range', async () => {
  const train = shellSpectra(1500, 11, R_RANGE, S2_RANGE);
  const model = new NnModel(
    mlpSpec({ features: K_GRID.length, hidden: [64, 64], heads: [{ name: 'shell', units: 2, loss: 'mse' }] }),
  );
  const report = await model.fit(
    train.x,
    { shell: train.y },
    {
      seed: 3,
      folds: 5,
      testFraction: 0.15,
      epochs: 60,
      batchSize: 32,
      optimizer: { lr: 2e-3 },
      earlyStopping: { patience: 8 },
    },
  );
  assert.equal(model.members.length, 5);
  assert.equal(report.testIndices.length, 225);
  assert.ok(report.test && report.test.shell.r2 > 0.99, `test R² ${report.test?.shell.r2}`);
  for (const m of report.training.members) {
    assert.equal(m.trainSamples + m.validationSamples, 1275);
    assert.ok(m.bestEpoch >= 1 && m.bestEpoch <= m.epochsRun);
  }

  const fresh = shellSpectra(300, 99, R_RANGE, S2_RANGE);
  const p = model.predict(fresh.x);
  const rmseR = rmse(p.shell.mean, fresh.y, 0);
  const rmseS2 = rmse(p.shell.mean, fresh.y, 1);
  assert.ok(rmseR < 0.003, `R RMSE ${rmseR} Å`);
  assert.ok(rmseS2 < 5e-4, `σ² RMSE ${rmseS2} Å²`);

  const outside = shellSpectra(300, 98, [2.8, 3.0], [0.02, 0.03]);
  const po = model.predict(outside.x);
  for (const j of [0, 1]) {
    const inside = meanSpread(p.shell.spread, j);
    const out = meanSpread(po.shell.spread, j);
    assert.ok(out > 3 * inside, `output ${j}: spread out of range ${out} vs in range ${inside}`);
  }
});
