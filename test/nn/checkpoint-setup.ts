/** Shared model, data and options of the checkpoint/resume tests (see checkpoint.test.ts). */
import type { ModelSpec, TrainOptions } from '../../src/nn/index.js';
import { K_GRID, shellSpectra } from './exafs-shell.js';

export function checkpointSpec(): ModelSpec {
  return {
    input: { features: K_GRID.length },
    layers: [
      { type: 'dense', units: 48, bias: false },
      { type: 'batchnorm' },
      { type: 'relu' },
      { type: 'dropout', rate: 0.1 },
      { type: 'dense', units: 32, activation: 'gelu' },
    ],
    heads: [{ name: 'shell', units: 2, loss: 'gaussian_nll' }],
  };
}

export function checkpointData(): { x: Float32Array; y: Float32Array } {
  return shellSpectra(800, 5, [2.45, 2.65], [0.003, 0.015]);
}

export const CHECKPOINT_OPTIONS: TrainOptions = {
  seed: 17,
  folds: 2,
  epochs: 30,
  batchSize: 16,
  optimizer: { type: 'adamw', lr: 1e-3, clipNorm: 5 },
  schedule: { type: 'plateau', patience: 2, factor: 0.5 },
  earlyStopping: { patience: 1000 },
};
