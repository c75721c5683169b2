/**
 * The XANES composition network: a 1D ResNet (He et al. 2016 basic blocks, via the nn core) on the
 * normalised spectrum sampled on a fixed E − E0 grid (E0 = the tabulated edge energy of the
 * library), with one output per reference. Head 'dirichlet': Dirichlet concentrations (fractions sum
 * to one by construction, trained with the Dirichlet negative log-likelihood); head 'gaussian': a mean
 * and a variance per fraction (Gaussian NLL), the means projected onto the simplex. A deep ensemble
 * of differently seeded members (Lakshminarayanan et al. 2017) adds the spread between members to
 * the predicted noise. The bundle on disk is a directory: model.xnn (nn core format) + meta.json
 * (labels, grid, training set recipe and seeds, interval calibration, validation metrics).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJson, writeFileAtomic } from '../core/atomic-write.js';
import { XasInputError } from '../core/errors.js';
import { type HeadSpec, type ModelSpec, NnModel, resnet1dSpec } from '../nn/index.js';
import { type CalibratedInterval, calibratedIntervals, type IntervalCalibration } from './calibration.js';
import { interpCubic } from './interp.js';
import type { SyntheticConfig } from './synthetic-config.js';

export type CnnHead = 'dirichlet' | 'gaussian';

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
  /** Metrics recorded on the fixed hold-out set (see tools/xanes/train-cnn.ts). */
  validation: Record<string, unknown> | null;
  library?: string;
}

export function xanesCnnSpec(points: number, nrefs: number, head: CnnHead, width = 16): ModelSpec {
  const heads: HeadSpec[] = [
    { name: 'fractions', units: nrefs, loss: head === 'dirichlet' ? 'dirichlet_nll' : 'gaussian_nll' },
  ];
  return resnet1dSpec({
    length: points,
    stem: { filters: width, kernelSize: 7 },
    blocks: [
      { filters: width },
      { filters: 2 * width, stride: 2 },
      { filters: 2 * width },
      { filters: 4 * width, stride: 2 },
      { filters: 4 * width },
    ],
    kernelSize: 5,
    dense: [128],
    heads,
  });
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
    const p = this.model.predict(x, { batchSize: 256 }).fractions;
    const n = p.n;
    const mean = Float64Array.from(p.mean);
    if (this.meta.head === 'gaussian') toSimplex(mean, n, k);
    return { n, k, mean, std: Float64Array.from(p.std), spread: Float64Array.from(p.spread) };
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
    const units = model.spec.heads[0]?.units;
    if (units !== meta.labels.length) {
      throw new XasInputError(`the network has ${units} outputs for ${meta.labels.length} labels`, {
        file: dir,
      });
    }
    return new XanesCnn(model, meta);
  }
}
