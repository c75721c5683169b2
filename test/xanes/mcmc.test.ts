/**
 * The affine-invariant ensemble sampler on targets with known answers: a correlated Gaussian (means,
 * covariance, acceptance, autocorrelation time, reproducibility by seed) and a Dirichlet sampled in
 * the additive log-ratio coordinates the posterior uses (checks the Jacobian).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { autocorrelation, autocorrTime } from '../../src/xanes/autocorr.js';
import { sampleEnsemble } from '../../src/xanes/mcmc.js';
import { alrToFractions, fractionsToAlr } from '../../src/xanes/posterior.js';

function ball(n: number, center: number[], seed: number): Float64Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Float64Array.from(center, (c) => c + 0.1 * rng.normal()));
}

test('correlated Gaussian: moments, acceptance, τ and seeded reproducibility', () => {
  // x ~ N(m, C), C = [[1, 0.8·2], [0.8·2, 4]], third coordinate independent N(−1, 0.25)
  const m = [1, -2, -1];
  const c = [
    [1, 1.6, 0],
    [1.6, 4, 0],
    [0, 0, 0.25],
  ];
  const det2 = c[0][0] * c[1][1] - c[0][1] * c[1][0];
  const inv = [
    [c[1][1] / det2, -c[0][1] / det2],
    [-c[1][0] / det2, c[0][0] / det2],
  ];
  const logp = (t: Float64Array) => {
    const a = t[0] - m[0];
    const b = t[1] - m[1];
    const d = t[2] - m[2];
    return -0.5 * (a * a * inv[0][0] + 2 * a * b * inv[0][1] + b * b * inv[1][1]) - (0.5 * d * d) / c[2][2];
  };
  const opts = { walkers: 32, steps: 3000, burnIn: 500, seed: 7 };
  const r = sampleEnsemble(logp, ball(32, [0, 0, 0], 1), opts);
  const n = r.keptSteps * r.walkers;
  const mean = [0, 0, 0];
  for (let i = 0; i < n; i++) for (let p = 0; p < 3; p++) mean[p] += r.chain[i * 3 + p] / n;
  const cov = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const a = r.chain[i * 3] - mean[0];
    const b = r.chain[i * 3 + 1] - mean[1];
    cov[0] += (a * a) / n;
    cov[1] += (a * b) / n;
    cov[3] += (b * b) / n;
  }
  // Monte-Carlo error: sd·sqrt(τ/N) with N = steps·walkers; allow 5 such errors
  r.autocorrTime.forEach((tau, p) => {
    const se = Math.sqrt(c[p][p]) * Math.sqrt(tau / n);
    assert.ok(Math.abs(mean[p] - m[p]) < 5 * se + 1e-3, `mean ${p}: ${mean[p]} vs ${m[p]} (se ${se})`);
  });
  assert.ok(Math.abs(cov[0] - 1) < 0.12, `var x ${cov[0]}`);
  assert.ok(Math.abs(cov[3] - 4) < 0.5, `var y ${cov[3]}`);
  assert.ok(Math.abs(cov[1] / Math.sqrt(cov[0] * cov[3]) - 0.8) < 0.04, 'correlation');
  assert.ok(r.meanAcceptance > 0.3 && r.meanAcceptance < 0.8, `acceptance ${r.meanAcceptance}`);
  assert.ok(
    r.autocorrTime.every((t) => t > 1 && t < 100),
    `τ ${Array.from(r.autocorrTime)}`,
  );
  const again = sampleEnsemble(logp, ball(32, [0, 0, 0], 1), opts);
  assert.deepEqual(Array.from(again.chain.subarray(0, 300)), Array.from(r.chain.subarray(0, 300)));
  const other = sampleEnsemble(logp, ball(32, [0, 0, 0], 1), { ...opts, seed: 8 });
  assert.notDeepEqual(Array.from(other.chain.subarray(0, 30)), Array.from(r.chain.subarray(0, 30)));
  // too short a chain is reported
  const short = sampleEnsemble(logp, ball(32, [0, 0, 0], 1), { walkers: 32, steps: 60, burnIn: 10, seed: 1 });
  assert.ok(short.warnings.some((w) => /shorter than 50 autocorrelation times/.test(w)));
  assert.throws(() => sampleEnsemble(logp, ball(5, [0, 0, 0], 1), opts), /walkers/);
});

test('Dirichlet in additive log-ratio coordinates: the Jacobian gives the right marginals', () => {
  const alpha = [2, 5, 1.5, 0.7];
  const k = alpha.length;
  const f = new Float64Array(k);
  const logp = (z: Float64Array) => {
    alrToFractions(z, k, f);
    let s = 0;
    for (let j = 0; j < k; j++) s += alpha[j] * Math.log(f[j]);
    return s;
  };
  const r = sampleEnsemble(logp, ball(24, Array.from(fractionsToAlr([0.25, 0.25, 0.25, 0.25])), 3), {
    walkers: 24,
    steps: 6000,
    burnIn: 1000,
    seed: 11,
  });
  const a0 = alpha.reduce((s, v) => s + v, 0);
  const n = r.keptSteps * r.walkers;
  const mean = new Float64Array(k);
  const sq = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    alrToFractions(r.chain.subarray(i * (k - 1), (i + 1) * (k - 1)), k, f);
    for (let j = 0; j < k; j++) {
      mean[j] += f[j] / n;
      sq[j] += (f[j] * f[j]) / n;
    }
  }
  alpha.forEach((a, j) => {
    const m = a / a0;
    const v = (a * (a0 - a)) / (a0 * a0 * (a0 + 1));
    assert.ok(Math.abs(mean[j] - m) < 0.015, `mean ${j}: ${mean[j]} vs ${m}`);
    assert.ok(Math.abs(sq[j] - mean[j] ** 2 - v) < 0.2 * v, `variance ${j}: ${sq[j] - mean[j] ** 2} vs ${v}`);
  });
});

test('autocorrelation of an AR(1) series: τ = (1 + φ)/(1 − φ)', () => {
  const rng = new Rng(5);
  const phi = 0.8;
  const steps = 20000;
  const chain = new Float64Array(steps * 2);
  for (let w = 0; w < 2; w++) {
    let x = 0;
    for (let s = 0; s < steps; s++) {
      x = phi * x + rng.normal();
      chain[s * 2 + w] = x;
    }
  }
  const tau = autocorrTime(chain, steps, 2, 1)[0];
  assert.ok(Math.abs(tau - 9) < 1.2, `τ ${tau}`);
  const acf = autocorrelation([1, 2, 3, 4, 5, 4, 3, 2, 1]);
  assert.equal(acf[0], 1);
});
