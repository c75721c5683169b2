/**
 * Training checkpoints: everything needed to continue a member's training bit-for-bit after an
 * interruption (parameters, BatchNorm statistics, Adam moments and step, the shuffling and dropout
 * random-generator states, the learning-rate schedule, the early-stopping best weights and counters,
 * and the history), written atomically in the container format at the end of every epoch. A
 * checkpoint records a hash of the training configuration and data; resuming with a different
 * configuration is refused rather than silently mixing two runs.
 */
import { existsSync } from 'node:fs';
import { XasInputError } from '../core/errors.js';
import { readContainer, writeContainer } from './container.js';
import type { ScheduleState } from './schedule.js';

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
  /** Validation (or training) loss per head. */
  heads: Record<string, number>;
  lr: number;
  seconds: number;
}

export interface TrainingState {
  configHash: string;
  member: number;
  seed: number;
  /** Completed epochs. */
  epoch: number;
  finished: boolean;
  stoppedEarly: boolean;
  optimizerStep: number;
  lr: number;
  rng: { shuffle: { seed: number; words: number[] }; dropout: { seed: number; words: number[] } };
  schedule: ScheduleState;
  best: { loss: number; epoch: number; wait: number };
  history: EpochRecord[];
}

export interface TrainingTensors {
  params: Float32Array;
  buffers: Float32Array;
  m: Float32Array;
  v: Float32Array;
  bestParams: Float32Array | null;
  bestBuffers: Float32Array | null;
}

export function saveCheckpoint(path: string, state: TrainingState, t: TrainingTensors): void {
  const tensors = [
    { name: 'params', shape: [t.params.length], data: t.params },
    { name: 'buffers', shape: [t.buffers.length], data: t.buffers },
    { name: 'adam.m', shape: [t.m.length], data: t.m },
    { name: 'adam.v', shape: [t.v.length], data: t.v },
  ];
  if (t.bestParams && t.bestBuffers) {
    tensors.push({ name: 'best.params', shape: [t.bestParams.length], data: t.bestParams });
    tensors.push({ name: 'best.buffers', shape: [t.bestBuffers.length], data: t.bestBuffers });
  }
  // Infinity (no best yet) is not JSON: store null.
  const meta = {
    state: {
      ...state,
      best: { ...state.best, loss: Number.isFinite(state.best.loss) ? state.best.loss : null },
    },
  };
  writeContainer(path, 'checkpoint', meta, tensors);
}

/** Loads a checkpoint if it exists; null when there is none. Throws on a configuration mismatch. */
export function loadCheckpoint(
  path: string,
  configHash: string,
  sizes: { params: number; buffers: number },
): { state: TrainingState; tensors: TrainingTensors } | null {
  if (!existsSync(path)) return null;
  const c = readContainer(path, 'checkpoint');
  const state = (c.header as unknown as { state: TrainingState }).state;
  if (!state || state.configHash !== configHash) {
    throw new XasInputError(
      'checkpoint belongs to a different training configuration or dataset; use another checkpoint directory or delete this one',
      { file: path },
    );
  }
  state.best.loss = state.best.loss ?? Number.POSITIVE_INFINITY;
  const tensors: TrainingTensors = {
    params: c.tensor('params'),
    buffers: c.tensor('buffers'),
    m: c.tensor('adam.m'),
    v: c.tensor('adam.v'),
    bestParams: c.has('best.params') ? c.tensor('best.params') : null,
    bestBuffers: c.has('best.buffers') ? c.tensor('best.buffers') : null,
  };
  if (tensors.params.length !== sizes.params || tensors.buffers.length !== sizes.buffers) {
    throw new XasInputError('checkpoint parameter count does not match the model', { file: path });
  }
  return { state, tensors };
}
