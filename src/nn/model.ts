/**
 * NnModel: the scikit-learn-style entry point. Build from a spec, `fit` (a single network, a deep
 * ensemble of differently seeded members, or the NN-EXAFS k-fold rotated-validation ensemble, in
 * parallel worker threads, with checkpoints and resume), `predict` (mean, ensemble spread and
 * predicted noise in target units), `evaluate`, `save`/`load` (model-file.ts) and ONNX export.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { XasInputError } from '../core/errors.js';
import { SOFTWARE } from '../core/spectrum.js';
import { kernels } from './backend/index.js';
import type { EpochRecord } from './checkpoint.js';
import {
  type Dataset,
  fitNormalization,
  type InputNormalization,
  type Matrix,
  makeDataset,
  makeInputs,
  type Normalization,
  type TargetNormalization,
  type Targets,
} from './data.js';
import { splitSamples } from './folds.js';
import { decodeModel, encodeModel, loadModelFile, saveModelFile } from './model-file.js';
import { Network } from './network.js';
import { exportOnnx } from './onnx/export.js';
import { defaultWorkers, type JobSpec, runMembers } from './parallel.js';
import { type HeadOutput, type Predictions, predictEnsemble } from './predict.js';
import { type ModelSpec, validateSpec } from './spec.js';
import type { BatchProgress, EpochProgress, FitOptions } from './train.js';

export interface TrainOptions extends FitOptions {
  /** Seed for initialisation, splits, shuffling and dropout (default 0). */
  seed?: number;
  /** k ≥ 2: one member per fold, validated on that fold (rotated validation). Default 1. */
  folds?: number;
  /** With folds = 1: number of differently seeded members sharing one split (default 1). */
  members?: number;
  /** Fraction of samples held out as a test set before any fold split (default 0). */
  testFraction?: number;
  /** With folds = 1: fraction of the non-test samples used for validation (default 0.1). */
  validationFraction?: number;
  normalize?: { input?: InputNormalization; targets?: TargetNormalization };
  /** Worker threads training members in parallel (default: min(members, cores)); 1 = this thread. */
  workers?: number;
  /** Directory for per-member checkpoints; rerunning fit with the same directory resumes. */
  checkpointDir?: string;
  signal?: AbortSignal;
  onEpoch?: (p: EpochProgress) => void;
  onBatch?: (p: BatchProgress) => void;
}

export interface MemberSummary {
  member: number;
  seed: number;
  trainSamples: number;
  validationSamples: number;
  bestEpoch: number;
  bestLoss: number;
  epochsRun: number;
  stoppedEarly: boolean;
  history: EpochRecord[];
}

export interface TrainingInfo {
  software: string;
  date: string;
  seed: number;
  backend: string;
  threads: number;
  workers: number;
  samples: number;
  folds: number;
  testFraction: number;
  validationFraction: number;
  options: Omit<FitOptions, never>;
  members: MemberSummary[];
}

export interface HeadMetrics {
  rmse: number;
  mae: number;
  /** Coefficient of determination averaged over the head's values. */
  r2: number;
  /** Mean ensemble spread (std of member predictions). */
  meanSpread: number;
}

export interface FitReport {
  training: TrainingInfo;
  testIndices: Int32Array;
  /** Metrics on the held-out test samples (when testFraction > 0). */
  test: Record<string, HeadMetrics> | null;
  seconds: number;
}

export function memberSeed(seed: number, member: number): number {
  return (Math.imul(seed | 0, 0x9e3779b1) + Math.imul(member + 1, 0x85ebca6b)) >>> 0;
}

function dataFingerprint(d: Dataset): string {
  const h = createHash('sha256');
  h.update(new Uint8Array(d.x.data.buffer, d.x.data.byteOffset, d.x.data.byteLength));
  for (const t of d.y) h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return h.digest('hex');
}

