/**
 * Many spectra through the reduction chain, spread over worker threads (one per core by default),
 * with a progress callback and cancellation: results finished before a cancel are kept, and a
 * spectrum that fails reports its error without stopping the others.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { XasInputError } from '../core/errors.js';
import type { WorkerItem } from './batch-worker.js';
import { type ProcessParams, type ProcessResult, processSpectrum } from './chain.js';
import { spawnBatchWorker } from './spawn-worker.js';

export interface BatchItem {
  /** Caller's label (file name, pixel index) echoed in the outcome. */
  id?: string;
  energyEv: ArrayLike<number>;
  mu: ArrayLike<number>;
  /** Per-item parameters; override BatchOptions.params. */
  params?: ProcessParams;
}

export type BatchOutcome =
  | { index: number; id?: string; ok: true; result: ProcessResult }
  | { index: number; id?: string; ok: false; error: { name: string; message: string } };

export interface BatchOptions {
  /** Parameters for every item (default Larch's defaults). */
  params?: ProcessParams;
  /** Worker threads; default min(2, cores); 0 runs in the calling thread. Batches under 8 items run inline. */
  workers?: number;
  /** Items sent to a worker at a time, default 4. */
  chunkSize?: number;
  /** Called after every finished item. */
  onProgress?: (done: number, total: number, outcome: BatchOutcome) => void;
  /** Aborting stops dispatching; finished outcomes are returned. */
  signal?: AbortSignal;
}

export interface BatchResult {
  /** One entry per input item, in input order; undefined where the batch was cancelled first. */
  outcomes: (BatchOutcome | undefined)[];
  completed: number;
  failed: number;
  cancelled: boolean;
  workers: number;
}

function runOne(item: BatchItem, index: number, params: ProcessParams | undefined): BatchOutcome {
  try {
    return {
      index,
      id: item.id,
      ok: true,
      result: processSpectrum(item.energyEv, item.mu, item.params ?? params ?? {}),
    };
  } catch (err) {
    const e = err as Error;
    return {
      index,
      id: item.id,
      ok: false,
      error: { name: e?.name ?? 'Error', message: e?.message ?? String(err) },
    };
  }
}

export async function processBatch(items: BatchItem[], opts: BatchOptions = {}): Promise<BatchResult> {
  if (!Array.isArray(items))
    throw new XasInputError('processBatch: items is not an array', {
      field: 'items',
      expected: 'an array of spectra',
    });
  const total = items.length;
  const outcomes: (BatchOutcome | undefined)[] = new Array(total).fill(undefined);
  let completed = 0;
  let failed = 0;
  const record = (o: BatchOutcome) => {
    outcomes[o.index] = o;
    completed++;
    if (!o.ok) failed++;
    opts.onProgress?.(completed, total, o);
  };
  const requested = opts.workers ?? Math.min(2, availableParallelism());
  const nworkers = total < 8 ? 0 : Math.max(0, Math.min(requested, total));
  if (nworkers === 0) {
    for (let i = 0; i < total; i++) {
      if (opts.signal?.aborted) break;
      record(runOne(items[i], i, opts.params));
      // let abort signals and progress consumers run between items
      if (i % 16 === 15) await new Promise((r) => setImmediate(r));
    }
    return { outcomes, completed, failed, cancelled: completed < total, workers: 0 };
  }
  const chunk = Math.max(1, Math.trunc(opts.chunkSize ?? 4));
  let next = 0;
  const workers: Worker[] = [];
  let cancelled = false;
  await new Promise<void>((resolve, reject) => {
    let active = 0;
    const finish = () => {
      for (const w of workers) void w.terminate();
      resolve();
    };
    const onAbort = () => {
      cancelled = true;
      finish();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const dispatch = (w: Worker): boolean => {
      if (cancelled || next >= total) return false;
      const batch: WorkerItem[] = [];
      for (let n = 0; n < chunk && next < total; n++, next++) {
        const it = items[next];
        batch.push({
          index: next,
          energyEv: new Float64Array(it.energyEv),
          mu: new Float64Array(it.mu),
          params: it.params ?? opts.params ?? {},
        });
      }
      w.postMessage({ items: batch });
      return true;
    };
    for (let i = 0; i < nworkers; i++) {
      const w = spawnBatchWorker();
      workers.push(w);
      active++;
      w.on(
        'message',
        (msg: {
          done?: boolean;
          index: number;
          ok: boolean;
          result?: ProcessResult;
          error?: { name: string; message: string };
        }) => {
          if (cancelled) return;
          if (msg.done) {
            if (!dispatch(w)) {
              active--;
              if (active === 0) {
                opts.signal?.removeEventListener('abort', onAbort);
                finish();
              }
            }
            return;
          }
          const id = items[msg.index].id;
          record(
            msg.ok
              ? { index: msg.index, id, ok: true, result: msg.result as ProcessResult }
              : {
                  index: msg.index,
                  id,
                  ok: false,
                  error: msg.error ?? { name: 'Error', message: 'unknown' },
                },
          );
        },
      );
      w.on('error', (err) => {
        cancelled = true;
        for (const x of workers) void x.terminate();
        reject(err);
      });
      if (!dispatch(w)) active--;
    }
    if (active === 0) finish();
  });
  return { outcomes, completed, failed, cancelled: cancelled && completed < total, workers: nworkers };
}
