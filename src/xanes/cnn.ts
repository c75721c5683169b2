/**
 * The XANES composition network: a 1D ResNet (He et al. 2016 basic blocks, via the nn core) on the
 * normalised spectrum sampled on a fixed E − E0 grid (E0 = the tabulated edge energy of the
 * library), its flattened features joined with the spectrum itself (a wide-and-deep skip: the
 * dense layers see the raw points as well as the convolutional features, which keeps the energy
 * positions that global pooling would lose), two dense layers, and one output per reference in two
 * heads: 'fractions' (mean, squared error; projected onto the simplex so the fractions sum to one)
 * and 'dirichlet' (Dirichlet concentrations trained with the Dirichlet negative log-likelihood: the
 * predicted variance of each fraction). Squared error trains the means far better than the Dirichlet
 * likelihood alone on sparse compositions (measured: docs/xanes.md). A deep ensemble of differently
 * seeded members (Lakshminarayanan et al. 2017) adds the spread between members to the predicted
 * variance. The bundle on disk is a directory: model.xnn (nn core format) + meta.json (labels, grid,
 * training set recipe and seeds, interval calibration, validation metrics).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJson, writeFileAtomic } from '../core/atomic-write.js';
import { XasInputError } from '../core/errors.js';
import { type HeadSpec, type LayerSpec, type ModelSpec, NnModel, resBlock1d } from '../nn/index.js';
import { type CalibratedInterval, calibratedIntervals, type IntervalCalibration } from './calibration.js';
import { interpCubic } from './interp.js';
import type { PosteriorIntervalCalibration } from './posterior-calibration.js';
import type { SyntheticConfig } from './synthetic-config.js';

export type CnnHead = 'mse+dirichlet' | 'dirichlet';

export interface XanesCnnMeta {
  format: 'xasflow-xanes-cnn';
  version: 1;
  labels: string[];
  element?: string;
  edge?: string;
  /** Edge energy the grid is relative to (eV). */
  e0Ev: number;
  grid: { startEv: number; stepEv: number; points: number };
  head: CnnHead;
  /** How the training data were made: generator settings, sizes and seeds. */
  training: {
    config: SyntheticConfig;
    trainSpectra: number;
    trainSeed: number;
    nnSeed: number;
    members: number;
    epochs: number;
    seconds: number;
  };
  calibration: IntervalCalibration | null;
  /** Recalibration of the posterior's intervals (tools/xanes/calibrate-posterior.ts); absent before. */
  posteriorCalibration?: PosteriorIntervalCalibration | null;
  /** Metrics recorded on the fixed hold-out set (see tools/xanes/train-cnn.ts). */
  validation: Record<string, unknown> | null;
  library?: string;
}

export function xanesCnnSpec(
  points: number,
  nrefs: number,
  head: CnnHead,
  width = 16,
  dirichletWeight = 1e-4,
): ModelSpec {
  const heads: HeadSpec[] =
    head === 'dirichlet'
      ? [{ name: 'dirichlet', units: nrefs, loss: 'dirichlet_nll' }]
      : [
          { name: 'fractions', units: nrefs, loss: 'mse' },
          { name: 'dirichlet', units: nrefs, loss: 'dirichlet_nll', weight: dirichletWeight },
        ];
  const trunk: LayerSpec[] = [
    { type: 'conv1d', filters: width, kernelSize: 7, padding: 3, bias: false },
    { type: 'batchnorm' },
    { type: 'relu' },
    resBlock1d(width, { inChannels: width, kernelSize: 5 }),
    resBlock1d(2 * width, { inChannels: width, kernelSize: 5, stride: 2 }),
    resBlock1d(2 * width, { inChannels: 2 * width, kernelSize: 5, stride: 2 }),
    { type: 'flatten' },
  ];
  return {
    input: { length: points, channels: 1 },
    layers: [
      { type: 'concat', branches: [trunk, [{ type: 'flatten' }]] },
      { type: 'dense', units: 128, activation: 'relu' },
      { type: 'dense', units: 128, activation: 'relu' },
    ],
    heads,
  };
}

