/**
 * Many spectra through the reduction chain, spread over worker threads (one per core by default),
 * with a progress callback and cancellation: results finished before a cancel are kept, and a
 * spectrum that fails reports its error without stopping the others. A ProcessPool keeps its workers
 * between batches (worker start-up is paid once); processBatch makes a temporary pool.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { XasInputError } from '../core/errors.js';
import { spawnSiblingWorker } from '../core/worker-url.js';
import type { WorkerItem, WorkerOutcome } from './batch-worker.js';
import { type ProcessParams, type ProcessResult, processSpectrum } from './chain.js';

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
  /** Run on this pool instead of a temporary one (workers is then ignored). */
  pool?: ProcessPool;
  /** Items sent to a worker at a time, default 8 (two chunks per worker are kept in flight). */
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

type WorkerMessage = { run: number; outcomes: WorkerOutcome[] };

class Tally {
  readonly outcomes: (BatchOutcome | undefined)[];
  completed = 0;
  failed = 0;
  constructor(
    readonly total: number,
    private readonly onProgress?: BatchOptions['onProgress'],
  ) {
    this.outcomes = new Array(total).fill(undefined);
  }
  record(o: BatchOutcome): void {
    this.outcomes[o.index] = o;
    this.completed++;
    if (!o.ok) this.failed++;
    this.onProgress?.(this.completed, this.total, o);
  }
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

/** Worker threads kept alive between batches. Call close() when done. */
export class ProcessPool {
  private readonly workers: Worker[] = [];
  private run = 0;
  private busy = false;
  private onMessage: (w: Worker, msg: WorkerMessage) => void = () => {};
  private onError: (err: Error) => void = () => {};

  constructor(readonly size = Math.min(2, availableParallelism())) {
    if (!Number.isInteger(size) || size < 1)
      throw new XasInputError(`ProcessPool size is ${size}`, {
        field: 'workers',
        expected: 'an integer >= 1',
      });
    for (let i = 0; i < size; i++) {
      const w = spawnSiblingWorker(import.meta.url, 'batch-worker');
      w.on('message', (msg: WorkerMessage) => this.onMessage(w, msg));
      w.on('error', (err) => this.onError(err));
      this.workers.push(w);
    }
  }

  async process(items: BatchItem[], opts: Omit<BatchOptions, 'pool' | 'workers'> = {}): Promise<BatchResult> {
    if (this.busy)
      throw new XasInputError('ProcessPool is already running a batch', {
        expected: 'one batch at a time per pool',
      });
    this.busy = true;
    const run = ++this.run;
    const total = items.length;
    const tally = new Tally(total, opts.onProgress);
    // small batches are split evenly over the workers' two in-flight chunks
    const chunk = Math.max(1, Math.min(Math.trunc(opts.chunkSize ?? 8), Math.ceil(total / (2 * this.size))));
    let next = 0;
    let cancelled = false;
    try {
      await new Promise<void>((resolve, reject) => {
        let inFlight = 0;
        const settle = () => {
          opts.signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          cancelled = true;
          settle();
        };
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
          inFlight++;
          w.postMessage({ run, items: batch });
          return true;
        };
        this.onMessage = (w, msg) => {
          if (msg.run !== run) return;
          inFlight--;
          if (!cancelled) {
            for (const o of msg.outcomes) {
              const id = items[o.index].id;
              tally.record(
                o.ok
                  ? { index: o.index, id, ok: true, result: o.result as ProcessResult }
                  : { index: o.index, id, ok: false, error: o.error },
              );
            }
            dispatch(w);
          }
          if (inFlight === 0 && (cancelled || next >= total)) settle();
        };
        this.onError = (err) => {
          cancelled = true;
          reject(err);
        };
        if (opts.signal?.aborted) return onAbort();
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        // Two chunks per worker in flight, so a worker never waits for the round trip. Chunks of an
        // earlier, cancelled run may still be queued on a worker: their results carry the old run
        // number and are ignored.
        for (let depth = 0; depth < 2; depth++) for (const w of this.workers) dispatch(w);
        if (inFlight === 0) settle();
      });
    } finally {
      this.busy = false;
    }
    return {
      outcomes: tally.outcomes,
      completed: tally.completed,
      failed: tally.failed,
      cancelled: cancelled && tally.completed < total,
      workers: this.size,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

export async function processBatch(items: BatchItem[], opts: BatchOptions = {}): Promise<BatchResult> {
  if (!Array.isArray(items))
    throw new XasInputError('processBatch: items is not an array', {
      field: 'items',
      expected: 'an array of spectra',
    });
  if (opts.pool) return opts.pool.process(items, opts);
  const total = items.length;
  const requested = opts.workers ?? Math.min(2, availableParallelism());
  const nworkers = total < 8 ? 0 : Math.max(0, Math.min(requested, total));
  if (nworkers === 0) {
    const tally = new Tally(total, opts.onProgress);
    for (let i = 0; i < total; i++) {
      if (opts.signal?.aborted) break;
      tally.record(runOne(items[i], i, opts.params));
      // let abort signals and progress consumers run between items
      if (i % 16 === 15) await new Promise((r) => setImmediate(r));
    }
    return {
      outcomes: tally.outcomes,
      completed: tally.completed,
      failed: tally.failed,
      cancelled: tally.completed < total,
      workers: 0,
    };
  }
  const pool = new ProcessPool(nworkers);
  try {
    return await pool.process(items, opts);
  } finally {
    await pool.close();
  }
}
