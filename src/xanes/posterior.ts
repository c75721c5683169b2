/**
 * Bayesian composition of one spectrum. Model: data(E) = s·Σⱼ fⱼ·refⱼ(E − δ) + ε, with
 * - fractions f on the simplex, prior Dirichlet(α) (α from the expected composition and its strength),
 *   sampled in additive log-ratio coordinates zⱼ = ln(fⱼ/f_K) (the Jacobian Πfⱼ is included);
 * - an energy-calibration shift δ ~ Normal(0, σ_δ), bounded to ±maxShift;
 * - a normalisation scale s, ln s ~ Normal(0, σ_s);
 * - noise estimated from the data: ε is a stationary AR(1) process (innovation σ with Jeffreys prior
 *   1/σ, correlation φ uniform on (−0.99, 0.99)), so smooth model misfit shows up as correlated noise
 *   rather than as false precision; 'white' fixes φ = 0.
 * Sampled with the affine-invariant ensemble sampler (mcmc.ts). References are tabulated on a fine
 * uniform grid (Larch cubic interpolation) so that each likelihood evaluation is a linear lookup.
 */
import { XasInputError } from '../core/errors.js';
import type { Curve } from './fit-matrix.js';
import { evalLarchCubic, larchCubic } from './interp.js';
import { type EnsembleResult, quantileSorted, sampleEnsemble } from './mcmc.js';

/** Default MCMC length per walker. */
export const POSTERIOR_DEFAULTS = { steps: 5000, burnIn: 1000 };

export interface PosteriorModel {
  energyEv: Float64Array;
  y: Float64Array;
  refs: Curve[];
  /** Dirichlet concentrations, one per reference. */
  alpha: Float64Array;
  shiftPriorSdEv: number;
  maxShiftEv: number;
  scalePriorSd: number;
  noise: 'ar1' | 'white';
}

export interface PosteriorOptions {
  walkers?: number;
  steps?: number;
  burnIn?: number;
  thin?: number;
  seed: number;
  /** Starting fractions (e.g. from LCF or the CNN); default the prior mean. */
  start?: ArrayLike<number>;
  startShiftEv?: number;
  signal?: AbortSignal;
  onProgress?: (step: number, steps: number) => void;
}

export interface Interval {
  level: number;
  lower: number;
  upper: number;
}

export interface ParamSummary {
  mean: number;
  sd: number;
  median: number;
  intervals: Interval[];
}

export interface PosteriorResult {
  labels: string[];
  fractions: ParamSummary[];
  /** Correlation matrix of the fractions (row-major K × K). */
  correlation: Float64Array;
  shiftEv: ParamSummary;
  scale: ParamSummary;
  noiseSigma: ParamSummary;
  ar1Phi: ParamSummary | null;
  /** Model at the posterior-mean parameters, on energyEv. */
  yfit: Float64Array;
  diagnostics: {
    paramNames: string[];
    walkers: number;
    steps: number;
    burnIn: number;
    thin: number;
    seed: number;
    meanAcceptance: number;
    autocorrTime: number[];
    effectiveSamples: number[];
    warnings: string[];
  };
  /** Posterior draws of the fractions, row-major draws × K. */
  draws: Float64Array;
}

export const LEVELS = [0.68, 0.9, 0.95];
const FINE = 0.02;

interface Tables {
  lo: number;
  inv: number;
  n: number;
  /** Reference values interleaved: values[q·K + j] = ref j at lo + q·FINE. */
  values: Float64Array;
}

function tabulate(m: PosteriorModel): Tables {
  const x = m.energyEv;
  const lo = x[0] - m.maxShiftEv - 1;
  const hi = x[x.length - 1] + m.maxShiftEv + 1;
  const n = Math.ceil((hi - lo) / FINE) + 2;
  const k = m.refs.length;
  const values = new Float64Array(n * k);
  m.refs.forEach((r, j) => {
    if (r.energyEv[0] > x[0] || r.energyEv[r.energyEv.length - 1] < x[x.length - 1]) {
      throw new XasInputError(
        `reference '${r.label}' covers ${r.energyEv[0]} to ${r.energyEv[r.energyEv.length - 1]} eV, not the spectrum's ${x[0]} to ${x[x.length - 1]} eV`,
        { field: r.label, expected: 'references covering the fit range' },
      );
    }
    const c = larchCubic(r.energyEv, r.y, `reference '${r.label}'`);
    for (let i = 0; i < n; i++) values[i * k + j] = evalLarchCubic(c, lo + i * FINE);
  });
  return { lo, inv: 1 / FINE, n, values };
}

