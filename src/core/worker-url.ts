/**
 * Worker threads next to the calling module, whether the caller runs from compiled JavaScript
 * (dist/) or from TypeScript sources through tsx (tests, benchmarks, tools). On Node 20 a worker
 * does not inherit the parent's `--import tsx` hooks, so a .ts worker is bootstrapped through
 * tsx's register() before its module is imported.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function siblingModuleUrl(callerUrl: string, baseName: string): URL {
  const ext = callerUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${baseName}${ext}`, callerUrl);
}

/** Starts `<baseName>.ts|.js` (next to callerUrl) in a worker thread. */
export function spawnSiblingWorker(callerUrl: string, baseName: string, options: WorkerOptions = {}): Worker {
  const url = siblingModuleUrl(callerUrl, baseName);
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