export class NnModel {
  readonly spec: ModelSpec;
  members: Network[] = [];
  normalization: Normalization | null = null;
  training: TrainingInfo | null = null;

  constructor(spec: ModelSpec) {
    this.spec = validateSpec(spec);
    new Network(this.spec); // builds once so shape errors surface here, before any data is touched
  }

  get trained(): boolean {
    return this.members.length > 0 && this.normalization !== null;
  }

  get parameterCount(): number {
    return new Network(this.spec).store.parameterCount;
  }

  async fit(x: Matrix, y: Targets, options: TrainOptions = {}): Promise<FitReport> {
    const t0 = performance.now();
    const seed = options.seed ?? 0;
    if (!Number.isInteger(seed))
      throw new XasInputError(`invalid seed ${seed}`, { field: 'seed', expected: 'an integer' });
    const data = makeDataset(this.spec, x, y);
    const split = splitSamples(data.n, { ...options, seed });
    const pool = new Int32Array(data.n - split.test.length);
    {
      const isTest = new Uint8Array(data.n);
      for (const i of split.test) isTest[i] = 1;
      let k = 0;
      for (let i = 0; i < data.n; i++) if (!isTest[i]) pool[k++] = i;
    }
    // Standardisation statistics come from all non-test samples (shared by every member).
    const norm = fitNormalization(
      this.spec,
      data,
      pool,
      options.normalize?.input,
      options.normalize?.targets,
    );
    const workers = options.workers ?? defaultWorkers(split.members.length);
    const fit: FitOptions = {
      epochs: options.epochs,
      batchSize: options.batchSize,
      optimizer: options.optimizer,
      schedule: options.schedule,
      earlyStopping: options.earlyStopping,
      shuffle: options.shuffle,
      threads: workers > 1 ? 1 : (options.threads ?? 1),
    };
    const config = {
      spec: this.spec,
      fit,
      seed,
      folds: options.folds ?? 1,
      members: options.members ?? 1,
      testFraction: options.testFraction ?? 0,
      validationFraction: options.validationFraction ?? 0.1,
      normalize: options.normalize ?? {},
      backend: kernels().name,
      data: options.checkpointDir ? dataFingerprint(data) : '',
    };
    const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex');
    const jobs: JobSpec[] = split.members.map((m, i) => ({
      spec: this.spec,
      normalization: norm,
      trainIdx: m.train,
      valIdx: m.val,
      member: i,
      seed: memberSeed(seed, i),
      fit,
      configHash,
      checkpointPath: options.checkpointDir ? join(options.checkpointDir, `member-${i}.ckpt`) : undefined,
    }));
    const results = await runMembers(jobs, data, {
      workers,
      signal: options.signal,
      onEpoch: options.onEpoch,
      onBatch: options.onBatch,
    });
    this.members = results.map((r) => {
      const net = new Network(this.spec);
      net.store.values.set(r.params);
      net.store.bufferValues.set(r.buffers);
      return net;
    });
    this.normalization = norm;
    this.training = {
      software: SOFTWARE,
      date: new Date().toISOString(),
      seed,
      backend: kernels().name,
      threads: fit.threads ?? 1,
      workers,
      samples: data.n,
      folds: config.folds,
      testFraction: config.testFraction,
      validationFraction: config.validationFraction,
      options: fit,
      members: results.map((r, i) => ({
        member: r.member,
        seed: r.seed,
        trainSamples: split.members[i].train.length,
        validationSamples: split.members[i].val.length,
        bestEpoch: r.bestEpoch,
        bestLoss: r.bestLoss,
        epochsRun: r.epochsRun,
        stoppedEarly: r.stoppedEarly,
        history: r.history,
      })),
    };
    let test: Record<string, HeadMetrics> | null = null;
    if (split.test.length > 0) {
      const pick = (t: { data: Float32Array; cols: number }) => {
        const out = new Float32Array(split.test.length * t.cols);
        split.test.forEach((r, i) => {
          out.set(t.data.subarray(r * t.cols, (r + 1) * t.cols), i * t.cols);
        });
        return out;
      };
      const ty: Record<string, Float32Array> = {};
      this.spec.heads.forEach((h, i) => {
        ty[h.name] = pick(data.y[i]);
      });
      test = this.evaluate(pick(data.x), ty);
    }
    return {
      training: this.training,
      testIndices: split.test,
      test,
      seconds: (performance.now() - t0) / 1000,
    };
  }

