/**
 * Composition of one measured spectrum: the network's fractions with recalibrated intervals; if an
 * expected composition is given, its Dirichlet prior combined with the network's (moment-matched)
 * Dirichlet; and the full posterior of the reference-mixing model sampled by MCMC over the candidate
 * references (the prior's species, or those the network finds), started at the network's answer.
 */
import { XasInputError } from '../core/errors.js';
import {
  type CalibratedInterval,
  combineDirichlet,
  dirichletSummary,
  momentMatchedDirichlet,
} from './calibration.js';
import type { XanesCnn } from './cnn.js';
import type { Curve } from './fit-matrix.js';
import type { XanesLibrary } from './library.js';
import { POSTERIOR_DEFAULTS, type PosteriorResult, samplePosterior } from './posterior.js';
import { recalibratePosteriorIntervals, settingMismatch } from './posterior-calibration.js';

export interface ExpectedComposition {
  /** Expected fraction per reference name (normalised to sum one). */
  fractions: Record<string, number>;
  /** Dirichlet concentration α₀ = strength (1 per component ≈ uninformative). */
  strength: number;
}

export interface PredictOptions {
  prior?: ExpectedComposition;
  /** Reference names for the posterior (default: the prior's, else screened from the network). */
  candidates?: string[];
  posterior?: boolean;
  steps?: number;
  burnIn?: number;
  walkers?: number;
  seed: number;
  maxCandidates?: number;
  shiftPriorSdEv?: number;
  signal?: AbortSignal;
  onProgress?: (step: number, steps: number) => void;
}

export interface FractionEstimate {
  name: string;
  /** For recalibrated posterior intervals: 'posterior' (a candidate) or 'network' (not a candidate). */
  source?: 'posterior' | 'network';
  mean: number;
  sd: number;
  intervals: CalibratedInterval[];
}

export interface PredictResult {
  labels: string[];
  cnn: FractionEstimate[];
  cnnWithPrior: FractionEstimate[] | null;
  candidates: string[];
  posterior: PosteriorResult | null;
  /**
   * Every reference's fraction with the posterior's intervals recalibrated on held-out spectra
   * (posterior-calibration.ts): candidates from the posterior, the rest from the network. Null
   * without a calibration or when the run's setting differs from the calibrated one (see warnings).
   */
  posteriorCalibrated: FractionEstimate[] | null;
  energyEv: Float64Array;
  data: Float64Array;
  warnings: string[];
}

/** Names the network finds present: mean ≥ 0.02 or 95 % upper bound ≥ 0.08, largest first. */
export function screenCandidates(est: FractionEstimate[], max: number): string[] {
  const keep = est.filter(
    (e) => e.mean >= 0.02 || (e.intervals.find((i) => i.level === 0.95)?.upper ?? 0) >= 0.08,
  );
  keep.sort((a, b) => b.mean - a.mean);
  const out = keep.slice(0, max).map((e) => e.name);
  if (out.length < 2) {
    const rest = [...est].sort((a, b) => b.mean - a.mean).map((e) => e.name);
    for (const n of rest) if (out.length < 2 && !out.includes(n)) out.push(n);
  }
  return out;
}

export function normalizePrior(prior: ExpectedComposition, labels: string[]): Float64Array {
  const names = Object.keys(prior.fractions);
  if (names.length < 2)
    throw new XasInputError('the expected composition names fewer than 2 references', {
      field: 'prior',
      expected: 'two or more reference names',
    });
  if (!(prior.strength > 0))
    throw new XasInputError(`prior strength ${prior.strength}`, {
      field: 'prior-strength',
      expected: 'a positive number',
    });
  let s = 0;
  for (const n of names) {
    if (!labels.includes(n))
      throw new XasInputError(`unknown reference '${n}' in the expected composition`, {
        field: 'prior',
        expected: `one of ${labels.join(', ')}`,
      });
    const v = prior.fractions[n];
    if (!(v > 0))
      throw new XasInputError(`expected fraction of '${n}' is ${v}`, {
        field: 'prior',
        expected: 'positive fractions',
      });
    s += v;
  }
  return Float64Array.from(names, (n) => (prior.strength * prior.fractions[n]) / s);
}

