/**
 * Starts the batch worker thread. Compiled JavaScript (dist/) loads directly; a TypeScript source
 * (tests, benchmarks under tsx) is bootstrapped through tsx's register(), because on Node 20 a worker
 * does not inherit the parent's `--import tsx` hooks.
 */
import { Worker } from 'node:worker_threads';
import { siblingModuleUrl } from '../core/worker-url.js';

export function spawnBatchWorker(): Worker {
  const url = siblingModuleUrl(import.meta.url, 'batch-worker');
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true });
}