  /** Writes the model file atomically (see docs/nn.md for the format). */
  save(path: string): void {
    this.requireTrained();
    saveModelFile(path, this.parts());
  }

  /** The model file as bytes. */
  toBytes(): Uint8Array {
    this.requireTrained();
    return encodeModel(this.parts());
  }

  /** ONNX bytes of one member (opset 13; see onnx/export.ts for inputs and outputs). */
  toOnnx(member = 0): Uint8Array {
    this.requireTrained();
    if (!(Number.isInteger(member) && member >= 0 && member < this.members.length)) {
      throw new XasInputError(`no member ${member}`, {
        field: 'member',
        expected: `0 to ${this.members.length - 1}`,
      });
    }
    return exportOnnx(this.members[member], this.normalization as Normalization, { member });
  }

  static load(path: string): NnModel {
    return NnModel.fromParts(loadModelFile(path));
  }

  static fromBytes(bytes: Uint8Array, name = '<memory>'): NnModel {
    return NnModel.fromParts(decodeModel(bytes, name));
  }

  private static fromParts(p: ReturnType<typeof loadModelFile>): NnModel {
    const m = new NnModel(p.spec);
    m.members = p.members;
    m.normalization = p.normalization;
    m.training = p.training as TrainingInfo;
    return m;
  }

  private parts() {
    return {
      spec: this.spec,
      normalization: this.normalization as Normalization,
      training: this.training,
      members: this.members,
    };
  }

  private requireTrained(): void {
    if (!this.trained)
      throw new XasInputError('the model has not been trained or loaded yet', {
        expected: 'fit() or NnModel.load() first',
      });
  }

  /** Predictions in target units for every head (mean, spread, aleatoric, std). */
  predict(x: Matrix, opts: { batchSize?: number; includeMembers?: boolean } = {}): Predictions {
    this.requireTrained();
    return predictEnsemble(this.members, this.normalization as Normalization, makeInputs(this.spec, x), opts);
  }

  /** RMSE, MAE, R² of the ensemble mean and mean spread per head, in target units. */
  evaluate(x: Matrix, y: Targets): Record<string, HeadMetrics> {
    this.requireTrained();
    const data = makeDataset(this.spec, x, y);
    const pred = predictEnsemble(this.members, this.normalization as Normalization, data.x);
    const out: Record<string, HeadMetrics> = {};
    this.spec.heads.forEach((h, i) => {
      out[h.name] = headMetrics(pred[h.name], data.y[i].data);
    });
    return out;
  }
}

export function headMetrics(p: HeadOutput, target: Float32Array): HeadMetrics {
  const { n, units } = p;
  let se = 0;
  let ae = 0;
  let spread = 0;
  let r2 = 0;
  for (let j = 0; j < units; j++) {
    let mean = 0;
    for (let r = 0; r < n; r++) mean += target[r * units + j];
    mean /= n;
    let ssRes = 0;
    let ssTot = 0;
    for (let r = 0; r < n; r++) {
      const q = r * units + j;
      const d = p.mean[q] - target[q];
      ssRes += d * d;
      ssTot += (target[q] - mean) ** 2;
      ae += Math.abs(d);
      spread += p.spread[q];
    }
    se += ssRes;
    r2 += ssTot > 0 ? 1 - ssRes / ssTot : 0;
  }
  const count = n * units;
  return { rmse: Math.sqrt(se / count), mae: ae / count, r2: r2 / units, meanSpread: spread / count };
}
