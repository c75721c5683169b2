/**
 * The EXAFS path equation with Larch's conventions (larch.xafs.feffdat._calc_chi, i.e. IFEFFIT's):
 * q = sign(k² − ETOK·e0)·sqrt(|k² − ETOK·e0|); amplitude, phase, Re p and λ looked up at q with
 * not-a-knot cubic splines; p² = (Re p + i/λ)² + i·ETOK·ei;
 * χ̃ = N·S0²·amp/(q (reff+ΔR)²) · exp(−2 reff Im p − 2p²(σ² − p²c4/3)
 *                                     + i[2q·reff + pha + 2p(ΔR − 2σ²/reff − 2p²c3/3)]);
 * χ = Im χ̃, and the first point is extrapolated linearly from the next two as Larch does.
 */
import { XasInputError } from '../core/errors.js';
import { ETOK } from './constants.js';
import { type FeffPathData, pathAmplitude, pathPhase } from './feff/dat.js';
import { type CubicSpline, evalSplineMany, notAKnotSpline } from './spline.js';

/** Path parameters in Larch's meaning; absent ones take Larch's defaults. */
export interface PathParameters {
  /** Path degeneracy N (default: the file's). */
  degen?: number;
  /** Amplitude reduction factor S0² (default 1). */
  s02?: number;
  /** Energy shift ΔE0 in eV (default 0). */
  e0Ev?: number;
  /** Imaginary energy (broadening) Ei in eV (default 0). */
  eiEv?: number;
  /** Change of half path length ΔR in Å (default 0). */
  deltaR?: number;
  /** Mean-square relative displacement σ² in Å² (default 0). */
  sigma2?: number;
  /** Third cumulant in Å³ (default 0). */
  c3?: number;
  /** Fourth cumulant in Å⁴ (default 0). */
  c4?: number;
}

/** A path with its spline coefficients built once, for repeated evaluation in fits. */
export interface PreparedPath {
  data: FeffPathData;
  amp: CubicSpline;
  pha: CubicSpline;
  rep: CubicSpline;
  lam: CubicSpline;
}

export function preparePath(data: FeffPathData): PreparedPath {
  const what = `${data.source} spline`;
  return {
    data,
    amp: notAKnotSpline(data.k, pathAmplitude(data), what),
    pha: notAKnotSpline(data.k, pathPhase(data), what),
    rep: notAKnotSpline(data.k, data.realP, what),
    lam: notAKnotSpline(data.k, data.lambdaAngstrom, what),
  };
}

/** Larch's default k grid for a path: 0.05 Å⁻¹ steps up to min(max k of the file, 30). */
export function defaultPathKGrid(data: FeffPathData, kstep = 0.05, kmax = 30): Float64Array {
  const top = Math.min(data.k[data.k.length - 1], kmax);
  const n = Math.floor(1.01 + top / kstep);
  return Float64Array.from({ length: n }, (_, i) => kstep * i);
}

const SMALL_ENERGY = 1e-6;

export interface PathChi {
  k: Float64Array;
  chi: Float64Array;
  /** −Re χ̃ (Larch's chi_imag). */
  chiImag: Float64Array;
}

