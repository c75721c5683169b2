/**
 * Side-by-side evaluation of the three composition methods on synthetic spectra of known
 * composition: the network (calibrated intervals), linear combination fitting as an analyst runs it
 * (Larch lincombo_fitall over all combinations of up to four references, bounded, sum to one, best
 * reduced χ², then that combination refitted with Larch's data energy shift; intervals ±z·stderr),
 * and the Bayesian posterior over the references the network finds, with its own credible intervals
 * and with recalibrated ones (posterior-calibration.ts). Per method: mean absolute error
 * over all fractions and over the components present, and the coverage of 68/90/95 % intervals.
 */
import { type CalibratedInterval, type CoverageReport, measureCoverage } from './calibration.js';
import type { XanesCnn } from './cnn.js';
import { buildFitMatrix, type Curve } from './fit-matrix.js';
import { lincomboFitMatrix } from './lcf.js';
import { lincomboFitAll, subMatrix } from './lcf-fitall.js';
import type { XanesLibrary } from './library.js';
import { type FractionEstimate, predictComposition } from './predict.js';
import type { SyntheticSet } from './synthetic.js';
import { type FractionMetrics, fractionMetrics } from './train-pipeline.js';

export interface MethodScore {
  metrics: FractionMetrics;
  coverage: CoverageReport;
  secondsPerSpectrum: number;
}

export interface ComparisonRow {
  scenario: string;
  spectra: number;
  cnn: MethodScore;
  lcf: MethodScore;
  posterior: MethodScore | null;
  /** The posterior with recalibrated intervals (null without a posterior calibration). */
  posteriorCalibrated: MethodScore | null;
  posteriorSpectra: number;
}

const Z = [0.9945, 1.6449, 1.96];
const LEVELS = [0.68, 0.9, 0.95];

function gaussIntervals(mean: number, sd: number): CalibratedInterval[] {
  return LEVELS.map((level, q) => ({ level, lower: mean - Z[q] * sd, upper: mean + Z[q] * sd }));
}

export interface CompareOptions {
  /** Spectra (from the start of the set) that also get the MCMC posterior. */
  posteriorSpectra: number;
  maxComponents?: number;
  seed: number;
  steps?: number;
  burnIn?: number;
  onProgress?: (method: string, done: number, total: number) => void;
}

export function compareMethods(
  cnn: XanesCnn,
  lib: XanesLibrary,
  set: SyntheticSet,
  scenario: string,
  o: CompareOptions,
): ComparisonRow {
  const k = set.labels.length;
  const L = set.energyEv.length;
  // network
  let t = performance.now();
  const pred = cnn.predict(set.x);
  const cnnIv: CalibratedInterval[][] = [];
  for (let r = 0; r < set.n; r++) cnnIv.push(...(cnn.intervals(pred, r) ?? []));
  const cnnScore: MethodScore = {
    metrics: fractionMetrics(pred.mean, set.y, k),
    coverage: measureCoverage(cnnIv, set.y),
    secondsPerSpectrum: (performance.now() - t) / 1000 / set.n,
  };
  // LCF: fitall (≤ 4 components, bounded, sum to one), then the best set with a data shift
  const refs: Curve[] = set.labels.map((name) => {
    const r = lib.references.find((q) => q.name === name) as XanesLibrary['references'][number];
    return { label: name, energyEv: r.energyEv, y: r.norm };
  });
  t = performance.now();
  const lcfW = new Float64Array(set.n * k);
  const lcfIv: CalibratedInterval[][] = [];
  for (let r = 0; r < set.n; r++) {
    const y = Float64Array.from(set.x.subarray(r * L, (r + 1) * L));
    const unknown = { label: `spectrum ${r}`, energyEv: set.energyEv, y };
    const best = lincomboFitAll(unknown, refs, {
      sumToOne: true,
      bounded: true,
      maxComponents: o.maxComponents ?? 4,
      keep: 1,
    })[0];
    const pick = best.labels.map((l) => set.labels.indexOf(l));
    const m = buildFitMatrix(unknown, refs);
    const fit = lincomboFitMatrix(
      subMatrix(m, pick),
      { sumToOne: true, bounded: true, e0Shift: 'data', maxShiftEv: 3 },
      pick.map((j) => refs[j]),
    );
    const w = new Float64Array(k);
    const sd = new Float64Array(k);
    pick.forEach((j, q) => {
      w[j] = fit.weights[q];
      sd[j] = fit.stderr[q];
    });
    lcfW.set(w, r * k);
    for (let j = 0; j < k; j++) lcfIv.push(gaussIntervals(w[j], sd[j]));
    o.onProgress?.('lcf', r + 1, set.n);
  }
  const lcfScore: MethodScore = {
    metrics: fractionMetrics(lcfW, set.y, k),
    coverage: measureCoverage(lcfIv, set.y),
    secondsPerSpectrum: (performance.now() - t) / 1000 / set.n,
  };
  // posterior over the network's candidates
  let post: MethodScore | null = null;
  let postCal: MethodScore | null = null;
  const np = Math.min(o.posteriorSpectra, set.n);
  if (np > 0) {
    t = performance.now();
    const pw = new Float64Array(np * k);
    const piv: CalibratedInterval[][] = [];
    const cw = new Float64Array(np * k);
    const civ: CalibratedInterval[][] = [];
    let calibrated = true;
    for (let r = 0; r < np; r++) {
      const y = Float64Array.from(set.x.subarray(r * L, (r + 1) * L));
      const p = predictComposition(cnn, lib, set.energyEv, y, {
        seed: o.seed + r,
        steps: o.steps,
        burnIn: o.burnIn,
      });
      const est: FractionEstimate[] = set.labels.map((name) => ({
        name,
        mean: 0,
        sd: 0,
        intervals: LEVELS.map((level) => ({ level, lower: 0, upper: 0 })),
      }));
      p.posterior?.labels.forEach((l, q) => {
        const s = p.posterior?.fractions[q];
        if (s) est[set.labels.indexOf(l)] = { name: l, mean: s.mean, sd: s.sd, intervals: s.intervals };
      });
      est.forEach((e, j) => {
        pw[r * k + j] = e.mean;
        piv.push(e.intervals);
      });
      if (p.posteriorCalibrated) {
        p.posteriorCalibrated.forEach((e, j) => {
          cw[r * k + j] = e.mean;
          civ.push(e.intervals);
        });
      } else calibrated = false;
      o.onProgress?.('posterior', r + 1, np);
    }
    post = {
      metrics: fractionMetrics(pw, set.y.subarray(0, np * k), k),
      coverage: measureCoverage(piv, set.y.subarray(0, np * k)),
      secondsPerSpectrum: (performance.now() - t) / 1000 / np,
    };
    if (calibrated)
      postCal = {
        metrics: fractionMetrics(cw, set.y.subarray(0, np * k), k),
        coverage: measureCoverage(civ, set.y.subarray(0, np * k)),
        secondsPerSpectrum: post.secondsPerSpectrum,
      };
  }
  return {
    scenario,
    spectra: set.n,
    cnn: cnnScore,
    lcf: lcfScore,
    posterior: post,
    posteriorCalibrated: postCal,
    posteriorSpectra: np,
  };
}
