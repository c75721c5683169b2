/**
 * Worker thread that trains ensemble members (see parallel.ts). It receives the dataset once, as
 * SharedArrayBuffer-backed tables (no copy), then trains one member per 'job' message with its own
 * single-threaded BLAS, posting epoch/batch progress and finally the trained weights.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { useBackend } from './backend/index.js';
import type { Dataset } from './data.js';
import { type MemberJob, trainMember } from './train.js';

interface Init {
  backend: 'native' | 'wasm' | 'js';
  data: Dataset;
}

const init = workerData as Init;
useBackend(init.backend);
const port = parentPort;
if (!port) throw new Error('member-worker must run in a worker thread');

port.on(
  'message',
  async (msg: { type: 'job'; job: Omit<MemberJob, 'data' | 'onEpoch' | 'onBatch' | 'shouldStop'> }) => {
    if (msg.type !== 'job') return;
    try {
      const result = await trainMember({
        ...msg.job,
        data: init.data,
        onEpoch: (p) => port.postMessage({ type: 'epoch', progress: p }),
        onBatch: (p) => port.postMessage({ type: 'batch', progress: p }),
      });
      port.postMessage({ type: 'done', result }, [
        result.params.buffer,
        result.buffers.buffer,
      ] as ArrayBuffer[]);
    } catch (err) {
      const e = err as Error & { field?: string };
      port.postMessage({ type: 'error', name: e.name, message: e.message, stack: e.stack });
    }
  },
);
port.postMessage({ type: 'ready' });
