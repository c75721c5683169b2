/**
 * Public API of the processing stage: μ(E) → normalised μ(E) → χ(k) → χ(R) with Larch 0.9.58's
 * definitions (see docs/conventions.md), plus alignment, merging, rebinning, deglitching and noise.
 */
export { type AlignOptions, type AlignResult, alignSpectra } from './align.js';
export { removeDups } from './array-utils.js';
export { autobk } from './autobk.js';
export { clearDesignCache } from './autobk-design.js';
export type { AutobkDetails, AutobkOptions, AutobkParams, AutobkResult } from './autobk-types.js';
export {
  type BatchItem,
  type BatchOptions,
  type BatchOutcome,
  type BatchResult,
  ProcessPool,
  processBatch,
} from './batch.js';
export { clearProcessCaches } from './caches.js';
export {
  larchNamedOutput,
  type ProcessParams,
  type ProcessResult,
  processHistory,
  processSpectrum,
  type ResolvedProcessParams,
} from './chain.js';
export { ETOK, etok, KTOE, ktoe } from './constants.js';
export { medianFilter, type RemoveSpikesOptions, type RemoveSpikesResult, removeSpikes } from './deglitch.js';
export { type EstimateNoiseOptions, type EstimateNoiseResult, estimateNoise } from './estimate-noise.js';
export { findE0 } from './find-e0.js';
export {
  canonicalWindow,
  type FtWindowOptions,
  ftwindow,
  WINDOW_NAMES,
  type WindowName,
} from './ftwindow.js';
export { type InterpKind, larchInterp } from './interp.js';
export { type MergeOptions, type MergeResult, mergeGroups, type ScanInput } from './merge.js';
export { type LmOptions, type LmResult, leastsq, lmCovariance } from './minpack-lm.js';
export { type PreEdgeOptions, type PreEdgeParams, type PreEdgeResult, preEdge } from './pre-edge.js';
export { type RebinOptions, type RebinResult, rebinXafs } from './rebin.js';
export { type SortXafsResult, sortXafs } from './sort.js';
export { type ProcessKernelsName, processKernelsName, useProcessKernels } from './wasm-kernels.js';
export {
  type XftfOptions,
  type XftfParams,
  type XftfResult,
  type XftrOptions,
  type XftrParams,
  type XftrResult,
  xftf,
  xftfFast,
  xftr,
} from './xft.js';
