/** xasflow library API. */

export * from './core/atomic-write.js';
export * from './core/errors.js';
export * from './core/rng.js';
export * from './core/spectrum.js';
export * as exafs from './exafs/index.js';
export * from './io/index.js';
export * as md from './md/index.js';
export * as nn from './nn/index.js';
export * from './process/index.js';
export * from './structure/index.js';
export * as xanes from './xanes/index.js';
