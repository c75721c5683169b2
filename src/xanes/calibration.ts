/**
 * Recalibration of predicted uncertainties and measured coverage. A network's fractions come with a
 * standard deviation σ (ensemble spread and predicted noise); on a held-out calibration set the
 * interval μ ± c·σ gets, for each nominal level and each bin of the predicted fraction, the factor c
 * that makes it cover the true fraction at that level: the split-conformal quantile
 * ⌈(n + 1)·level⌉/n of |y − μ|/σ (Vovk et al. 2005; Angelopoulos & Bates 2021), Mondrian by bin so
 * that small and large fractions are both calibrated. Coverage is then measured on data not used
 * for calibration. Also: moment-matched Dirichlet of a calibrated prediction and its product with a
 * Dirichlet prior (the prior knowledge of the expected composition).
 */
import { XasInputError } from '../core/errors.js';
import { betaInc } from '../process/stats.js';

export interface IntervalCalibration {
  method: 'mondrian-split-conformal';
  levels: number[];
  /** Bin edges on the predicted fraction (first 0, last 1). */
  binEdges: number[];
  /** factors[bin][level]: half-width = factor × σ. */
  factors: number[][];
  /** Calibration values per bin. */
  counts: number[];
  samples: number;
}

export const DEFAULT_LEVELS = [0.68, 0.9, 0.95];
export const DEFAULT_BIN_EDGES = [0, 0.02, 0.1, 0.3, 1];
const SIGMA_FLOOR = 1e-4;

/** Bin of a predicted fraction between the edges (last bin closed). */
export function binOf(edges: number[], v: number): number {
  for (let b = 1; b < edges.length - 1; b++) if (v < edges[b]) return b - 1;
  return edges.length - 2;
}

/** Fits the factors from predictions (mean, σ) and true values, all row-major n × K. */
export function fitIntervalCalibration(
  mean: ArrayLike<number>,
  sigma: ArrayLike<number>,
  truth: ArrayLike<number>,
  levels = DEFAULT_LEVELS,
  binEdges = DEFAULT_BIN_EDGES,
): IntervalCalibration {
  if (mean.length !== sigma.length || mean.length !== truth.length || mean.length === 0) {
    throw new XasInputError('calibration arrays differ in length or are empty', {
      field: 'calibration',
      expected: 'equal, non-empty arrays',
    });
  }
  const scores: number[][] = binEdges.slice(1).map(() => []);
  for (let i = 0; i < mean.length; i++) {
    scores[binOf(binEdges, mean[i])].push(Math.abs(truth[i] - mean[i]) / Math.max(SIGMA_FLOOR, sigma[i]));
  }
  const all = scores.flat().sort((a, b) => a - b);
  const factors = scores.map((s) => {
    const src = s.length >= 30 ? s.sort((a, b) => a - b) : all;
    return levels.map((q) => conformalQuantile(src, q));
  });
  return {
    method: 'mondrian-split-conformal',
    levels: [...levels],
    binEdges: [...binEdges],
    factors,
    counts: scores.map((s) => s.length),
    samples: mean.length,
  };
}

/** Split-conformal quantile of sorted scores: the ⌈(n + 1)·level⌉-th smallest (the largest if beyond n). */
export function conformalQuantile(sorted: number[], level: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length + 1) * level) - 1)];
}

export interface CalibratedInterval {
  level: number;
  lower: number;
  upper: number;
}

/** Calibrated intervals of one predicted fraction, clipped to [0, 1]. */
export function calibratedIntervals(
  cal: IntervalCalibration,
  mean: number,
  sigma: number,
): CalibratedInterval[] {
  const f = cal.factors[binOf(cal.binEdges, mean)];
  const s = Math.max(SIGMA_FLOOR, sigma);
  return cal.levels.map((level, q) => ({
    level,
    lower: Math.max(0, mean - f[q] * s),
    upper: Math.min(1, mean + f[q] * s),
  }));
}