export function predictComposition(
  cnn: XanesCnn,
  lib: XanesLibrary,
  energyEv: Float64Array,
  norm: Float64Array,
  o: PredictOptions,
): PredictResult {
  const labels = cnn.meta.labels;
  const missing = labels.filter((l) => !lib.references.some((r) => r.name === l));
  if (missing.length > 0) {
    throw new XasInputError(`the library lacks the network's references ${missing.join(', ')}`, {
      field: 'library',
      expected: 'the library the network was trained on',
    });
  }
  const warnings: string[] = [];
  const x = cnn.prepare(energyEv, norm);
  const pred = cnn.predict(x);
  const iv = cnn.intervals(pred, 0);
  if (!iv) warnings.push('the network has no interval calibration: intervals are ±z·σ of the raw ensemble');
  const z = [0.994, 1.645, 1.96];
  const est: FractionEstimate[] = labels.map((name, j) => ({
    name,
    mean: pred.mean[j],
    sd: pred.std[j],
    intervals: iv
      ? iv[j]
      : [0.68, 0.9, 0.95].map((level, q) => ({
          level,
          lower: Math.max(0, pred.mean[j] - z[q] * pred.std[j]),
          upper: Math.min(1, pred.mean[j] + z[q] * pred.std[j]),
        })),
  }));
  let cnnWithPrior: FractionEstimate[] | null = null;
  let priorNames: string[] | null = null;
  let priorAlpha: Float64Array | null = null;
  if (o.prior) {
    priorAlpha = normalizePrior(o.prior, labels);
    priorNames = Object.keys(o.prior.fractions);
    // the network's answer restricted to the prior's support, as a Dirichlet, times the prior
    const idx = priorNames.map((n) => labels.indexOf(n));
    const m = idx.map((j) => est[j].mean);
    const s = m.reduce((a, b) => a + b, 0);
    if (s < 0.5)
      warnings.push(
        `the network puts only ${(100 * s).toFixed(0)} % of the spectrum on the expected species`,
      );
    const sd = idx.map((j) => {
      const i68 = est[j].intervals.find((q) => q.level === 0.68);
      return i68 ? (i68.upper - i68.lower) / 2 : est[j].sd;
    });
    const like = momentMatchedDirichlet(
      m.map((v) => v / Math.max(1e-9, s)),
      sd,
    );
    cnnWithPrior = dirichletSummary(combineDirichlet(like, priorAlpha)).map((d, q) => ({
      name: (priorNames as string[])[q],
      ...d,
    }));
  }
  const candidates = o.candidates ?? priorNames ?? screenCandidates(est, o.maxCandidates ?? 6);
  for (const c of candidates) {
    if (!labels.includes(c))
      throw new XasInputError(`unknown candidate reference '${c}'`, {
        field: 'candidates',
        expected: `one of ${labels.join(', ')}`,
      });
  }
  let posterior: PosteriorResult | null = null;
  let posteriorCalibrated: FractionEstimate[] | null = null;
  if (o.posterior !== false) {
    const grid = cnn.energyEv;
    const inRange: number[] = [];
    for (let i = 0; i < energyEv.length; i++)
      if (energyEv[i] >= grid[0] && energyEv[i] <= grid[grid.length - 1]) inRange.push(i);
    if (inRange.length < 20)
      throw new XasInputError(
        `only ${inRange.length} points of the spectrum lie on the network's energy range`,
        { field: 'spectrum' },
      );
    const e = Float64Array.from(inRange, (i) => energyEv[i]);
    const y = Float64Array.from(inRange, (i) => norm[i]);
    const refs: Curve[] = candidates.map((name) => {
      const r = lib.references.find((q) => q.name === name) as XanesLibrary['references'][number];
      return { label: name, energyEv: r.energyEv, y: r.norm };
    });
    const alpha =
      priorAlpha && priorNames
        ? Float64Array.from(
            candidates,
            (c) => (priorAlpha as Float64Array)[(priorNames as string[]).indexOf(c)] ?? 1,
          )
        : new Float64Array(candidates.length).fill(1);
    const start = candidates.map((c) => Math.max(0.01, est[labels.indexOf(c)].mean));
    posterior = samplePosterior(
      {
        energyEv: e,
        y,
        refs,
        alpha,
        shiftPriorSdEv: o.shiftPriorSdEv ?? 1,
        maxShiftEv: 5,
        scalePriorSd: 0.05,
        noise: 'ar1',
      },
      {
        seed: o.seed,
        steps: o.steps,
        burnIn: o.burnIn,
        walkers: o.walkers,
        start,
        signal: o.signal,
        onProgress: o.onProgress,
      },
    );
    warnings.push(...posterior.diagnostics.warnings);
    const outside = 1 - candidates.reduce((s, c) => s + est[labels.indexOf(c)].mean, 0);
    if (outside > 0.1)
      warnings.push(
        `the network assigns ${(100 * outside).toFixed(0)} % to references outside the posterior's candidates`,
      );
    posteriorCalibrated = recalibrate(cnn, est, posterior, o);
    if (!posteriorCalibrated && cnn.meta.posteriorCalibration)
      warnings.push(
        `posterior intervals not recalibrated: ${settingMismatch(cnn.meta.posteriorCalibration, runSetting(o))}`,
      );
  }
  return {
    labels,
    cnn: est,
    cnnWithPrior,
    candidates,
    posterior,
    posteriorCalibrated,
    energyEv,
    data: norm,
    warnings,
  };
}

