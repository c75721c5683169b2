/**
 * Affine-invariant ensemble sampler with the stretch move (Goodman & Weare, Comm. App. Math. Comp.
 * Sci. 5 (2010) 65), in the two-half ("red-blue") form of emcee (Foreman-Mackey et al., PASP 125
 * (2013) 306): each walker of one half proposes Y = X_j + z·(X_k − X_j) with X_j from the other
 * half and z ~ g(z) ∝ 1/√z on [1/a, a], accepted with probability min(1, z^(d−1)·p(Y)/p(X_k)).
 * Seeded; burn-in discarded; diagnostics: per-walker acceptance fractions, integrated
 * autocorrelation times and effective sample sizes, with warnings when the chain is too short
 * (fewer than 50 τ, emcee's advice) or the acceptance is outside 0.15–0.6.
 */
import { XasInputError, XasNumericalError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { autocorrTime } from './autocorr.js';

export interface EnsembleOptions {
  walkers: number;
  /** Total steps per walker, including burn-in. */
  steps: number;
  burnIn: number;
  /** Keep every thin-th step after burn-in (default 1). */
  thin?: number;
  /** Stretch scale a (default 2). */
  a?: number;
  seed: number;
  signal?: AbortSignal;
  onProgress?: (step: number, steps: number) => void;
}

export interface EnsembleResult {
  ndim: number;
  walkers: number;
  steps: number;
  burnIn: number;
  thin: number;
  seed: number;
  /** Kept samples after burn-in and thinning, step-major: [(s·walkers + w)·ndim + p]. */
  chain: Float64Array;
  logProb: Float64Array;
  keptSteps: number;
  acceptance: Float64Array;
  meanAcceptance: number;
  /** Integrated autocorrelation time per parameter, in steps (on the post-burn-in chain). */
  autocorrTime: Float64Array;
  /** Effective number of independent samples per parameter. */
  effectiveSamples: Float64Array;
  warnings: string[];
}

export function sampleEnsemble(
  logProb: (theta: Float64Array) => number,
  initial: Float64Array[],
  opts: EnsembleOptions,
): EnsembleResult {
  const walkers = initial.length;
  const ndim = initial[0]?.length ?? 0;
  const thin = opts.thin ?? 1;
  const a = opts.a ?? 2;
  if (walkers < 2 * ndim + 2 || walkers % 2 !== 0) {
    throw new XasInputError(`${walkers} walkers for ${ndim} parameters`, {
      field: 'walkers',
      expected: `an even number of at least 2·ndim + 2 = ${2 * ndim + 2}`,
    });
  }
  if (!(Number.isInteger(opts.steps) && opts.steps > opts.burnIn && opts.burnIn >= 0)) {
    throw new XasInputError(`steps ${opts.steps} with burn-in ${opts.burnIn}`, {
      field: 'steps',
      expected: 'steps > burnIn >= 0',
    });
  }
  if (!(a > 1)) throw new XasInputError(`stretch scale ${a}`, { field: 'a', expected: 'a > 1' });
  const rng = new Rng(opts.seed);
  const pos = initial.map((p) => Float64Array.from(p));
  const lp = pos.map((p) => logProb(p));
  lp.forEach((v, w) => {
    if (!Number.isFinite(v)) {
      throw new XasNumericalError(
        `initial position of walker ${w} has log-probability ${v}; start the walkers inside the support`,
      );
    }
  });
  const keptSteps = Math.floor((opts.steps - opts.burnIn) / thin);
  const chain = new Float64Array(keptSteps * walkers * ndim);
  const logProbOut = new Float64Array(keptSteps * walkers);
  const acceptedPost = new Float64Array(walkers);
  const half = walkers / 2;
  const proposal = new Float64Array(ndim);
  let kept = 0;
  for (let step = 0; step < opts.steps; step++) {
    if (opts.signal?.aborted) throw new XasNumericalError('sampling interrupted');
    for (let h = 0; h < 2; h++) {
      const own = h * half;
      const other = (1 - h) * half;
      for (let k = own; k < own + half; k++) {
        const j = other + rng.int(half);
        const z = ((a - 1) * rng.uniform() + 1) ** 2 / a;
        for (let p = 0; p < ndim; p++) proposal[p] = pos[j][p] + z * (pos[k][p] - pos[j][p]);
        const lpNew = logProb(proposal);
        const logAccept = (ndim - 1) * Math.log(z) + lpNew - lp[k];
        if (Number.isFinite(lpNew) && Math.log(rng.uniform()) < logAccept) {
          pos[k].set(proposal);
          lp[k] = lpNew;
          if (step >= opts.burnIn) acceptedPost[k]++;
        }
      }
    }
    if (step >= opts.burnIn && (step - opts.burnIn) % thin === 0 && kept < keptSteps) {
      for (let w = 0; w < walkers; w++) {
        chain.set(pos[w], (kept * walkers + w) * ndim);
        logProbOut[kept * walkers + w] = lp[w];
      }
      kept++;
    }
    opts.onProgress?.(step + 1, opts.steps);
  }
  const postSteps = opts.steps - opts.burnIn;
  const acceptance = acceptedPost.map((v) => v / postSteps);
  let meanAcceptance = 0;
  for (const v of acceptance) meanAcceptance += v / walkers;
  const tau = autocorrTime(chain, keptSteps, walkers, ndim).map((t) => t * thin);
  const effectiveSamples = tau.map((t) => (Number.isFinite(t) ? (postSteps * walkers) / Math.max(1, t) : 0));
  const warnings: string[] = [];
  const maxTau = Math.max(...Array.from(tau).filter(Number.isFinite), 0);
  if (maxTau * 50 > postSteps) {
    warnings.push(
      `the chain after burn-in (${postSteps} steps) is shorter than 50 autocorrelation times (τ = ${maxTau.toFixed(1)}): run longer for reliable intervals`,
    );
  }
  if (opts.burnIn < 2 * maxTau)
    warnings.push(`burn-in (${opts.burnIn} steps) is shorter than 2τ = ${(2 * maxTau).toFixed(0)} steps`);
  if (meanAcceptance < 0.15 || meanAcceptance > 0.6)
    warnings.push(`mean acceptance fraction ${meanAcceptance.toFixed(2)} is outside 0.15–0.6`);
  return {
    ndim,
    walkers,
    steps: opts.steps,
    burnIn: opts.burnIn,
    thin,
    seed: opts.seed,
    chain,
    logProb: logProbOut,
    keptSteps,
    acceptance,
    meanAcceptance,
    autocorrTime: tau,
    effectiveSamples,
    warnings,
  };
}

/** Equal-tailed quantile of sorted values (linear interpolation, numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
