/**
 * Training of the XANES composition network end to end: seeded synthetic training, calibration and
 * validation sets from one reference library; a deep ensemble trained through the nn core (worker
 * threads, checkpoints for resuming); interval recalibration on the calibration set; metrics and
 * measured coverage on the validation set, recorded in the model's description so a test can check
 * that the shipped model still reproduces them.
 */
import { XasInputError } from '../core/errors.js';
import type { EpochProgress } from '../nn/index.js';
import { NnModel } from '../nn/index.js';
import { fitIntervalCalibration, measureCoverage } from './calibration.js';
import { type CnnHead, XanesCnn, type XanesCnnMeta, xanesCnnSpec } from './cnn.js';
import type { XanesLibrary } from './library.js';
import { SyntheticGenerator, type SyntheticSet } from './synthetic.js';
import type { SyntheticConfig } from './synthetic-config.js';

export interface TrainCnnOptions {
  config: SyntheticConfig;
  trainSpectra: number;
  calibrationSpectra: number;
  validationSpectra: number;
  /** Seed of the training set; the calibration and validation sets use seed + 1 and seed + 2. */
  seed: number;
  members: number;
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  head?: CnnHead;
  width?: number;
  workers?: number;
  patience?: number;
  checkpointDir?: string;
  signal?: AbortSignal;
  onEpoch?: (p: EpochProgress) => void;
  onStage?: (stage: string) => void;
  libraryName?: string;
}

export interface FractionMetrics {
  /** Mean absolute error over all fractions (absent components included). */
  maeAll: number;
  /** Mean absolute error over the components present in each spectrum. */
  maePresent: number;
  rmseAll: number;
  /** Largest absolute error of any fraction. */
  maxError: number;
  spectra: number;
}

export function fractionMetrics(
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  k: number,
): FractionMetrics {
  let ae = 0;
  let se = 0;
  let aeP = 0;
  let nP = 0;
  let mx = 0;
  for (let i = 0; i < truth.length; i++) {
    const d = Math.abs(pred[i] - truth[i]);
    ae += d;
    se += d * d;
    mx = Math.max(mx, d);
    if (truth[i] > 0) {
      aeP += d;
      nP++;
    }
  }
  return {
    maeAll: ae / truth.length,
    maePresent: aeP / Math.max(1, nP),
    rmseAll: Math.sqrt(se / truth.length),
    maxError: mx,
    spectra: truth.length / k,
  };
}

/** Metrics and coverage of a trained network on a synthetic set (calibrated intervals). */
export function evaluateCnn(cnn: XanesCnn, set: SyntheticSet) {
  const pred = cnn.predict(set.x);
  const metrics = fractionMetrics(pred.mean, set.y, pred.k);
  let coverage = null;
  if (cnn.meta.calibration) {
    const intervals = [];
    for (let r = 0; r < pred.n; r++) intervals.push(...(cnn.intervals(pred, r) ?? []));
    coverage = measureCoverage(intervals, set.y);
  }
  return { metrics, coverage, pred };
}

export async function trainXanesCnn(
  lib: XanesLibrary,
  o: TrainCnnOptions,
): Promise<{ cnn: XanesCnn; validation: ReturnType<typeof evaluateCnn> }> {
  if (o.members < 1 || !Number.isInteger(o.members))
    throw new XasInputError(`members ${o.members}`, { field: 'members', expected: 'an integer >= 1' });
  const t0 = performance.now();
  const gen = new SyntheticGenerator(lib, o.config);
  o.onStage?.(`generating ${o.trainSpectra} training spectra (seed ${o.seed})`);
  const train = gen.generate(o.trainSpectra, o.seed);
  const cal = gen.generate(o.calibrationSpectra, o.seed + 1);
  const val = gen.generate(o.validationSpectra, o.seed + 2);
  const head = o.head ?? 'mse+dirichlet';
  const spec = xanesCnnSpec(o.config.grid.points, lib.references.length, head, o.width ?? 16);
  const model = new NnModel(spec);
  o.onStage?.(`training ${o.members} members (${model.parameterCount} parameters each)`);
  await model.fit(
    train.x,
    head === 'dirichlet' ? { dirichlet: train.y } : { fractions: train.y, dirichlet: train.y },
    {
      seed: o.seed,
      members: o.members,
      epochs: o.epochs,
      batchSize: o.batchSize ?? 64,
      optimizer: { lr: o.learningRate ?? 1e-3 },
      schedule: { type: 'cosine', tMax: o.epochs },
      earlyStopping: o.patience ? { patience: o.patience, restoreBest: true } : false,
      validationFraction: 0.1,
      normalize: { input: 'feature', targets: 'none' },
      workers: o.workers,
      checkpointDir: o.checkpointDir,
      signal: o.signal,
      onEpoch: o.onEpoch,
    },
  );
  const meta: XanesCnnMeta = {
    format: 'xasflow-xanes-cnn',
    version: 1,
    labels: gen.labels,
    element: lib.element,
    edge: lib.edge,
    e0Ev: gen.e0Ev,
    grid: o.config.grid,
    head,
    training: {
      config: o.config,
      trainSpectra: o.trainSpectra,
      trainSeed: o.seed,
      nnSeed: o.seed,
      members: o.members,
      epochs: o.epochs,
      seconds: (performance.now() - t0) / 1000,
    },
    calibration: null,
    validation: null,
    library: o.libraryName,
  };
  const cnn = new XanesCnn(model, meta);
  o.onStage?.(`calibrating intervals on ${o.calibrationSpectra} spectra`);
  const pc = cnn.predict(cal.x);
  meta.calibration = fitIntervalCalibration(pc.mean, pc.std, cal.y);
  o.onStage?.(`validating on ${o.validationSpectra} spectra`);
  const validation = evaluateCnn(cnn, val);
  meta.validation = {
    seed: o.seed + 2,
    spectra: o.validationSpectra,
    metrics: validation.metrics,
    coverage: validation.coverage,
  };
  meta.training.seconds = (performance.now() - t0) / 1000;
  return { cnn, validation };
}
