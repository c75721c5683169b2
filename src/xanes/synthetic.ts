/**
 * Physically motivated synthetic XANES from measured references, for training and testing
 * composition models. A spectrum is Σ fᵢ·normᵢ(E) of k references with Dirichlet fractions, then
 * (each distortion's range in SyntheticConfig):
 * - resolution broadening: convolution with a Gaussian of the drawn FWHM;
 * - calibration error: the whole spectrum shifted by δE;
 * - fluorescence self-absorption of a thick sample (Tröger et al., Phys. Rev. B 46 (1992) 3283;
 *   Booth & Bridges, Phys. Scr. T115 (2005) 202): I_f ∝ μ_a/(μ_a + μ_rest), which in normalised
 *   units is n·(1 + β)/(n + β) with β the ratio of the other absorption to the edge jump;
 * - transmission thickness/leakage (Stern & Kim, Phys. Rev. B 23 (1981) 3781): measured
 *   μd = −ln((1 − p)·e^(−μd) + p) for a pinhole/harmonic fraction p, renormalised;
 * - normalisation errors left by pre-/post-edge fitting: n·(1 + a + c·x) + b + d·x, x = (E − E0)/100 eV;
 * - noise: Gaussian with σ = 1/SNR of the edge step, or counting statistics (Poisson I_t for a
 *   transmission measurement whose post-edge noise is 1/SNR).
 * Every draw is seeded and recorded with the sample; labels are the true fractions over all references.
 */
import { XasInputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { interpCubic } from './interp.js';
import type { XanesLibrary } from './library.js';
import { gridRelative, type SyntheticConfig, validateSyntheticConfig } from './synthetic-config.js';

export interface SyntheticSample {
  /** Indices (into the library's references) of the mixed references. */
  components: number[];
  /** Fractions over all references (zeros for the absent ones). */
  fractions: number[];
  shiftEv: number;
  broadeningFwhmEv: number;
  snr: number;
  stepScale: number;
  postSlope: number;
  preOffset: number;
  preSlope: number;
  selfAbsorptionBeta: number | null;
  thickness: { edgeJump: number; leak: number } | null;
}

export interface SyntheticSet {
  labels: string[];
  /** Edge energy the grid is relative to (eV) and the absolute grid. */
  e0Ev: number;
  energyEv: Float64Array;
  /** Spectra, row-major n × points. */
  x: Float32Array;
  /** Fractions, row-major n × references. */
  y: Float32Array;
  n: number;
  samples: SyntheticSample[];
  seed: number;
  config: SyntheticConfig;
}

const FINE_STEP = 0.1;
const FWHM_TO_SIGMA = 1 / (2 * Math.sqrt(2 * Math.LN2));

export class SyntheticGenerator {
  readonly labels: string[];
  readonly e0Ev: number;
  readonly energyEv: Float64Array;
  private readonly fine: Float64Array;
  private readonly fineRefs: Float64Array[];
  private readonly allowed: number[];

  constructor(
    lib: Pick<XanesLibrary, 'references' | 'edgeEnergyEv'>,
    readonly config: SyntheticConfig,
  ) {
    validateSyntheticConfig(config, lib.references.length);
    const e0 = lib.edgeEnergyEv;
    if (e0 === undefined) {
      throw new XasInputError('the library has no edge energy', {
        field: 'edgeEnergyEv',
        expected: 'a library with element and edge',
      });
    }
    this.e0Ev = e0;
    this.labels = lib.references.map((r) => r.name);
    this.energyEv = gridRelative(config).map((v) => v + e0);
    const maxShift = Math.max(Math.abs(config.shiftEv[0]), Math.abs(config.shiftEv[1]));
    const pad = 4 * config.broadeningFwhmEv[1] * FWHM_TO_SIGMA + maxShift + 1;
    const lo = this.energyEv[0] - pad;
    const hi = this.energyEv[this.energyEv.length - 1] + pad;
    const nf = Math.ceil((hi - lo) / FINE_STEP) + 1;
    this.fine = new Float64Array(nf);
    for (let i = 0; i < nf; i++) this.fine[i] = lo + i * FINE_STEP;
    this.fineRefs = lib.references.map((r) => {
      const e = r.energyEv;
      if (e[0] > lo || e[e.length - 1] < hi) {
        throw new XasInputError(
          `reference '${r.name}' covers ${e[0].toFixed(1)} to ${e[e.length - 1].toFixed(1)} eV; the synthetic grid needs ${lo.toFixed(1)} to ${hi.toFixed(1)} eV`,
          { field: r.name, expected: 'references covering the grid plus shift and broadening margins' },
        );
      }
      return interpCubic(e, r.norm, this.fine, `reference '${r.name}'`);
    });
    const allowed = config.allowed ?? this.labels;
    this.allowed = allowed.map((name) => {
      const j = this.labels.indexOf(name);
      if (j < 0)
        throw new XasInputError(`unknown reference '${name}'`, {
          field: 'allowed',
          expected: `one of ${this.labels.join(', ')}`,
        });
      return j;
    });
    if (config.components[1] > this.allowed.length) {
      throw new XasInputError(
        `${config.components[1]} components requested from ${this.allowed.length} allowed references`,
        {
          field: 'components',
        },
      );
    }
  }

  /** Draws the parameters of one spectrum. */
  drawSample(rng: Rng): SyntheticSample {
    const c = this.config;
    const k = c.components[0] + rng.int(c.components[1] - c.components[0] + 1);
    const pool = this.allowed.slice();
    const components: number[] = [];
    for (let i = 0; i < k; i++) components.push(pool.splice(rng.int(pool.length), 1)[0]);
    components.sort((a, b) => a - b);
    const f = rng.dirichlet(new Float64Array(k).fill(c.dirichletAlpha));
    const fractions = new Array<number>(this.labels.length).fill(0);
    components.forEach((j, i) => {
      fractions[j] = f[i];
    });
    const u = (r: [number, number]) => (r[0] === r[1] ? r[0] : rng.range(r[0], r[1]));
    const logu = (r: [number, number]) =>
      r[0] === r[1] ? r[0] : Math.exp(rng.range(Math.log(r[0]), Math.log(r[1])));
    const sa = rng.uniform() < c.selfAbsorption.probability ? logu(c.selfAbsorption.beta) : null;
    const th =
      rng.uniform() < c.thickness.probability
        ? { edgeJump: u(c.thickness.edgeJump), leak: u(c.thickness.leak) }
        : null;
    return {
      components,
      fractions,
      shiftEv: u(c.shiftEv),
      broadeningFwhmEv: u(c.broadeningFwhmEv),
      snr: logu(c.snr),
      stepScale: u(c.stepScale),
      postSlope: u(c.postSlope),
      preOffset: u(c.preOffset),
      preSlope: u(c.preSlope),
      selfAbsorptionBeta: sa,
      thickness: th,
    };
  }

  /** The noise-free, distorted spectrum of a sample on the grid. */
  render(s: SyntheticSample): Float64Array {
    const nf = this.fine.length;
    let mix: Float64Array = new Float64Array(nf);
    for (const j of s.components) {
      const fr = s.fractions[j];
      const r = this.fineRefs[j];
      for (let i = 0; i < nf; i++) mix[i] += fr * r[i];
    }
    const sigma = s.broadeningFwhmEv * FWHM_TO_SIGMA;
    if (sigma > 0.02) mix = gaussianSmooth(mix, sigma / FINE_STEP);
    const L = this.energyEv.length;
    const out = new Float64Array(L);
    const f0 = this.fine[0];
    for (let i = 0; i < L; i++) {
      const t = (this.energyEv[i] - s.shiftEv - f0) / FINE_STEP;
      const k = Math.min(nf - 2, Math.max(0, Math.floor(t)));
      const w = t - k;
      out[i] = mix[k] * (1 - w) + mix[k + 1] * w;
    }
    if (s.selfAbsorptionBeta !== null) {
      const b = s.selfAbsorptionBeta;
      for (let i = 0; i < L; i++) out[i] = (out[i] * (1 + b)) / (out[i] + b);
    }
    if (s.thickness !== null) {
      const { edgeJump, leak } = s.thickness;
      const pre = 0.2 * edgeJump;
      const meas = (n: number) => -Math.log((1 - leak) * Math.exp(-(pre + edgeJump * n)) + leak);
      const m0 = meas(0);
      const m1 = meas(1);
      for (let i = 0; i < L; i++) out[i] = (meas(out[i]) - m0) / (m1 - m0);
    }
    for (let i = 0; i < L; i++) {
      const x = (this.energyEv[i] - this.e0Ev) / 100;
      out[i] = out[i] * (1 + s.stepScale + s.postSlope * x) + s.preOffset + s.preSlope * x;
    }
    return out;
  }

  /** Adds the sample's noise to a rendered spectrum (in place). */
  addNoise(spectrum: Float64Array, s: SyntheticSample, rng: Rng): void {
    if (this.config.noise === 'gaussian') {
      const sd = 1 / s.snr;
      for (let i = 0; i < spectrum.length; i++) spectrum[i] += sd * rng.normal();
      return;
    }
    // transmission counting: μd = base + n, I_t ~ Poisson(N0·e^(−μd)), post-edge σ(n) = 1/SNR
    const base = 0.3;
    const n0 = s.snr * s.snr * Math.exp(base + 1);
    for (let i = 0; i < spectrum.length; i++) {
      const counts = Math.max(1, rng.poisson(n0 * Math.exp(-(base + spectrum[i]))));
      spectrum[i] = Math.log(n0 / counts) - base;
    }
  }

  /** n spectra with their labels; `seed` makes the set reproducible. */
  generate(n: number, seed: number, onProgress?: (done: number) => void): SyntheticSet {
    if (!(Number.isInteger(n) && n > 0))
      throw new XasInputError(`invalid count ${n}`, { field: 'n', expected: 'a positive integer' });
    const rng = new Rng(seed);
    const L = this.energyEv.length;
    const K = this.labels.length;
    const x = new Float32Array(n * L);
    const y = new Float32Array(n * K);
    const samples: SyntheticSample[] = [];
    for (let r = 0; r < n; r++) {
      const s = this.drawSample(rng);
      const sp = this.render(s);
      this.addNoise(sp, s, rng);
      x.set(sp, r * L);
      for (let j = 0; j < K; j++) y[r * K + j] = s.fractions[j];
      samples.push(s);
      if (onProgress && (r + 1) % 1000 === 0) onProgress(r + 1);
    }
    return {
      labels: this.labels,
      e0Ev: this.e0Ev,
      energyEv: this.energyEv,
      x,
      y,
      n,
      samples,
      seed,
      config: this.config,
    };
  }
}

/** Gaussian smoothing with σ in samples, kernel truncated at 4σ and renormalised at the ends. */
export function gaussianSmooth(y: Float64Array, sigma: number): Float64Array {
  const h = Math.max(1, Math.ceil(4 * sigma));
  const kern = new Float64Array(2 * h + 1);
  for (let k = -h; k <= h; k++) kern[k + h] = Math.exp(-0.5 * (k / sigma) ** 2);
  const n = y.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let w = 0;
    const a = Math.max(0, i - h);
    const b = Math.min(n - 1, i + h);
    for (let j = a; j <= b; j++) {
      const kw = kern[j - i + h];
      s += kw * y[j];
      w += kw;
    }
    out[i] = s / w;
  }
  return out;
}