/** Fractions from ALR coordinates z (K − 1 values; the last reference is the baseline). */
export function alrToFractions(z: ArrayLike<number>, k: number, out = new Float64Array(k)): Float64Array {
  let max = 0;
  for (let j = 0; j < k - 1; j++) max = Math.max(max, z[j]);
  let s = Math.exp(-max);
  out[k - 1] = s;
  for (let j = 0; j < k - 1; j++) {
    out[j] = Math.exp(z[j] - max);
    s += out[j];
  }
  for (let j = 0; j < k; j++) out[j] /= s;
  return out;
}

export function fractionsToAlr(f: ArrayLike<number>, floor = 1e-3): Float64Array {
  const k = f.length;
  const g = Array.from(f, (v) => Math.max(floor, v));
  const z = new Float64Array(k - 1);
  for (let j = 0; j < k - 1; j++) z[j] = Math.log(g[j] / g[k - 1]);
  return z;
}

/** The log-posterior in the sampled coordinates [z (K−1), δ, ln s, ln σ, atanh φ]. */
export function makeLogPosterior(m: PosteriorModel): {
  logp: (theta: Float64Array) => number;
  model: (theta: Float64Array) => Float64Array;
  ndim: number;
} {
  const k = m.refs.length;
  if (k < 2)
    throw new XasInputError('the posterior needs at least 2 references', {
      field: 'refs',
      expected: '2 or more candidates',
    });
  if (m.alpha.length !== k || !m.alpha.every((a) => a > 0)) {
    throw new XasInputError('invalid Dirichlet prior', {
      field: 'alpha',
      expected: `${k} positive concentrations`,
    });
  }
  const t = tabulate(m);
  const x = m.energyEv;
  const y = m.y;
  const n = x.length;
  const f = new Float64Array(k);
  const mu = new Float64Array(n);
  const ar = m.noise === 'ar1';
  const ndim = k - 1 + 3 + (ar ? 1 : 0);
  const evalModel = (theta: Float64Array, out: Float64Array) => {
    alrToFractions(theta, k, f);
    const shift = theta[k - 1];
    const s = Math.exp(theta[k]);
    for (let i = 0; i < n; i++) {
      const pos = (x[i] - shift - t.lo) * t.inv;
      const q = Math.floor(pos);
      const w = pos - q;
      const a = q * k;
      const b = a + k;
      const tab = t.values;
      let v = 0;
      for (let j = 0; j < k; j++) v += f[j] * (tab[a + j] + w * (tab[b + j] - tab[a + j]));
      out[i] = s * v;
    }
  };
  const logp = (theta: Float64Array): number => {
    const shift = theta[k - 1];
    if (!(Math.abs(shift) <= m.maxShiftEv)) return -Infinity;
    const lnS = theta[k];
    const lnSigma = theta[k + 1];
    if (!(lnSigma > -14 && lnSigma < 2)) return -Infinity;
    const phi = ar ? Math.tanh(theta[k + 2]) : 0;
    if (!(Math.abs(phi) < 0.99)) return -Infinity;
    for (let j = 0; j < k - 1; j++) if (!(Math.abs(theta[j]) < 30)) return -Infinity;
    evalModel(theta, mu);
    // prior: Dirichlet × ALR Jacobian = Π f^α, δ and ln s normal, ln σ flat (Jeffreys), φ uniform
    let lp = 0;
    for (let j = 0; j < k; j++) lp += m.alpha[j] * Math.log(f[j]);
    lp -= (0.5 * shift * shift) / (m.shiftPriorSdEv * m.shiftPriorSdEv);
    lp -= (0.5 * lnS * lnS) / (m.scalePriorSd * m.scalePriorSd);
    if (ar) lp += Math.log(1 - phi * phi);
    // AR(1) likelihood of the residuals
    const sigma2 = Math.exp(2 * lnSigma);
    let prev = y[0] - mu[0];
    let ss = (1 - phi * phi) * prev * prev;
    for (let i = 1; i < n; i++) {
      const r = y[i] - mu[i];
      const e = r - phi * prev;
      ss += e * e;
      prev = r;
    }
    return lp - n * lnSigma + 0.5 * Math.log(1 - phi * phi) - ss / (2 * sigma2);
  };
  const model = (theta: Float64Array) => {
    const out = new Float64Array(n);
    evalModel(theta, out);
    return out;
  };
  return { logp, model, ndim };
}

