/**
 * Starts a worker thread from a sibling module. Compiled JavaScript (dist/) loads directly. A
 * TypeScript source (tests, benchmarks under tsx) does not: on Node 20 a worker does not inherit
 * the parent's `--import tsx` hooks, so the worker is bootstrapped with tsx's register() first.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { siblingModuleUrl } from '../core/worker-url.js';

export function spawnSiblingWorker(callerUrl: string, baseName: string, options: WorkerOptions): Worker {
  const url = siblingModuleUrl(callerUrl, baseName);
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
