/**
 * Worker-thread entry for embedded-engine jobs: receives {protocol, job}, runs it, posts progress,
 * the outcome or the error. The potential is loaded once per worker and file.
 */
import { parentPort } from 'node:worker_threads';
import type { EamModel } from '../potential/eam-model.js';
import { loadEamPotential, runEmbeddedJob } from './embedded-job.js';
import type { Job } from './jobs.js';
import type { Protocol } from './schema.js';

const models = new Map<string, EamModel>();

parentPort?.on('message', (msg: { protocol: Protocol; job: Job }) => {
  try {
    const key = msg.protocol.potential.style === 'kim' ? '' : msg.protocol.potential.file;
    let model = models.get(key);
    if (!model) {
      model = loadEamPotential(msg.protocol);
      models.set(key, model);
    }
    const outcome = runEmbeddedJob(msg.job, msg.protocol, model, (progress) =>
      parentPort?.postMessage({ type: 'progress', progress }),
    );
    parentPort?.postMessage({ type: 'done', outcome });
  } catch (err) {
    const e = err as Error;
    parentPort?.postMessage({ type: 'error', jobId: msg.job.id, name: e.name, message: e.message });
  }
});