function summarize(values: Float64Array): ParamSummary {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v / n;
  let v2 = 0;
  for (const v of values) v2 += (v - mean) ** 2;
  const sorted = Float64Array.from(values).sort();
  return {
    mean,
    sd: Math.sqrt(v2 / Math.max(1, n - 1)),
    median: quantileSorted(sorted, 0.5),
    intervals: LEVELS.map((level) => ({
      level,
      lower: quantileSorted(sorted, (1 - level) / 2),
      upper: quantileSorted(sorted, (1 + level) / 2),
    })),
  };
}

function sampleOrdered(m: PosteriorModel, opts: PosteriorOptions): PosteriorResult {
  const k = m.refs.length;
  const { logp, model, ndim } = makeLogPosterior(m);
  const walkers = opts.walkers ?? Math.max(24, 2 * ndim + 2);
  const steps = opts.steps ?? POSTERIOR_DEFAULTS.steps;
  const burnIn = opts.burnIn ?? POSTERIOR_DEFAULTS.burnIn;
  let a0 = 0;
  for (const a of m.alpha) a0 += a;
  const start = opts.start ? Array.from(opts.start) : Array.from(m.alpha, (a) => a / a0);
  const z0 = fractionsToAlr(start, 0.01);
  const center = new Float64Array(ndim);
  center.set(z0);
  center[k - 1] = opts.startShiftEv ?? 0;
  center[k] = 0;
  // noise start: residual rms at the start point
  center[k + 1] = Math.log(0.01);
  const fit0 = model(center);
  let ss = 0;
  for (let i = 0; i < fit0.length; i++) ss += (m.y[i] - fit0[i]) ** 2;
  center[k + 1] = Math.log(Math.max(1e-5, Math.sqrt(ss / fit0.length)));
  const rngSeed = opts.seed;
  let state = rngSeed >>> 0 || 1;
  const jitter = () => {
    // a small deterministic generator for the start ball (the sampler has its own seeded Rng)
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296 - 0.5;
  };
  const scales = new Float64Array(ndim).fill(0.1);
  scales[k - 1] = 0.1;
  scales[k] = 0.005;
  scales[k + 1] = 0.1;
  const initial: Float64Array[] = [];
  for (let w = 0; w < walkers; w++) {
    for (let tries = 0; ; tries++) {
      const p = center.map((c, i) => c + scales[i] * 2 * jitter());
      if (Number.isFinite(logp(p))) {
        initial.push(p);
        break;
      }
      if (tries > 1000)
        throw new XasInputError('cannot start the sampler: the start point has zero posterior density', {
          field: 'start',
        });
    }
  }
  const res: EnsembleResult = sampleEnsemble(logp, initial, {
    walkers,
    steps,
    burnIn,
    thin: opts.thin,
    seed: opts.seed,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  const draws = res.keptSteps * walkers;
  const fr = new Float64Array(draws * k);
  const tmp = new Float64Array(k);
  const cols = Array.from({ length: ndim - (k - 1) }, () => new Float64Array(draws));
  for (let d = 0; d < draws; d++) {
    const th = res.chain.subarray(d * ndim, (d + 1) * ndim);
    alrToFractions(th, k, tmp);
    fr.set(tmp, d * k);
    for (let c = 0; c < cols.length; c++) cols[c][d] = th[k - 1 + c];
  }
  const perFraction = Array.from({ length: k }, (_, j) => {
    const v = new Float64Array(draws);
    for (let d = 0; d < draws; d++) v[d] = fr[d * k + j];
    return v;
  });
  const fractions = perFraction.map(summarize);
  const correlation = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let c = 0;
      for (let d = 0; d < draws; d++)
        c += (fr[d * k + a] - fractions[a].mean) * (fr[d * k + b] - fractions[b].mean);
      c /= Math.max(1, draws - 1);
      const den = fractions[a].sd * fractions[b].sd;
      correlation[a * k + b] = den > 0 ? c / den : a === b ? 1 : 0;
    }
  }
  const meanTheta = new Float64Array(ndim);
  meanTheta.set(
    fractionsToAlr(
      fractions.map((s) => s.mean),
      1e-12,
    ),
  );
  for (let c = 0; c < cols.length; c++) {
    let s = 0;
    for (const v of cols[c]) s += v;
    meanTheta[k - 1 + c] = s / draws;
  }
  const expSummary = (v: Float64Array) => summarize(v.map(Math.exp));
  const names = [
    ...m.refs.slice(0, -1).map((r) => `alr(${r.label})`),
    'shiftEv',
    'ln_scale',
    'ln_sigma',
    ...(m.noise === 'ar1' ? ['atanh_phi'] : []),
  ];
  return {
    labels: m.refs.map((r) => r.label),
    fractions,
    correlation,
    shiftEv: summarize(cols[0]),
    scale: expSummary(cols[1]),
    noiseSigma: expSummary(cols[2]),
    ar1Phi: m.noise === 'ar1' ? summarize(cols[3].map(Math.tanh)) : null,
    yfit: model(meanTheta),
    diagnostics: {
      paramNames: names,
      walkers,
      steps,
      burnIn,
      thin: res.thin,
      seed: opts.seed,
      meanAcceptance: res.meanAcceptance,
      autocorrTime: Array.from(res.autocorrTime),
      effectiveSamples: Array.from(res.effectiveSamples),
      warnings: res.warnings,
    },
    draws: fr,
  };
}

