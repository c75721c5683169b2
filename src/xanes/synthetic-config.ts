/**
 * Settings of the synthetic-spectrum generator: the fixed E − E0 grid and the range of every
 * distortion, each a plain parameter recorded with the data it produced. Ranges are uniform unless
 * named log-uniform; a distortion with probability 0 (or a zero range) is off.
 */
import { readFileSync } from 'node:fs';
import { XasInputError } from '../core/errors.js';

export type Range = [number, number];

export interface SyntheticConfig {
  /** Grid relative to the library's edge energy: start, step and number of points (eV). */
  grid: { startEv: number; stepEv: number; points: number };
  /** Number of references mixed in one spectrum (inclusive range). */
  components: [number, number];
  /** Dirichlet concentration of the fractions of the chosen references (1 = uniform on the simplex). */
  dirichletAlpha: number;
  /** Names of the references that may be mixed (default: all). */
  allowed?: string[];
  /** Energy-calibration shift of the whole spectrum (eV). */
  shiftEv: Range;
  /** Extra Gaussian broadening, FWHM in eV (resolution differences). */
  broadeningFwhmEv: Range;
  /** Noise: σ = 1/SNR of the edge step (log-uniform); 'poisson' = counting statistics in transmission. */
  snr: Range;
  noise: 'gaussian' | 'poisson';
  /** Normalisation errors: edge-step scale error, post-edge slope (per 100 eV), pre-edge offset and slope (per 100 eV). */
  stepScale: Range;
  postSlope: Range;
  preOffset: Range;
  preSlope: Range;
  /** Fluorescence self-absorption: probability and β = background/edge absorption ratio (log-uniform). */
  selfAbsorption: { probability: number; beta: Range };
  /** Transmission thickness effect: probability, edge jump Δμd and leakage (pinhole) fraction. */
  thickness: { probability: number; edgeJump: Range; leak: Range };
}

/** The realistic set of the hold-out evaluation: 3–4 components, SNR 100–400, ±1 eV shifts, all distortions on. */
export function defaultSyntheticConfig(overrides: Partial<SyntheticConfig> = {}): SyntheticConfig {
  return {
    grid: { startEv: -20, stepEv: 0.5, points: 160 },
    components: [3, 4],
    dirichletAlpha: 1,
    shiftEv: [-1, 1],
    broadeningFwhmEv: [0, 1],
    snr: [100, 400],
    noise: 'gaussian',
    stepScale: [-0.03, 0.03],
    postSlope: [-0.02, 0.02],
    preOffset: [-0.01, 0.01],
    preSlope: [-0.01, 0.01],
    selfAbsorption: { probability: 0.25, beta: [3, 30] },
    thickness: { probability: 0.25, edgeJump: [1, 3], leak: [0, 0.03] },
    ...overrides,
  };
}

/** A configuration with every distortion off except noise (the "clean" row of the tables). */
export function noiseOnlyConfig(base: SyntheticConfig): SyntheticConfig {
  return {
    ...base,
    shiftEv: [0, 0],
    broadeningFwhmEv: [0, 0],
    stepScale: [0, 0],
    postSlope: [0, 0],
    preOffset: [0, 0],
    preSlope: [0, 0],
    selfAbsorption: { ...base.selfAbsorption, probability: 0 },
    thickness: { ...base.thickness, probability: 0 },
  };
}

/** Named distortion scenarios: noise plus one distortion at its configured range, and all together. */
export function distortionScenarios(base: SyntheticConfig): { name: string; config: SyntheticConfig }[] {
  const clean = noiseOnlyConfig(base);
  return [
    { name: 'noise only', config: clean },
    { name: 'calibration shift', config: { ...clean, shiftEv: base.shiftEv } },
    { name: 'broadening', config: { ...clean, broadeningFwhmEv: base.broadeningFwhmEv } },
    {
      name: 'normalisation errors',
      config: {
        ...clean,
        stepScale: base.stepScale,
        postSlope: base.postSlope,
        preOffset: base.preOffset,
        preSlope: base.preSlope,
      },
    },
    {
      name: 'self-absorption',
      config: { ...clean, selfAbsorption: { ...base.selfAbsorption, probability: 1 } },
    },
    { name: 'thickness', config: { ...clean, thickness: { ...base.thickness, probability: 1 } } },
    { name: 'all (realistic)', config: base },
  ];
}

function checkRange(r: unknown, name: string, lo = -Infinity, hi = Infinity): void {
  if (
    !Array.isArray(r) ||
    r.length !== 2 ||
    !r.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
    r[0] > r[1] ||
    r[0] < lo ||
    r[1] > hi
  ) {
    throw new XasInputError(`invalid range ${JSON.stringify(r)}`, {
      field: name,
      expected: `[min, max] with ${lo} <= min <= max <= ${hi}`,
    });
  }
}

export function validateSyntheticConfig(c: SyntheticConfig, nrefs: number): void {
  const g = c.grid;
  if (!(g.points >= 8 && Number.isInteger(g.points) && g.stepEv > 0 && Number.isFinite(g.startEv))) {
    throw new XasInputError('invalid grid', { field: 'grid', expected: 'points >= 8 (integer), stepEv > 0' });
  }
  checkRange(c.components, 'components', 1, nrefs);
  if (!Number.isInteger(c.components[0]) || !Number.isInteger(c.components[1])) {
    throw new XasInputError('component counts must be integers', { field: 'components' });
  }
  if (!(c.dirichletAlpha > 0))
    throw new XasInputError('dirichletAlpha must be > 0', { field: 'dirichletAlpha' });
  checkRange(c.shiftEv, 'shiftEv');
  checkRange(c.broadeningFwhmEv, 'broadeningFwhmEv', 0);
  checkRange(c.snr, 'snr', 1e-9);
  checkRange(c.stepScale, 'stepScale', -0.9);
  checkRange(c.postSlope, 'postSlope');
  checkRange(c.preOffset, 'preOffset');
  checkRange(c.preSlope, 'preSlope');
  checkRange(c.selfAbsorption.beta, 'selfAbsorption.beta', 1e-6);
  checkRange(c.thickness.edgeJump, 'thickness.edgeJump', 1e-6);
  checkRange(c.thickness.leak, 'thickness.leak', 0, 0.99);
  for (const [p, name] of [
    [c.selfAbsorption.probability, 'selfAbsorption.probability'],
    [c.thickness.probability, 'thickness.probability'],
  ] as const) {
    if (!(p >= 0 && p <= 1))
      throw new XasInputError(`probability ${p} out of range`, { field: name, expected: '0 to 1' });
  }
  if (c.noise !== 'gaussian' && c.noise !== 'poisson') {
    throw new XasInputError(`unknown noise model '${String(c.noise)}'`, {
      field: 'noise',
      expected: "'gaussian' or 'poisson'",
    });
  }
}

/** Grid energies relative to E0. */
export function gridRelative(c: SyntheticConfig): Float64Array {
  const g = new Float64Array(c.grid.points);
  for (let i = 0; i < g.length; i++) g[i] = c.grid.startEv + i * c.grid.stepEv;
  return g;
}

/** Settings from a JSON file of SyntheticConfig fields (the rest default); the default without a file. */
export function syntheticConfigFromFile(path: string | undefined): SyntheticConfig {
  if (!path) return defaultSyntheticConfig();
  try {
    return defaultSyntheticConfig(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new XasInputError(`cannot read the synthetic-data settings: ${(err as Error).message}`, {
      file: path,
      expected: 'JSON with SyntheticConfig fields',
    });
  }
}
