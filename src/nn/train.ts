/**
 * Training loop for one network (one ensemble member): seeded shuffling into mini-batches gathered
 * from the full dataset by index, Adam/AdamW with optional gradient clipping, a per-epoch
 * learning-rate schedule, validation loss in evaluation mode, early stopping with restoration of
 * the best weights (Keras' EarlyStopping(restore_best_weights=True)), and an atomic checkpoint at
 * the end of each epoch from which an interrupted run resumes bit-for-bit (same seed and threads).
 */
import { XasInputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { kernels } from './backend/index.js';
import { type EpochRecord, loadCheckpoint, saveCheckpoint, type TrainingState } from './checkpoint.js';
import { type Dataset, gatherRows, type Normalization } from './data.js';
import { Network } from './network.js';
import { Adam, type OptimizerSpec } from './optim.js';
import { LrSchedule, type ScheduleSpec } from './schedule.js';
import type { ModelSpec } from './spec.js';

export interface EarlyStoppingSpec {
  /** Epochs without improvement before stopping (default 10). */
  patience?: number;
  /** Minimum decrease of the monitored loss that counts as an improvement (default 0). */
  minDelta?: number;
  /** Restore the weights of the best epoch at the end (default true). */
  restoreBest?: boolean;
}

export interface FitOptions {
  /** Maximum number of epochs (default 100). */
  epochs?: number;
  /** Mini-batch size (default 64). */
  batchSize?: number;
  optimizer?: OptimizerSpec;
  schedule?: ScheduleSpec;
  /** Early stopping on the validation loss (training loss without validation data); false disables. */
  earlyStopping?: EarlyStoppingSpec | false;
  /** Shuffle the training samples every epoch (default true). */
  shuffle?: boolean;
  /** BLAS threads for this training (native backend; default 1). Results are reproducible per thread count. */
  threads?: number;
}

export interface EpochProgress extends EpochRecord {
  member: number;
  epochs: number;
  bestLoss: number;
  bestEpoch: number;
}

export interface BatchProgress {
  member: number;
  epoch: number;
  batch: number;
  batches: number;
}

export interface MemberJob {
  spec: ModelSpec;
  normalization: Normalization;
  data: Dataset;
  trainIdx: Int32Array;
  valIdx: Int32Array;
  member: number;
  seed: number;
  fit: FitOptions;
  configHash: string;
  checkpointPath?: string;
  onEpoch?: (p: EpochProgress) => void;
  onBatch?: (p: BatchProgress) => void;
  /** Polled between batches; a true value aborts with an AbortError (the last checkpoint stays valid). */
  shouldStop?: () => boolean;
}

export interface MemberResult {
  member: number;
  seed: number;
  params: Float32Array;
  buffers: Float32Array;
  history: EpochRecord[];
  bestEpoch: number;
  bestLoss: number;
  epochsRun: number;
  stoppedEarly: boolean;
  resumedFromEpoch: number;
}

export function abortError(): Error {
  const e = new Error('training aborted; rerun with the same checkpoint directory to resume');
  e.name = 'AbortError';
  return e;
}

function hasBatchNorm(spec: ModelSpec): boolean {
  return JSON.stringify(spec).includes('"batchnorm"') || JSON.stringify(spec).includes('"denseblock"');
}

/** Mean losses over a set of rows in evaluation mode. */
export function evaluateRows(
  net: Network,
  norm: Normalization,
  data: Dataset,
  rows: Int32Array,
  batchSize: number,
): { total: number; heads: Record<string, number> } {
  const inSize = net.inputSize;
  const bs = Math.max(1, Math.min(batchSize, rows.length));
  const xb = new Float32Array(bs * inSize);
  const tb = net.spec.heads.map((h) => new Float32Array(bs * h.units));
  const heads: Record<string, number> = {};
  let total = 0;
  for (let start = 0; start < rows.length; start += bs) {
    const count = Math.min(bs, rows.length - start);
    gatherRows(data.x, rows, start, count, norm.input, xb);
    net.spec.heads.forEach((_h, i) => {
      gatherRows(data.y[i], rows, start, count, norm.targets[i], tb[i]);
    });
    const r = net.loss(
      xb.subarray(0, count * inSize),
      tb.map((t, i) => t.subarray(0, count * net.spec.heads[i].units)),
      count,
    );
    total += r.total * count;
    for (const [k, v] of Object.entries(r.heads)) heads[k] = (heads[k] ?? 0) + v * count;
  }
  for (const k of Object.keys(heads)) heads[k] /= rows.length;
  return { total: total / rows.length, heads };
}

export async function trainMember(job: MemberJob): Promise<MemberResult> {
  const { spec, data, normalization: norm, fit } = job;
  const epochs = fit.epochs ?? 100;
  const batchSize = fit.batchSize ?? 64;
  if (!(Number.isInteger(epochs) && epochs >= 1))
    throw new XasInputError(`invalid value ${epochs}`, { field: 'epochs', expected: 'an integer >= 1' });
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new XasInputError(`invalid value ${batchSize}`, {
      field: 'batchSize',
      expected: 'an integer >= 1',
    });
  }
  if (job.trainIdx.length === 0)
    throw new XasInputError('no training samples left after the test/validation split', { field: 'x' });
  const useBn = hasBatchNorm(spec);
  if (useBn && job.trainIdx.length < 2)
    throw new XasInputError('batch normalisation needs at least 2 training samples', { field: 'x' });
  const k = kernels();
  k.setThreads(fit.threads ?? 1);

  const net = new Network(spec);
  net.initialize(job.seed);
  const opt = new Adam(net.store.values.length, fit.optimizer);
  const schedule = new LrSchedule(fit.schedule ?? { type: 'constant' }, opt.baseLr);
  const es =
    fit.earlyStopping === false
      ? null
      : { patience: 10, minDelta: 0, restoreBest: true, ...(fit.earlyStopping ?? {}) };
  let shuffleRng = new Rng(job.seed ^ 0x5bd1e995);
  let dropoutRng = new Rng(job.seed ^ 0x27d4eb2f);
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, wait: 0 };
  let bestParams: Float32Array | null = null;
  let bestBuffers: Float32Array | null = null;
  let history: EpochRecord[] = [];
  let startEpoch = 0;
  let stoppedEarly = false;
  let finished = false;

  const ck = job.checkpointPath
    ? loadCheckpoint(job.checkpointPath, job.configHash, {
        params: net.store.values.length,
        buffers: net.store.bufferValues.length,
      })
    : null;
  if (ck) {
    net.store.values.set(ck.tensors.params);
    net.store.bufferValues.set(ck.tensors.buffers);
    opt.state.m.set(ck.tensors.m);
    opt.state.v.set(ck.tensors.v);
    opt.state.step = ck.state.optimizerStep;
    opt.lr = ck.state.lr;
    schedule.state = { ...ck.state.schedule };
    shuffleRng = Rng.fromState(ck.state.rng.shuffle);
    dropoutRng = Rng.fromState(ck.state.rng.dropout);
    best = { ...ck.state.best };
    bestParams = ck.tensors.bestParams;
    bestBuffers = ck.tensors.bestBuffers;
    history = ck.state.history;
    startEpoch = ck.state.epoch;
    stoppedEarly = ck.state.stoppedEarly;
    finished = ck.state.finished;
  }
  const resumedFromEpoch = startEpoch;

  const inSize = net.inputSize;
  const xb = new Float32Array(batchSize * inSize);
  const tb = spec.heads.map((h) => new Float32Array(batchSize * h.units));
  const perm = Int32Array.from(job.trainIdx);
  const nTrain = perm.length;
  const batches = Math.ceil(nTrain / batchSize);
  let lastBatchReport = 0;

  const snapshot = (epoch: number): TrainingState => ({
    configHash: job.configHash,
    member: job.member,
    seed: job.seed,
    epoch,
    finished,
    stoppedEarly,
    optimizerStep: opt.state.step,
    lr: opt.lr,
    rng: { shuffle: shuffleRng.state(), dropout: dropoutRng.state() },
    schedule: { ...schedule.state },
    best: { ...best },
    history,
  });

  for (let epoch = startEpoch; epoch < epochs && !finished; epoch++) {
    const t0 = performance.now();
    // The permutation is re-derived from the identity each epoch so a resumed run shuffles the same way.
    perm.set(job.trainIdx);
    if (fit.shuffle !== false) shuffleRng.shuffle(perm);
    let sum = 0;
    let seen = 0;
    for (let b = 0; b < batches; b++) {
      if (job.shouldStop?.()) throw abortError();
      const start = b * batchSize;
      const count = Math.min(batchSize, nTrain - start);
      if (count < 2 && useBn) continue; // batch statistics need two samples (torch raises here)
      gatherRows(data.x, perm, start, count, norm.input, xb);
      spec.heads.forEach((_h, i) => {
        gatherRows(data.y[i], perm, start, count, norm.targets[i], tb[i]);
      });
      const res = net.lossAndGradients(
        xb.subarray(0, count * inSize),
        tb.map((t, i) => t.subarray(0, count * spec.heads[i].units)),
        count,
        dropoutRng,
      );
      opt.step(net.store.values, net.store.grads);
      sum += res.total * count;
      seen += count;
      if (job.onBatch) {
        const now = performance.now();
        if (now - lastBatchReport > 500 || b === batches - 1) {
          lastBatchReport = now;
          job.onBatch({ member: job.member, epoch: epoch + 1, batch: b + 1, batches });
        }
      }
    }
    const trainLoss = sum / Math.max(seen, 1);
    const val =
      job.valIdx.length > 0 ? evaluateRows(net, norm, data, job.valIdx, Math.max(batchSize, 256)) : null;
    const monitored = val ? val.total : trainLoss;
    const record: EpochRecord = {
      epoch: epoch + 1,
      trainLoss,
      valLoss: val ? val.total : null,
      heads: val ? val.heads : {},
      lr: opt.lr,
      seconds: (performance.now() - t0) / 1000,
    };
    history.push(record);
    if (monitored < best.loss - (es?.minDelta ?? 0)) {
      best = { loss: monitored, epoch: epoch + 1, wait: 0 };
      if (es?.restoreBest) {
        bestParams = Float32Array.from(net.store.values);
        bestBuffers = Float32Array.from(net.store.bufferValues);
      }
    } else best.wait++;
    opt.lr = schedule.step(monitored);
    if (es && best.wait >= es.patience) {
      stoppedEarly = true;
      finished = true;
    }
    if (epoch + 1 === epochs) finished = true;
    if (finished && es?.restoreBest && bestParams && bestBuffers) {
      net.store.values.set(bestParams);
      net.store.bufferValues.set(bestBuffers);
    }
    if (job.checkpointPath) {
      saveCheckpoint(job.checkpointPath, snapshot(epoch + 1), {
        params: net.store.values,
        buffers: net.store.bufferValues,
        m: opt.state.m,
        v: opt.state.v,
        bestParams,
        bestBuffers,
      });
    }
    job.onEpoch?.({ ...record, member: job.member, epochs, bestLoss: best.loss, bestEpoch: best.epoch });
    // Let timers, abort signals and progress output run between epochs.
    await new Promise((r) => setImmediate(r));
  }
  return {
    member: job.member,
    seed: job.seed,
    params: Float32Array.from(net.store.values),
    buffers: Float32Array.from(net.store.bufferValues),
    history,
    bestEpoch: best.epoch,
    bestLoss: best.loss,
    epochsRun: history.length,
    stoppedEarly,
    resumedFromEpoch,
  };
}
