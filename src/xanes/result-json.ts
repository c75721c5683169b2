/**
 * JSON documents of XANES results (LCF, PCA, prediction): weights keyed by reference name, their
 * uncertainties and the fit statistics, with the software, inputs and options that produced them.
 */
import { SOFTWARE } from '../core/spectrum.js';
import type { LcfResult } from './lcf.js';
import type { McrResult } from './mcr-als.js';
import type { PcaFitResult, PcaModel } from './pca.js';
import type { PredictResult } from './predict.js';

const byName = (labels: string[], v: ArrayLike<number>) =>
  Object.fromEntries(labels.map((l, j) => [l, v[j]]));

export function lcfJson(r: LcfResult): Record<string, unknown> {
  const p = r.covariance.names.length;
  const correlations: Record<string, Record<string, number>> = {};
  r.covariance.names.forEach((a, i) => {
    correlations[a] = Object.fromEntries(
      r.covariance.names.map((b, j) => [b, r.covariance.correlation[i * p + j]]),
    );
  });
  return {
    weights: byName(r.labels, r.weights),
    uncertainties: byName(r.labels, r.stderr),
    weightsLstsq: byName(r.labels, r.weightsLstsq),
    atBound: Object.fromEntries(
      r.labels.map((l, j) => [l, r.atBound[j] < 0 ? 'min' : r.atBound[j] > 0 ? 'max' : null]),
    ),
    sum: r.sum,
    sumUncertainty: r.sumStderr,
    e0Shift: r.e0Shift,
    e0ShiftUncertainty: r.e0ShiftStderr,
    shiftsEv: r.shiftsEv ? byName(r.labels, r.shiftsEv) : null,
    shiftsUncertainty: r.shiftsStderr ? byName(r.labels, r.shiftsStderr) : null,
    rfactor: r.rfactor,
    chisqr: r.chisqr,
    redchi: r.redchi,
    npts: r.npts,
    nvarys: r.nvarys,
    correlations,
    options: r.options,
    warnings: r.warnings,
  };
}

export function fitAllJson(list: LcfResult[]): Record<string, unknown>[] {
  return list.map((r, rank) => ({
    rank: rank + 1,
    references: r.labels,
    weights: byName(r.labels, r.weights),
    uncertainties: byName(r.labels, r.stderr),
    redchi: r.redchi,
    rfactor: r.rfactor,
    chisqr: r.chisqr,
  }));
}

export function pcaJson(m: PcaModel, fits: (PcaFitResult & { label: string })[]): Record<string, unknown> {
  return {
    software: SOFTWARE,
    spectra: m.labels,
    energyRange: [m.x[0], m.x[m.x.length - 1]],
    points: m.x.length,
    eigenvalues: Array.from(m.eigenvalues),
    variances: Array.from(m.variances),
    ind: Array.from(m.ind),
    nsigInd: m.nsig,
    fSignificancePercent: Array.from(m.fSignificance),
    nsigF: m.nsigF,
    fits: fits.map((f) => ({
      label: f.label,
      ncomps: f.ncomps,
      scale: f.scale,
      chiSquare: f.chiSquare,
      rfactor: f.rfactor,
      weights: Array.from(f.weights),
    })),
  };
}

export function predictJson(p: PredictResult): Record<string, unknown> {
  const post = p.posterior;
  return {
    cnn: Object.fromEntries(p.cnn.map((c) => [c.name, { mean: c.mean, sd: c.sd, intervals: c.intervals }])),
    cnnWithPrior: p.cnnWithPrior
      ? Object.fromEntries(
          p.cnnWithPrior.map((c) => [c.name, { mean: c.mean, sd: c.sd, intervals: c.intervals }]),
        )
      : null,
    candidates: p.candidates,
    posterior: post
      ? {
          fractions: Object.fromEntries(post.labels.map((l, j) => [l, post.fractions[j]])),
          correlation: Object.fromEntries(
            post.labels.map((a, i) => [
              a,
              Object.fromEntries(
                post.labels.map((b, j) => [b, post.correlation[i * post.labels.length + j]]),
              ),
            ]),
          ),
          shiftEv: post.shiftEv,
          scale: post.scale,
          noiseSigma: post.noiseSigma,
          ar1Phi: post.ar1Phi,
          diagnostics: post.diagnostics,
        }
      : null,
    posteriorCalibrated: p.posteriorCalibrated
      ? Object.fromEntries(
          p.posteriorCalibrated.map((c) => [
            c.name,
            { source: c.source, mean: c.mean, sd: c.sd, intervals: c.intervals },
          ]),
        )
      : null,
    warnings: p.warnings,
  };
}

export function mcrJson(mcr: McrResult, labels: string[]): Record<string, unknown> {
  return {
    components: mcr.spectra.length,
    lackOfFitPercent: mcr.lackOfFitPercent,
    iterations: mcr.iterations,
    converged: mcr.converged,
    concentrations: Object.fromEntries(labels.map((l, i) => [l, Array.from(mcr.concentrations[i])])),
    spectra: mcr.spectra,
  };
}