/**
 * Samples the posterior. The log-ratio baseline is the reference with the largest starting fraction
 * (a well-determined baseline keeps the coordinates close to Gaussian and the chains mixing);
 * results are reported in the caller's reference order.
 */
export function samplePosterior(m: PosteriorModel, opts: PosteriorOptions): PosteriorResult {
  const k = m.refs.length;
  if (m.alpha.length !== k || !m.alpha.every((a) => a > 0)) {
    throw new XasInputError('invalid Dirichlet prior', {
      field: 'alpha',
      expected: `${k} positive concentrations`,
    });
  }
  let a0 = 0;
  for (const a of m.alpha) a0 += a;
  const start = opts.start ? Array.from(opts.start) : Array.from(m.alpha, (a) => a / a0);
  if (start.length !== k)
    throw new XasInputError(`${start.length} starting fractions for ${k} references`, { field: 'start' });
  let base = 0;
  for (let j = 1; j < k; j++) if (start[j] > start[base]) base = j;
  const perm = [...Array.from({ length: k }, (_, j) => j).filter((j) => j !== base), base];
  const r = sampleOrdered(
    { ...m, refs: perm.map((j) => m.refs[j]), alpha: Float64Array.from(perm, (j) => m.alpha[j]) },
    { ...opts, start: perm.map((j) => start[j]) },
  );
  const inv = new Array<number>(k);
  perm.forEach((j, q) => {
    inv[j] = q;
  });
  const draws = new Float64Array(r.draws.length);
  const nd = r.draws.length / k;
  for (let d = 0; d < nd; d++) for (let j = 0; j < k; j++) draws[d * k + j] = r.draws[d * k + inv[j]];
  const correlation = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) correlation[a * k + b] = r.correlation[inv[a] * k + inv[b]];
  return {
    ...r,
    labels: m.refs.map((x) => x.label),
    fractions: m.refs.map((_, j) => r.fractions[inv[j]]),
    correlation,
    draws,
  };
}
