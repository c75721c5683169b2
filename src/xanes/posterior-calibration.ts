/**
 * Recalibration of the posterior's credible intervals, measured on held-out synthetic spectra.
 *
 * The posterior is conditional on its candidate references and on a mixing model that leaves out
 * broadening, self-absorption and thickness, so its equal-tailed intervals under-cover (and an
 * absent candidate, whose posterior lives on the open simplex, is never covered at exactly 0).
 * Split-conformal recalibration (Vovk et al. 2005; as for the network in calibration.ts) fixes the
 * coverage without changing the model: for each level, the lower and upper half-widths around the
 * posterior median are scaled by one factor c, the conformal quantile ⌈(n + 1)·level⌉/n of
 *   s = (median − t)/(median − lower)  if t < median,   (t − median)/(upper − median)  otherwise,
 * over the candidates of a calibration set (t the true fraction), Mondrian by bin of the posterior
 * mean. References outside the candidates get the network's calibrated interval (the posterior
 * says nothing about them). The factors hold for the setting they were fitted with (flat prior,
 * candidates screened by the network, the recorded MCMC length); other settings are reported raw.
 */
import { XasInputError } from '../core/errors.js';
import {
  binOf,
  type CalibratedInterval,
  conformalQuantile,
  DEFAULT_BIN_EDGES,
  DEFAULT_LEVELS,
} from './calibration.js';

export interface PosteriorCalibrationSetting {
  /** MCMC steps and burn-in per walker the factors were fitted with (longer runs are accepted). */
  steps: number;
  burnIn: number;
  shiftPriorSdEv: number;
  maxCandidates: number;
}

export interface PosteriorIntervalCalibration {
  method: 'mondrian-split-conformal-scaled-quantiles';
  levels: number[];
  binEdges: number[];
  /** factors[bin][level]: both half-widths around the median are multiplied by it. */
  factors: number[][];
  counts: number[];
  samples: number;
  setting: PosteriorCalibrationSetting;
  /** How the calibration set was made (generator, size, seeds). */
  data: Record<string, unknown>;
}

/** One candidate fraction of one calibration spectrum. */
export interface PosteriorCalibrationSample {
  mean: number;
  median: number;
  /** The posterior's equal-tailed intervals at the calibration levels, in order. */
  intervals: CalibratedInterval[];
  truth: number;
}

const WIDTH_FLOOR = 1e-4;

/** The nonconformity score of one true value against one posterior interval. */
export function scaledQuantileScore(median: number, iv: CalibratedInterval, truth: number): number {
  return truth < median
    ? (median - truth) / Math.max(WIDTH_FLOOR, median - iv.lower)
    : (truth - median) / Math.max(WIDTH_FLOOR, iv.upper - median);
}

export function fitPosteriorCalibration(
  samples: PosteriorCalibrationSample[],
  setting: PosteriorCalibrationSetting,
  data: Record<string, unknown>,
  levels = DEFAULT_LEVELS,
  binEdges = DEFAULT_BIN_EDGES,
): PosteriorIntervalCalibration {
  if (samples.length === 0)
    throw new XasInputError('no calibration samples', {
      field: 'calibration',
      expected: 'candidate fractions',
    });
  const scores: number[][][] = binEdges.slice(1).map(() => levels.map(() => []));
  const pooled: number[][] = levels.map(() => []);
  for (const s of samples) {
    if (s.intervals.length !== levels.length || s.intervals.some((iv, q) => iv.level !== levels[q]))
      throw new XasInputError('calibration sample intervals do not match the levels', {
        field: 'intervals',
        expected: levels.join(', '),
      });
    const b = binOf(binEdges, s.mean);
    s.intervals.forEach((iv, q) => {
      const v = scaledQuantileScore(s.median, iv, s.truth);
      scores[b][q].push(v);
      pooled[q].push(v);
    });
  }
  const quantile = (src: number[], level: number) =>
    conformalQuantile(
      [...src].sort((a, b) => a - b),
      level,
    );
  const factors = scores.map((bin) =>
    levels.map((level, q) => quantile(bin[q].length >= 30 ? bin[q] : pooled[q], level)),
  );
  return {
    method: 'mondrian-split-conformal-scaled-quantiles',
    levels: [...levels],
    binEdges: [...binEdges],
    factors,
    counts: scores.map((bin) => bin[0].length),
    samples: samples.length,
    setting,
    data,
  };
}

/** Recalibrated intervals of one candidate fraction, clipped to [0, 1]. */
export function recalibratePosteriorIntervals(
  cal: PosteriorIntervalCalibration,
  mean: number,
  median: number,
  intervals: CalibratedInterval[],
): CalibratedInterval[] {
  const f = cal.factors[binOf(cal.binEdges, mean)];
  return cal.levels.map((level, q) => {
    const iv = intervals.find((i) => Math.abs(i.level - level) < 1e-9);
    if (!iv)
      throw new XasInputError(`the posterior has no ${level} interval`, {
        field: 'intervals',
        expected: cal.levels.join(', '),
      });
    return {
      level,
      lower: Math.max(0, median - f[q] * Math.max(WIDTH_FLOOR, median - iv.lower)),
      upper: Math.min(1, median + f[q] * Math.max(WIDTH_FLOOR, iv.upper - median)),
    };
  });
}

/** Why a posterior run does not match the calibrated setting, or null when it does. */
export function settingMismatch(
  cal: PosteriorIntervalCalibration,
  run: PosteriorCalibrationSetting & { prior: boolean; explicitCandidates: boolean },
): string | null {
  const s = cal.setting;
  if (run.prior) return 'an expected composition was given (calibrated with a flat prior)';
  if (run.explicitCandidates) return 'candidates were given (calibrated with the network-screened ones)';
  if (run.steps < s.steps || run.burnIn < s.burnIn)
    return `shorter MCMC (${run.steps}/${run.burnIn} steps/burn-in, calibrated with ${s.steps}/${s.burnIn})`;
  if (run.shiftPriorSdEv !== s.shiftPriorSdEv)
    return `shift prior ${run.shiftPriorSdEv} eV (calibrated with ${s.shiftPriorSdEv} eV)`;
  if (run.maxCandidates !== s.maxCandidates)
    return `at most ${run.maxCandidates} candidates (calibrated with ${s.maxCandidates})`;
  return null;
}