export interface CoverageReport {
  levels: number[];
  /** Fraction of true values inside the intervals, per level. */
  all: number[];
  /** Same, only for components present in the sample (true fraction > 0). */
  present: number[];
  count: number;
  presentCount: number;
  /** Mean interval width per level. */
  meanWidth: number[];
}

/** Coverage of intervals (per value, per level) against the truth. */
export function measureCoverage(intervals: CalibratedInterval[][], truth: ArrayLike<number>): CoverageReport {
  if (intervals.length !== truth.length || intervals.length === 0) {
    throw new XasInputError('coverage: one interval set per true value is needed', { field: 'intervals' });
  }
  const levels = intervals[0].map((i) => i.level);
  const all = levels.map(() => 0);
  const present = levels.map(() => 0);
  const width = levels.map(() => 0);
  let np = 0;
  intervals.forEach((iv, i) => {
    const t = truth[i];
    if (t > 0) np++;
    iv.forEach((x, q) => {
      const inside = t >= x.lower - 1e-12 && t <= x.upper + 1e-12;
      if (inside) {
        all[q]++;
        if (t > 0) present[q]++;
      }
      width[q] += x.upper - x.lower;
    });
  });
  const n = intervals.length;
  return {
    levels,
    all: all.map((c) => c / n),
    present: present.map((c) => (np > 0 ? c / np : Number.NaN)),
    count: n,
    presentCount: np,
    meanWidth: width.map((w) => w / n),
  };
}

/**
 * Dirichlet with the given mean fractions whose variances best match σ² (moment matching:
 * α₀ + 1 = m(1 − m)/σ², median over the components with m > 0.01).
 */
export function momentMatchedDirichlet(mean: ArrayLike<number>, sigma: ArrayLike<number>): Float64Array {
  const est: number[] = [];
  for (let j = 0; j < mean.length; j++) {
    const m = mean[j];
    if (m > 0.01 && m < 0.99) est.push((m * (1 - m)) / Math.max(1e-12, sigma[j] * sigma[j]) - 1);
  }
  est.sort((a, b) => a - b);
  const a0 = est.length > 0 ? Math.max(1, est[Math.floor(est.length / 2)]) : 1;
  let s = 0;
  for (let j = 0; j < mean.length; j++) s += Math.max(1e-6, mean[j]);
  return Float64Array.from(mean, (m) => (a0 * Math.max(1e-6, m)) / s);
}

/** Product of a Dirichlet(α) likelihood and a Dirichlet(β) prior: Dirichlet(α + β − 1), floored at 1e-3. */
export function combineDirichlet(alpha: ArrayLike<number>, prior: ArrayLike<number>): Float64Array {
  if (alpha.length !== prior.length)
    throw new XasInputError('prior and prediction differ in length', { field: 'prior' });
  return Float64Array.from(alpha, (a, j) => Math.max(1e-3, a + prior[j] - 1));
}

/** Mean, standard deviation and equal-tailed intervals of Dirichlet marginals (Beta(αⱼ, α₀ − αⱼ)). */
export function dirichletSummary(
  alpha: ArrayLike<number>,
  levels = DEFAULT_LEVELS,
): { mean: number; sd: number; intervals: CalibratedInterval[] }[] {
  let a0 = 0;
  for (let j = 0; j < alpha.length; j++) a0 += alpha[j];
  return Array.from(alpha, (a) => {
    const mean = a / a0;
    const sd = Math.sqrt((a * (a0 - a)) / (a0 * a0 * (a0 + 1)));
    return {
      mean,
      sd,
      intervals: levels.map((level) => ({
        level,
        lower: betaQuantile((1 - level) / 2, a, a0 - a),
        upper: betaQuantile((1 + level) / 2, a, a0 - a),
      })),
    };
  });
}

/** Quantile of Beta(a, b) by bisection on the regularised incomplete beta. */
export function betaQuantile(p: number, a: number, b: number): number {
  if (b <= 0) return 1;
  let lo = 0;
  let hi = 1;
  for (let it = 0; it < 80; it++) {
    const mid = 0.5 * (lo + hi);
    if (betaInc(a, b, mid) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
