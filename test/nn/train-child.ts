/**
 * Child process for checkpoint.test.ts: trains the checkpoint-test model with a checkpoint
 * directory given on the command line, so the test can kill it (SIGKILL) mid-training.
 */
import { NnModel } from '../../src/nn/index.js';
import { CHECKPOINT_OPTIONS, checkpointData, checkpointSpec } from './checkpoint-setup.js';

const dir = process.argv[2];
const data = checkpointData();
await new NnModel(checkpointSpec()).fit(
  data.x,
  { shell: data.y },
  { ...CHECKPOINT_OPTIONS, workers: 1, checkpointDir: dir },
);
