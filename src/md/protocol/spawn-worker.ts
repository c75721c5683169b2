/**
 * Starts the MD worker thread. From compiled JavaScript (dist/) the module loads directly; from
 * TypeScript sources (tests, tools, benchmarks under tsx) Node 20 workers do not inherit the
 * parent's `--import tsx` hooks, so the worker first registers tsx, then imports the module.
 */
import { Worker } from 'node:worker_threads';
import { siblingModuleUrl } from '../../core/worker-url.js';

export function spawnMdWorker(callerUrl: string, baseName: string): Worker {
  const url = siblingModuleUrl(callerUrl, baseName);
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true });
}
