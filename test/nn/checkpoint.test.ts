/**
 * Interrupted training resumes from its checkpoint and ends bit-identical to an uninterrupted run
 * (same seed and thread count): (1) an abort through AbortSignal while two members train in worker
 * threads, (2) SIGKILL of a child process training in its main thread. The model exercises every
 * piece of checkpointed state: BatchNorm statistics, dropout and shuffling generators, AdamW
 * moments, gradient clipping and a ReduceLROnPlateau schedule.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readContainer } from '../../src/nn/container.js';
import { NnModel } from '../../src/nn/index.js';
import { CHECKPOINT_OPTIONS, checkpointData, checkpointSpec } from './checkpoint-setup.js';

const root = mkdtempSync(join(tmpdir(), 'xasflow-nn-ckpt-'));
after(() => rmSync(root, { recursive: true, force: true }));
const data = checkpointData();

function params(m: NnModel): Float32Array[] {
  return m.members.flatMap((n) => [n.store.values, n.store.bufferValues]);
}

let reference: Float32Array[] | null = null;
async function referenceParams(): Promise<Float32Array[]> {
  if (!reference) {
    const m = new NnModel(checkpointSpec());
    await m.fit(
      data.x,
      { shell: data.y },
      { ...CHECKPOINT_OPTIONS, workers: 1, checkpointDir: join(root, 'ref') },
    );
    reference = params(m);
  }
  return reference;
}

test('abort during parallel training, then resume: identical to an uninterrupted run', async () => {
  const dir = join(root, 'abort');
  const ctrl = new AbortController();
  const seen = [0, 0];
  const first = new NnModel(checkpointSpec());
  await assert.rejects(
    first.fit(
      data.x,
      { shell: data.y },
      {
        ...CHECKPOINT_OPTIONS,
        workers: 2,
        checkpointDir: dir,
        signal: ctrl.signal,
        onEpoch: (p) => {
          // abort once both members (in parallel workers) have checkpointed at least 2 epochs
          seen[p.member] = p.epoch;
          if (seen[0] >= 2 && seen[1] >= 2) ctrl.abort();
        },
      },
    ),
    (err: Error) => err.name === 'AbortError' && /resume/.test(err.message),
  );
  const epochs = [0, 1].map(
    (i) =>
      (
        readContainer(join(dir, `member-${i}.ckpt`), 'checkpoint').header as unknown as {
          state: { epoch: number };
        }
      ).state.epoch,
  );
  assert.ok(
    epochs.every((e) => e >= 1 && e < 30),
    `checkpointed epochs ${epochs}`,
  );
  const resumed = new NnModel(checkpointSpec());
  const epochLog: number[] = [];
  await resumed.fit(
    data.x,
    { shell: data.y },
    { ...CHECKPOINT_OPTIONS, workers: 2, checkpointDir: dir, onEpoch: (p) => epochLog.push(p.epoch) },
  );
  assert.ok(Math.min(...epochLog) > 1, 'resumed run must not restart from epoch 1');
  const ref = await referenceParams();
  params(resumed).forEach((p, i) => {
    assert.deepEqual(p, ref[i], `tensor ${i} differs from the uninterrupted run`);
  });
  assert.equal(resumed.training?.members[0].history.length, 30);
});

test('SIGKILL of a training process, then resume: identical to an uninterrupted run', async () => {
  const dir = join(root, 'kill');
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/nn/train-child.ts', dir], {
    stdio: 'ignore',
  });
  const ckpt = join(dir, 'member-0.ckpt');
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (existsSync(ckpt)) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve();
      }
    }, 5);
    child.on('exit', () => {
      clearInterval(timer);
      if (!existsSync(ckpt)) reject(new Error('child exited before writing a checkpoint'));
      resolve();
    });
  });
  const exit = await new Promise<string | null>((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r(child.signalCode);
    else child.on('exit', (_c, s) => r(s));
  });
  assert.equal(exit, 'SIGKILL');
  const state = (
    readContainer(ckpt, 'checkpoint').header as unknown as { state: { epoch: number; finished: boolean } }
  ).state;
  assert.ok(!state.finished && state.epoch >= 1, `killed at epoch ${state.epoch}`);
  const resumed = new NnModel(checkpointSpec());
  await resumed.fit(data.x, { shell: data.y }, { ...CHECKPOINT_OPTIONS, workers: 1, checkpointDir: dir });
  const ref = await referenceParams();
  params(resumed).forEach((p, i) => {
    assert.deepEqual(p, ref[i], `tensor ${i} differs from the uninterrupted run`);
  });
});

test('a checkpoint from another configuration is refused', async () => {
  const dir = join(root, 'other');
  const m = new NnModel(checkpointSpec());
  await m.fit(
    data.x,
    { shell: data.y },
    { ...CHECKPOINT_OPTIONS, epochs: 2, workers: 1, checkpointDir: dir },
  );
  await assert.rejects(
    new NnModel(checkpointSpec()).fit(
      data.x,
      { shell: data.y },
      { ...CHECKPOINT_OPTIONS, epochs: 2, seed: 18, workers: 1, checkpointDir: dir },
    ),
    /member-0\.ckpt: checkpoint belongs to a different training configuration/,
  );
});
