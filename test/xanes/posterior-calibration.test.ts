/**
 * Recalibration of posterior credible intervals: posteriors that are too narrow and biased are
 * recalibrated on one set and reach nominal coverage on another; absent components (true 0) become
 * covered once the lower bound is pushed to 0; settings that differ from the calibrated one are
 * named.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { measureCoverage } from '../../src/xanes/calibration.js';
import {
  fitPosteriorCalibration,
  type PosteriorCalibrationSample,
  recalibratePosteriorIntervals,
  scaledQuantileScore,
  settingMismatch,
} from '../../src/xanes/posterior-calibration.js';

const LEVELS = [0.68, 0.9, 0.95];
const Z = [0.9945, 1.6449, 1.96];
const setting = { steps: 5000, burnIn: 1000, shiftPriorSdEv: 1, maxCandidates: 6 };

/**
 * Overconfident "posteriors": the true spread of the estimate is 3× the stated one, skewed upwards
 * (stated upper half-width 1.5× the lower), and a third of the candidates are absent (truth 0).
 */
function makeSet(n: number, seed: number): PosteriorCalibrationSample[] {
  const rng = new Rng(seed);
  const out: PosteriorCalibrationSample[] = [];
  for (let i = 0; i < n; i++) {
    const truth = rng.uniform() < 1 / 3 ? 0 : 0.05 + 0.9 * rng.uniform();
    const s = 0.01 + 0.02 * rng.uniform();
    const median = Math.min(1, Math.max(0.001, truth + 3 * s * rng.normal()));
    out.push({
      mean: median,
      median,
      truth,
      intervals: LEVELS.map((level, q) => ({
        level,
        lower: Math.max(0, median - Z[q] * s),
        upper: Math.min(1, median + 1.5 * Z[q] * s),
      })),
    });
  }
  return out;
}

test('scaled-quantile recalibration of posterior intervals reaches nominal coverage on new data', () => {
  const cal = fitPosteriorCalibration(makeSet(6000, 1), setting, { seed: 1 });
  assert.equal(cal.method, 'mondrian-split-conformal-scaled-quantiles');
  assert.deepEqual(cal.levels, LEVELS);
  assert.equal(
    cal.counts.reduce((a, b) => a + b, 0),
    6000,
  );
  // where the components are present the factors widen (the stated spread is 3× too small) and
  // grow with the level; below 0.02 most candidates are absent and already reach 0 (factor 1)
  cal.factors.slice(2).forEach((f) => {
    assert.ok(f[0] > 1.5 && f[0] < f[1] && f[1] < f[2], `factors ${f}`);
  });
  assert.ok(
    cal.factors[0].every((f) => f >= 1 && f < 1.5),
    `factors below 0.02: ${cal.factors[0]}`,
  );
  const fresh = makeSet(6000, 2);
  const raw = fresh.map((s) => s.intervals);
  const truth = fresh.map((s) => s.truth);
  const before = measureCoverage(raw, truth);
  assert.ok(before.all[1] < 0.6, `uncalibrated 90 % coverage ${before.all[1]}`);
  const iv = fresh.map((s) => recalibratePosteriorIntervals(cal, s.mean, s.median, s.intervals));
  const after = measureCoverage(iv, truth);
  // conformal coverage is at least nominal; absent components tie at score 1 (their intervals
  // already reach 0), which makes the all-fractions coverage conservative by a few percent
  after.levels.forEach((level, q) => {
    assert.ok(
      after.all[q] > level - 0.015 && after.all[q] < level + 0.06,
      `coverage at ${level}: ${after.all[q]}`,
    );
    assert.ok(Math.abs(after.present[q] - level) < 0.03, `present coverage at ${level}: ${after.present[q]}`);
  });
  for (const v of iv.flat()) assert.ok(v.lower >= 0 && v.upper <= 1 && v.lower <= v.upper);
});

test('scores, clipping and refused inputs', () => {
  const iv = { level: 0.9, lower: 0.25, upper: 0.625 };
  assert.equal(scaledQuantileScore(0.5, iv, 0), 2);
  assert.equal(scaledQuantileScore(0.5, iv, 0.75), 2);
  assert.equal(scaledQuantileScore(0.5, iv, 0.5), 0);
  const fitted = fitPosteriorCalibration(makeSet(300, 3), setting, {});
  const cal = { ...fitted, factors: fitted.factors.map(() => [3, 4, 5]) };
  const r = recalibratePosteriorIntervals(cal, 0.01, 0.01, [
    { level: 0.68, lower: 0.005, upper: 0.02 },
    { level: 0.9, lower: 0.003, upper: 0.03 },
    { level: 0.95, lower: 0.002, upper: 0.04 },
  ]);
  assert.ok(
    r.every((x) => x.lower === 0),
    'a small fraction reaches 0 once widened',
  );
  assert.throws(() => fitPosteriorCalibration([], setting, {}), /no calibration samples/);
  assert.throws(
    () => recalibratePosteriorIntervals(cal, 0.5, 0.5, [{ level: 0.9, lower: 0.4, upper: 0.6 }]),
    /has no 0.68 interval/,
  );
});

test('a run whose setting differs from the calibrated one is named', () => {
  const cal = fitPosteriorCalibration(makeSet(300, 4), setting, {});
  const base = { ...setting, prior: false, explicitCandidates: false };
  assert.equal(settingMismatch(cal, base), null);
  assert.equal(settingMismatch(cal, { ...base, steps: 8000 }), null);
  assert.match(settingMismatch(cal, { ...base, prior: true }) ?? '', /flat prior/);
  assert.match(settingMismatch(cal, { ...base, explicitCandidates: true }) ?? '', /screened/);
  assert.match(settingMismatch(cal, { ...base, steps: 800 }) ?? '', /shorter MCMC/);
  assert.match(settingMismatch(cal, { ...base, shiftPriorSdEv: 2 }) ?? '', /shift prior/);
});
