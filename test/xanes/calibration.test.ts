/**
 * Interval recalibration: predictions whose σ is wrong by a factor are recalibrated on one set and
 * reach nominal coverage on another; Dirichlet moment matching, conjugate combination with a prior
 * and Beta quantiles.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import {
  betaQuantile,
  calibratedIntervals,
  combineDirichlet,
  dirichletSummary,
  fitIntervalCalibration,
  measureCoverage,
  momentMatchedDirichlet,
} from '../../src/xanes/calibration.js';

/** Values in [0, 1] with predictions whose stated σ is `misstate` times too small. */
function makeSet(n: number, seed: number, misstate: number) {
  const rng = new Rng(seed);
  const mean = new Float64Array(n);
  const sigma = new Float64Array(n);
  const truth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = rng.uniform() < 0.5 ? 0 : rng.uniform();
    const s = 0.005 + 0.03 * rng.uniform();
    truth[i] = t;
    mean[i] = t + s * rng.normal();
    sigma[i] = s / misstate;
  }
  return { mean, sigma, truth };
}

test('split-conformal recalibration reaches nominal coverage on new data', () => {
  const cal = makeSet(20000, 1, 2.5);
  const c = fitIntervalCalibration(cal.mean, cal.sigma, cal.truth);
  assert.deepEqual(c.levels, [0.68, 0.9, 0.95]);
  // σ was 2.5× too small: the 68 % factor is ≈ 2.5 × 0.994 where the noise is Gaussian
  const mid = c.factors[c.binEdges.findIndex((e) => e > 0.5) - 1];
  assert.ok(Math.abs(mid[0] - 2.5 * 0.9945) < 0.2, `68 % factor ${mid[0]}`);
  const test2 = makeSet(20000, 2, 2.5);
  const iv = Array.from(test2.mean, (m, i) => calibratedIntervals(c, m, test2.sigma[i]));
  const cov = measureCoverage(iv, test2.truth);
  cov.levels.forEach((level, q) => {
    assert.ok(Math.abs(cov.all[q] - level) < 0.015, `coverage at ${level}: ${cov.all[q]}`);
    assert.ok(Math.abs(cov.present[q] - level) < 0.02, `present coverage at ${level}: ${cov.present[q]}`);
  });
  // uncalibrated intervals under-cover badly
  const raw = Array.from(test2.mean, (m, i) =>
    [0.68, 0.9, 0.95].map((level, q) => ({
      level,
      lower: m - [0.994, 1.645, 1.96][q] * test2.sigma[i],
      upper: m + [0.994, 1.645, 1.96][q] * test2.sigma[i],
    })),
  );
  assert.ok(measureCoverage(raw, test2.truth).all[1] < 0.7);
});

test('Dirichlet helpers: moment matching, conjugate product, Beta quantiles', () => {
  const alpha = Float64Array.of(6, 3, 1);
  const s = dirichletSummary(alpha);
  const back = momentMatchedDirichlet(
    s.map((x) => x.mean),
    s.map((x) => x.sd),
  );
  back.forEach((a, j) => {
    assert.ok(Math.abs(a - alpha[j]) < 1e-9 * alpha[j], `α${j}`);
  });
  assert.deepEqual(Array.from(combineDirichlet([2, 3], [4, 1])), [5, 3]);
  // Beta(2, 2) is symmetric; Beta(1, 1) is uniform; Beta(2, 1) has CDF x²
  assert.ok(Math.abs(betaQuantile(0.5, 2, 2) - 0.5) < 1e-12);
  assert.ok(Math.abs(betaQuantile(0.3, 1, 1) - 0.3) < 1e-12);
  assert.ok(Math.abs(betaQuantile(0.25, 2, 1) - 0.5) < 1e-12);
  const iv = s[0].intervals.find((q) => q.level === 0.9);
  assert.ok(iv && iv.lower < s[0].mean && iv.upper > s[0].mean);
});
