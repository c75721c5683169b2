/** Public API of the neural-network core (see docs/nn.md). */

export type { BackendName } from './backend/index.js';
export { backendDiagnostics, kernels, useBackend } from './backend/index.js';
export type { EpochRecord } from './checkpoint.js';
export type { InputNormalization, Matrix, Normalization, TargetNormalization, Targets } from './data.js';
export { splitSamples } from './folds.js';
export type { HeadPrediction } from './losses.js';
export type { FitReport, HeadMetrics, MemberSummary, TrainingInfo, TrainOptions } from './model.js';
export { NnModel } from './model.js';
export { Network } from './network.js';
export type { OptimizerSpec } from './optim.js';
export type { HeadOutput, Predictions } from './predict.js';
export {
  benchResnetSpec,
  densenet1dSpec,
  mlpSpec,
  nnExafsSpec,
  resBlock1d,
  resnet1dSpec,
} from './presets.js';
export type { ScheduleSpec } from './schedule.js';
export type { ActivationName, HeadSpec, InputSpec, LayerSpec, LossName, ModelSpec } from './spec.js';
export { validateSpec } from './spec.js';
export type { BatchProgress, EarlyStoppingSpec, EpochProgress, FitOptions } from './train.js';
