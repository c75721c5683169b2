/**
 * Worker thread of processBatch: runs processSpectrum on the chunk of items it is sent and posts the
 * chunk's results back in one message (array buffers transferred, not copied), with the error of
 * each item that failed.
 */
import { parentPort } from 'node:worker_threads';
import { type ProcessParams, processSpectrum } from './chain.js';

export interface WorkerItem {
  index: number;
  energyEv: Float64Array;
  mu: Float64Array;
  params: ProcessParams;
}

/** Distinct buffers behind every typed array in a result. */
export function collectBuffers(value: unknown, into: Set<ArrayBuffer> = new Set()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) into.add(value.buffer);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) collectBuffers(v, into);
  }
  return into;
}

/** One item's outcome as posted back. */
export type WorkerOutcome =
  | { index: number; ok: true; result: ReturnType<typeof processSpectrum> }
  | { index: number; ok: false; error: { name: string; message: string } };

// One message per chunk (all results, buffers transferred): the per-message cost on the receiving
// thread is paid once per chunk instead of once per spectrum.
parentPort?.on('message', (msg: { run: number; items: WorkerItem[] }) => {
  const outcomes: WorkerOutcome[] = [];
  const transfer = new Set<ArrayBuffer>();
  for (const item of msg.items) {
    try {
      const result = processSpectrum(item.energyEv, item.mu, item.params);
      collectBuffers(result, transfer);
      outcomes.push({ index: item.index, ok: true, result });
    } catch (err) {
      const e = err as Error;
      outcomes.push({
        index: item.index,
        ok: false,
        error: { name: e?.name ?? 'Error', message: e?.message ?? String(err) },
      });
    }
  }
  parentPort?.postMessage({ run: msg.run, outcomes }, [...transfer]);
});