export interface CnnPrediction {
  n: number;
  k: number;
  /** Fractions on the simplex, row-major n × k. */
  mean: Float64Array;
  /** Total predictive standard deviation (ensemble spread and predicted noise), n × k. */
  std: Float64Array;
  /** Spread between members alone, n × k. */
  spread: Float64Array;
}

/** Projects each row onto the simplex by clipping negatives and renormalising. */
export function toSimplex(v: Float64Array, n: number, k: number): void {
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) {
      const x = Math.max(0, v[r * k + j]);
      v[r * k + j] = x;
      s += x;
    }
    for (let j = 0; j < k; j++) v[r * k + j] = s > 0 ? v[r * k + j] / s : 1 / k;
  }
}

export class XanesCnn {
  constructor(
    readonly model: NnModel,
    public meta: XanesCnnMeta,
  ) {}

  get energyEv(): Float64Array {
    const g = this.meta.grid;
    return Float64Array.from({ length: g.points }, (_, i) => this.meta.e0Ev + g.startEv + i * g.stepEv);
  }

  /** Samples a normalised spectrum on the model grid (Larch cubic interpolation). */
  prepare(energyEv: Float64Array, norm: Float64Array, label = 'spectrum'): Float32Array {
    const grid = this.energyEv;
    const lo = grid[0];
    const hi = grid[grid.length - 1];
    if (energyEv[0] > lo || energyEv[energyEv.length - 1] < hi) {
      throw new XasInputError(
        `${label} covers ${energyEv[0]} to ${energyEv[energyEv.length - 1]} eV but the network needs ${lo} to ${hi} eV (E0 ${this.meta.e0Ev} eV ${this.meta.grid.startEv} to +${(hi - this.meta.e0Ev).toFixed(1)} eV)`,
        { field: label, expected: 'a spectrum covering the network energy grid' },
      );
    }
    return Float32Array.from(interpCubic(energyEv, norm, grid, label));
  }

  predict(x: Float32Array): CnnPrediction {
    const k = this.meta.labels.length;
    const out = this.model.predict(x, { batchSize: 256 });
    const d = out.dirichlet;
    const f = out.fractions ?? d;
    const n = f.n;
    const mean = Float64Array.from(f.mean);
    if (out.fractions) toSimplex(mean, n, k);
    // variance: the Dirichlet's (aleatoric) plus the spread of the members' means (epistemic)
    const std = new Float64Array(n * k);
    for (let i = 0; i < n * k; i++) {
      const al = d.aleatoric ? d.aleatoric[i] : 0;
      std[i] = Math.sqrt(f.spread[i] * f.spread[i] + al * al);
    }
    return { n, k, mean, std, spread: Float64Array.from(f.spread) };
  }

  /** Calibrated intervals of each fraction of row r (null without a calibration). */
  intervals(pred: CnnPrediction, r: number): CalibratedInterval[][] | null {
    const cal = this.meta.calibration;
    if (!cal) return null;
    return Array.from({ length: pred.k }, (_, j) =>
      calibratedIntervals(cal, pred.mean[r * pred.k + j], pred.std[r * pred.k + j]),
    );
  }

  save(dir: string): void {
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(join(dir, 'model.xnn'), this.model.toBytes());
    writeFileAtomic(join(dir, 'meta.json'), `${toJson(this.meta, 1)}\n`);
  }

  static load(dir: string): XanesCnn {
    let meta: XanesCnnMeta;
    try {
      meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    } catch (err) {
      throw new XasInputError(`cannot read the network description: ${(err as Error).message}`, {
        file: join(dir, 'meta.json'),
        expected: 'a model directory written by xasflow xanes train',
      });
    }
    if (meta.format !== 'xasflow-xanes-cnn' || meta.version !== 1) {
      throw new XasInputError('not a xasflow XANES network', {
        file: join(dir, 'meta.json'),
        field: 'format',
        expected: "'xasflow-xanes-cnn' version 1",
      });
    }
    const model = NnModel.load(join(dir, 'model.xnn'));
    const units = model.spec.heads.find((h) => h.name === 'dirichlet')?.units;
    if (units !== meta.labels.length) {
      throw new XasInputError(`the network has ${units} outputs for ${meta.labels.length} labels`, {
        file: dir,
      });
    }
    return new XanesCnn(model, meta);
  }
}
