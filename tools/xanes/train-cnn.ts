/**
 * Trains the shipped Cu K composition network once: library from the 17 LISA references
 * (build-cu-library.ts), synthetic training/calibration/validation sets with the realistic
 * distortion ranges (defaultSyntheticConfig), a deep ensemble through the nn core in worker threads
 * (checkpointed: rerun to resume), interval recalibration, and validation metrics recorded in
 * models/xanes-cu-k/meta.json (the test checks that the shipped model reproduces them).
 *
 *   node --import tsx tools/xanes/train-cnn.ts [--spectra N] [--epochs E] [--members M] [--out DIR]
 */
import { parseArgs } from 'node:util';
import { saveLibrary } from '../../src/xanes/library-file.js';
import { defaultSyntheticConfig } from '../../src/xanes/synthetic-config.js';
import { trainXanesCnn } from '../../src/xanes/train-pipeline.js';
import { buildCuLibrary } from './build-cu-library.js';

const { values } = parseArgs({
  options: {
    spectra: { type: 'string', default: '40000' },
    calibration: { type: 'string', default: '4000' },
    validation: { type: 'string', default: '2000' },
    epochs: { type: 'string', default: '30' },
    patience: { type: 'string', default: '6' },
    members: { type: 'string', default: '5' },
    workers: { type: 'string', default: '2' },
    width: { type: 'string', default: '16' },
    head: { type: 'string', default: 'mse+dirichlet' },
    seed: { type: 'string', default: '2024' },
    out: { type: 'string', default: 'models/xanes-cu-k' },
    checkpoints: { type: 'string', default: '.tmp/xanes-train-ckpt' },
  },
});

const lib = await buildCuLibrary();
saveLibrary(`${values.out}/library.json`, lib);
const ctrl = new AbortController();
process.once('SIGINT', () => ctrl.abort());
const t0 = Date.now();
const { cnn, validation } = await trainXanesCnn(lib, {
  config: defaultSyntheticConfig(),
  trainSpectra: Number(values.spectra),
  calibrationSpectra: Number(values.calibration),
  validationSpectra: Number(values.validation),
  seed: Number(values.seed),
  members: Number(values.members),
  epochs: Number(values.epochs),
  workers: Number(values.workers),
  width: Number(values.width),
  patience: Number(values.patience),
  head: values.head === 'dirichlet' ? 'dirichlet' : 'mse+dirichlet',
  checkpointDir: values.checkpoints,
  signal: ctrl.signal,
  libraryName: 'library.json',
  onStage: (s) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${s}`),
  onEpoch: (p) =>
    console.log(
      `[${((Date.now() - t0) / 1000).toFixed(0)} s] member ${p.member} epoch ${p.epoch} train ${p.trainLoss.toFixed(4)} val ${p.valLoss?.toFixed(4)}`,
    ),
});
cnn.save(values.out as string);
console.log(JSON.stringify({ validation: cnn.meta.validation, seconds: cnn.meta.training.seconds }, null, 1));
void validation;
