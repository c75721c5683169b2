/**
 * Integrated autocorrelation time of MCMC chains, estimated as emcee 3 does (Foreman-Mackey et al.,
 * PASP 125 (2013) 306; Goodman & Weare 2010): the normalised autocorrelation function of each
 * walker's chain by FFT, averaged over walkers, τ(M) = 1 + 2 Σ_{t=1}^{M} ρ(t), with Sokal's
 * automatic window: the smallest M ≥ c·τ(M), c = 5.
 */
import FFT from 'fft.js';

const plans = new Map<number, FFT>();

function nextPow2(n: number): number {
  let p = 4;
  while (p < n) p *= 2;
  return p;
}

/** Normalised autocorrelation function ρ(t), t = 0 … n − 1, of one series. */
export function autocorrelation(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const nfft = nextPow2(2 * n);
  let plan = plans.get(nfft);
  if (!plan) {
    plan = new FFT(nfft);
    plans.set(nfft, plan);
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  const input = new Float64Array(nfft);
  for (let i = 0; i < n; i++) input[i] = x[i] - mean;
  const spec = plan.createComplexArray() as number[];
  plan.realTransform(spec, input);
  plan.completeSpectrum(spec);
  for (let k = 0; k < nfft; k++) {
    const re = spec[2 * k];
    const im = spec[2 * k + 1];
    spec[2 * k] = re * re + im * im;
    spec[2 * k + 1] = 0;
  }
  const back = plan.createComplexArray() as number[];
  plan.inverseTransform(back, spec);
  const acf = new Float64Array(n);
  const c0 = back[0];
  for (let t = 0; t < n; t++) acf[t] = c0 > 0 ? back[2 * t] / c0 : t === 0 ? 1 : 0;
  return acf;
}

/**
 * τ for each parameter of a chain stored step-major: chain[(step·walkers + w)·ndim + p].
 * Returns NaN where a parameter never moved.
 */
export function autocorrTime(
  chain: Float64Array,
  steps: number,
  walkers: number,
  ndim: number,
  c = 5,
): Float64Array {
  const tau = new Float64Array(ndim);
  const series = new Float64Array(steps);
  for (let p = 0; p < ndim; p++) {
    const mean = new Float64Array(steps);
    let moved = false;
    for (let w = 0; w < walkers; w++) {
      for (let s = 0; s < steps; s++) series[s] = chain[(s * walkers + w) * ndim + p];
      const acf = autocorrelation(series);
      if (acf[0] === 1 && series.some((v) => v !== series[0])) moved = true;
      for (let s = 0; s < steps; s++) mean[s] += acf[s] / walkers;
    }
    if (!moved) {
      tau[p] = Number.NaN;
      continue;
    }
    let t = 1;
    for (let m = 1; m < steps; m++) {
      t += 2 * mean[m];
      if (m >= c * t) break;
    }
    tau[p] = t;
  }
  return tau;
}
