/** Public API of the XANES composition engine (see docs/xanes.md). */

export { autocorrTime } from './autocorr.js';
export * from './calibration.js';
export * from './cnn.js';
export { type ComparisonRow, compareMethods } from './compare.js';
export * from './edge-jump.js';
export { buildFitMatrix, type Curve, type FitMatrix, type FitRangeOptions } from './fit-matrix.js';
export * from './inputs.js';
export * from './lcf.js';
export { type FitAllOptions, lincomboFitAll, lincomboFitBatch } from './lcf-fitall.js';
export * from './library.js';
export * from './library-file.js';
export { type EnsembleOptions, type EnsembleResult, sampleEnsemble } from './mcmc.js';
export * from './mcr-als.js';
export * from './pca.js';
export * from './plots.js';
export * from './posterior.js';
export * from './predict.js';
export * from './reference-meta.js';
export * from './result-json.js';
export * from './spectrum-input.js';
export * from './synthetic.js';
export * from './synthetic-config.js';
export * from './train-pipeline.js';