function runSetting(o: PredictOptions) {
  return {
    steps: o.steps ?? POSTERIOR_DEFAULTS.steps,
    burnIn: o.burnIn ?? POSTERIOR_DEFAULTS.burnIn,
    shiftPriorSdEv: o.shiftPriorSdEv ?? 1,
    maxCandidates: o.maxCandidates ?? 6,
    prior: o.prior !== undefined,
    explicitCandidates: o.candidates !== undefined,
  };
}

/** Candidates' posterior intervals recalibrated, the other references' from the network. */
function recalibrate(
  cnn: XanesCnn,
  est: FractionEstimate[],
  post: PosteriorResult,
  o: PredictOptions,
): FractionEstimate[] | null {
  const cal = cnn.meta.posteriorCalibration;
  if (!cal || settingMismatch(cal, runSetting(o)) !== null) return null;
  return est.map((e): FractionEstimate => {
    const q = post.labels.indexOf(e.name);
    if (q < 0) return { ...e, source: 'network' };
    const f = post.fractions[q];
    return {
      name: e.name,
      source: 'posterior',
      mean: f.mean,
      sd: f.sd,
      intervals: recalibratePosteriorIntervals(cal, f.mean, f.median, f.intervals),
    };
  });
}

/** Parses 'NAME:FRACTION,NAME:FRACTION,…' (reference names may contain ':'; the last one separates). */
export function parseExpectedComposition(
  text: string | undefined,
  strength: number,
): ExpectedComposition | undefined {
  if (!text) return undefined;
  const fractions: Record<string, number> = {};
  for (const part of text.split(',')) {
    const i = part.lastIndexOf(':');
    const v = Number(part.slice(i + 1));
    if (i <= 0 || !Number.isFinite(v)) {
      throw new XasInputError(`expected composition '${text}'`, {
        field: 'prior',
        expected: 'NAME:FRACTION,NAME:FRACTION,...',
      });
    }
    fractions[part.slice(0, i)] = v;
  }
  return { fractions, strength };
}