/** χ(k) of one path for the given parameters on grid k (at least 3 points). */
export function pathChi(
  path: PreparedPath | FeffPathData,
  k: Float64Array,
  params: PathParameters = {},
): PathChi {
  const p = 'amp' in path ? path : preparePath(path);
  const reff = p.data.reffAngstrom;
  const degen = params.degen ?? p.data.degeneracy;
  const s02 = params.s02 ?? 1;
  const e0 = params.e0Ev ?? 0;
  const ei = params.eiEv ?? 0;
  const dr = params.deltaR ?? 0;
  const ss2 = params.sigma2 ?? 0;
  const c3 = params.c3 ?? 0;
  const c4 = params.c4 ?? 0;
  for (const [name, v] of Object.entries({ degen, s02, e0, ei, dr, ss2, c3, c4 })) {
    if (!Number.isFinite(v))
      throw new XasInputError(`path parameter ${name} = ${v}`, { expected: 'a finite number' });
  }
  const n = k.length;
  if (n < 3) throw new XasInputError(`k grid has ${n} points`, { expected: 'at least 3 points' });
  const en = new Float64Array(n);
  let minAbs = Infinity;
  for (let i = 0; i < n; i++) {
    en[i] = k[i] * k[i] - e0 * ETOK;
    minAbs = Math.min(minAbs, Math.abs(en[i]));
  }
  if (minAbs < SMALL_ENERGY) {
    for (let i = 0; i < n; i++) if (Math.abs(en[i]) < 1.5 * SMALL_ENERGY) en[i] = SMALL_ENERGY;
  }
  const q = Float64Array.from(en, (e) => Math.sign(e) * Math.sqrt(Math.abs(e)));
  const pha = evalSplineMany(p.pha, q);
  const amp = evalSplineMany(p.amp, q);
  const rep = evalSplineMany(p.rep, q);
  const lam = evalSplineMany(p.lam, q);
  const chi = new Float64Array(n);
  const chiImag = new Float64Array(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const rTot2 = (reff + dr) * (reff + dr);
  for (let i = 0; i < n; i++) {
    // p² = (rep + i/λ)² + i·ETOK·ei
    const a = rep[i];
    const b = 1 / lam[i];
    const ppRe = a * a - b * b;
    const ppIm = 2 * a * b + ei * ETOK;
    // p = sqrt(p²), principal branch
    const mod = Math.hypot(ppRe, ppIm);
    const pRe = Math.sqrt(Math.max(0, (mod + ppRe) / 2));
    const pIm = (ppIm < 0 ? -1 : 1) * Math.sqrt(Math.max(0, (mod - ppRe) / 2));
    // Real-part-of-exponent pieces: −2 reff Im p − 2 pp (σ² − pp c4/3)
    const pp2Re = ppRe * ppRe - ppIm * ppIm;
    const pp2Im = 2 * ppRe * ppIm;
    const t1Re = -2 * (ppRe * ss2 - (pp2Re * c4) / 3);
    const t1Im = -2 * (ppIm * ss2 - (pp2Im * c4) / 3);
    // i·[2 q reff + pha + 2 p (ΔR − 2σ²/reff − 2 pp c3/3)]
    const wRe = dr - (2 * ss2) / reff - (2 * ppRe * c3) / 3;
    const wIm = -(2 * ppIm * c3) / 3;
    const pwRe = 2 * (pRe * wRe - pIm * wIm);
    const pwIm = 2 * (pRe * wIm + pIm * wRe);
    const argRe = 2 * q[i] * reff + pha[i] + pwRe; // real part of the bracket
    const argIm = pwIm; // imaginary part of the bracket
    // exponent X = −2 reff Im p + t1 + i·(argRe + i argIm)
    const xRe = -2 * reff * pIm + t1Re - argIm;
    const xIm = t1Im + argRe;
    const mag = Math.exp(xRe);
    const scale = (degen * s02 * amp[i]) / (q[i] * rTot2);
    re[i] = scale * mag * Math.cos(xIm);
    im[i] = scale * mag * Math.sin(xIm);
  }
  re[0] = 2 * re[1] - re[2];
  im[0] = 2 * im[1] - im[2];
  for (let i = 0; i < n; i++) {
    chi[i] = im[i];
    chiImag[i] = -re[i];
  }
  return { k: Float64Array.from(k), chi, chiImag };
}

/** Sum of χ(k) over paths (Larch's ff2chi); per-path parameters by index, or one set for all. */
export function sumPaths(
  paths: (PreparedPath | FeffPathData)[],
  k: Float64Array,
  params: PathParameters | PathParameters[] = {},
): Float64Array {
  if (paths.length === 0) throw new XasInputError('no paths to sum', { expected: 'at least one FEFF path' });
  if (Array.isArray(params) && params.length !== paths.length) {
    throw new XasInputError(`${params.length} parameter sets for ${paths.length} paths`, {
      expected: 'one parameter set per path',
    });
  }
  const out = new Float64Array(k.length);
  paths.forEach((path, i) => {
    const c = pathChi(path, k, Array.isArray(params) ? params[i] : params).chi;
    for (let j = 0; j < out.length; j++) out[j] += c[j];
  });
  return out;
}
