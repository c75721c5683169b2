/**
 * Worker thread of processBatch: runs processSpectrum on the items it is sent and posts each result
 * back (array buffers transferred, not copied) or the error that item raised.
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

parentPort?.on('message', (msg: { run: number; items: WorkerItem[] }) => {
  const run = msg.run;
  for (const item of msg.items) {
    try {
      const result = processSpectrum(item.energyEv, item.mu, item.params);
      parentPort?.postMessage({ run, index: item.index, ok: true, result }, [...collectBuffers(result)]);
    } catch (err) {
      const e = err as Error;
      parentPort?.postMessage({
        run,
        index: item.index,
        ok: false,
        error: { name: e?.name ?? 'Error', message: e?.message ?? String(err) },
      });
    }
  }
  parentPort?.postMessage({ run, done: true });
});
