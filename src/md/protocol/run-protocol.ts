/**
 * Runs every job of a protocol, independent jobs in parallel: embedded-engine jobs in worker threads,
 * LAMMPS jobs as child processes, at most `workers` at a time. Finished state points are skipped
 * (resume); a failing job is reported and the others continue. Interrupting (AbortSignal) stops the
 * workers; snapshots already written stay, since each is written atomically.
 */
import type { Worker } from 'node:worker_threads';
import { XasInputError } from '../../core/errors.js';
import { spawnSiblingWorker } from '../../core/worker-url.js';
import { type JobOutcome, type JobProgress, jobSteps } from './embedded-job.js';
import { expandJobs, type Job } from './jobs.js';
import { type Protocol, resolveProtocolPotential } from './schema.js';
import { isStateComplete } from './snapshots.js';

export interface ProtocolRunOptions {
  /** Overrides protocol.workers. */
  workers?: number;
  onProgress?: (p: JobProgress) => void;
  /** Called when a job finishes or fails. */
  onJobEnd?: (jobId: string, error?: string) => void;
  signal?: AbortSignal;
  /** Runs LAMMPS jobs (injected to keep this module free of the LAMMPS driver's imports when unused). */
  lammpsRunner?: (
    job: Job,
    p: Protocol,
    report: (pr: JobProgress) => void,
    signal?: AbortSignal,
  ) => Promise<JobOutcome>;
}

export interface ProtocolRunSummary {
  protocol: string;
  engine: string;
  outDir: string;
  jobs: number;
  /** State points written in this run. */
  written: string[];
  /** State points found complete and skipped. */
  skipped: string[];
  failed: { jobId: string; message: string }[];
  totalSteps: number;
  wallSeconds: number;
}

function runInWorker(
  worker: Worker,
  job: Job,
  p: Protocol,
  report: (pr: JobProgress) => void,
): Promise<JobOutcome> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: {
      type: string;
      progress?: JobProgress;
      outcome?: JobOutcome;
      message?: string;
      name?: string;
    }) => {
      if (m.type === 'progress' && m.progress) report(m.progress);
      else if (m.type === 'done' && m.outcome) {
        cleanup();
        resolve(m.outcome);
      } else if (m.type === 'error') {
        cleanup();
        const e = new Error(m.message);
        e.name = m.name ?? 'Error';
        reject(e);
      }
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`worker stopped (exit ${code})`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ protocol: p, job });
  });
}

export async function runProtocol(
  protocol: Protocol,
  opts: ProtocolRunOptions = {},
): Promise<ProtocolRunSummary> {
  let p = protocol;
  const t0 = performance.now();
  const jobs = expandJobs(p);
  const summary: ProtocolRunSummary = {
    protocol: p.name,
    engine: p.engine,
    outDir: p.outDir,
    jobs: jobs.length,
    written: [],
    skipped: [],
    failed: [],
    totalSteps: 0,
    wallSeconds: 0,
  };
  const pending: Job[] = [];
  for (const job of jobs) {
    if (job.stateIds.every((id) => isStateComplete(p.outDir, id))) summary.skipped.push(...job.stateIds);
    else {
      pending.push(job);
      summary.totalSteps += jobSteps(job, p);
    }
  }
  if (p.engine === 'lammps' && !opts.lammpsRunner && pending.length > 0) {
    throw new XasInputError('no LAMMPS runner given', { field: 'engine' });
  }
  // A relative or bare potential file name (readProtocol has already resolved those of files).
  if (pending.length > 0) p = resolveProtocolPotential(p);
  const nWorkers = Math.max(1, Math.min(opts.workers ?? p.workers, pending.length || 1));
  const report = opts.onProgress ?? (() => {});
  const queue = [...pending];
  const workers: Worker[] = [];
  const abort = () => {
    for (const w of workers) void w.terminate();
  };
  opts.signal?.addEventListener('abort', abort);
  const lane = async (): Promise<void> => {
    let worker: Worker | null = null;
    try {
      for (let job = queue.shift(); job; job = queue.shift()) {
        if (opts.signal?.aborted) break;
        try {
          let outcome: JobOutcome;
          if (p.engine === 'lammps') {
            outcome = await (opts.lammpsRunner as NonNullable<ProtocolRunOptions['lammpsRunner']>)(
              job,
              p,
              report,
              opts.signal,
            );
          } else {
            if (!worker) {
              worker = spawnSiblingWorker(import.meta.url, 'worker');
              workers.push(worker);
            }
            outcome = await runInWorker(worker, job, p, report);
          }
          summary.written.push(...outcome.written);
          summary.skipped.push(...outcome.skipped);
          opts.onJobEnd?.(job.id);
        } catch (err) {
          const message = opts.signal?.aborted ? 'interrupted' : (err as Error).message;
          summary.failed.push({ jobId: job.id, message });
          opts.onJobEnd?.(job.id, message);
          if (worker && /worker stopped/.test(message)) worker = null;
        }
      }
    } finally {
      if (worker) await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: nWorkers }, lane));
  opts.signal?.removeEventListener('abort', abort);
  summary.wallSeconds = (performance.now() - t0) / 1000;
  return summary;
}
