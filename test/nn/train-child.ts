/**
 * Child process for checkpoint.test.ts: trains the checkpoint-test model with a checkpoint
 * directory given on the command line, so the test can kill it (SIGKILL) mid-training.
 */
import { NnModel } from '../../src/nn/index.js';
import { CHECKPOINT_OPTIONS, checkpointData, checkpointSpec } from './checkpoint-setup.js';

const dir = process.argv[2];
const data = checkpointData();
// A 30 ms pause per epoch (numerically irrelevant) leaves the parent a wide window to kill us
// mid-training even on a heavily loaded machine.
const pause = new Int32Array(new SharedArrayBuffer(4));
await new NnModel(checkpointSpec()).fit(
  data.x,
  { shell: data.y },
  { ...CHECKPOINT_OPTIONS, workers: 1, checkpointDir: dir, onEpoch: () => Atomics.wait(pause, 0, 0, 30) },
);
