/**
 * Runs ensemble member trainings, in parallel worker threads (one member per worker at a time, each
 * with one BLAS thread, the measured best use of the cores) or sequentially in this thread. The
 * dataset is moved to SharedArrayBuffers once and shared by all workers without copies. Aborting
 * terminates the workers; each member's last end-of-epoch checkpoint remains valid for resuming.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { XasInputError } from '../core/errors.js';
import { spawnSiblingWorker } from '../core/worker-url.js';
import { kernels } from './backend/index.js';
import type { Dataset, Table } from './data.js';
import {
  abortError,
  type BatchProgress,
  type EpochProgress,
  type MemberJob,
  type MemberResult,
  trainMember,
} from './train.js';

export type JobSpec = Omit<MemberJob, 'data' | 'onEpoch' | 'onBatch' | 'shouldStop'>;

export interface RunOptions {
  workers?: number;
  signal?: AbortSignal;
  onEpoch?: (p: EpochProgress) => void;
  onBatch?: (p: BatchProgress) => void;
}

function shareTable(t: Table): Table {
  if (t.data.buffer instanceof SharedArrayBuffer) return t;
  const sab = new SharedArrayBuffer(t.data.byteLength);
  const data = new Float32Array(sab);
  data.set(t.data);
  return { data, rows: t.rows, cols: t.cols };
}

function shareDataset(d: Dataset): Dataset {
  return { x: shareTable(d.x), y: d.y.map(shareTable), n: d.n };
}

export function defaultWorkers(jobs: number): number {
  return Math.max(1, Math.min(jobs, availableParallelism()));
}

function rebuildError(msg: { name: string; message: string; stack?: string }): Error {
  const e = msg.name === 'XasInputError' ? new XasInputError(msg.message) : new Error(msg.message);
  e.name = msg.name;
  return e;
}

export async function runMembers(
  jobs: JobSpec[],
  data: Dataset,
  opts: RunOptions = {},
): Promise<MemberResult[]> {
  const workers = Math.min(opts.workers ?? defaultWorkers(jobs.length), jobs.length);
  if (opts.signal?.aborted) throw abortError();
  if (workers <= 1) {
    const out: MemberResult[] = [];
    for (const job of jobs) {
      out.push(
        await trainMember({
          ...job,
          data,
          onEpoch: opts.onEpoch,
          onBatch: opts.onBatch,
          shouldStop: () => opts.signal?.aborted ?? false,
        }),
      );
    }
    return out;
  }
  const shared = shareDataset(data);
  const backend = kernels().name;
  const results: MemberResult[] = new Array(jobs.length);
  const pool: Worker[] = [];
  let next = 0;
  return await new Promise<MemberResult[]>((resolve, reject) => {
    let settled = false;
    let running = 0;
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      for (const w of pool) void w.terminate();
      if (err) reject(err);
      else resolve(results);
    };
    const onAbort = () => finish(abortError());
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const dispatch = (w: Worker) => {
      if (next >= jobs.length) {
        if (running === 0) finish(null);
        return;
      }
      const index = next++;
      running++;
      (w as Worker & { jobIndex?: number }).jobIndex = index;
      w.postMessage({ type: 'job', job: jobs[index] });
    };
    for (let i = 0; i < workers; i++) {
      const w = spawnSiblingWorker(import.meta.url, 'member-worker', {
        workerData: { backend, data: shared },
      });
      pool.push(w);
      w.on('message', (msg: { type: string; [k: string]: unknown }) => {
        if (msg.type === 'ready') dispatch(w);
        else if (msg.type === 'epoch') opts.onEpoch?.(msg.progress as EpochProgress);
        else if (msg.type === 'batch') opts.onBatch?.(msg.progress as BatchProgress);
        else if (msg.type === 'done') {
          const r = msg.result as MemberResult;
          results[(w as Worker & { jobIndex?: number }).jobIndex as number] = r;
          running--;
          dispatch(w);
        } else if (msg.type === 'error')
          finish(rebuildError(msg as unknown as { name: string; message: string }));
      });
      w.on('error', (err) => finish(err));
      w.on('exit', (code) => {
        if (!settled && code !== 0) finish(new Error(`training worker exited with code ${code}`));
      });
    }
  });
}
