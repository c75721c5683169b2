/** Shared helpers for the neural-network tests: fixture decoding and scale-relative comparison. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadNativeKernels } from '../../src/nn/backend/native.js';

export function f32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export function f64(b64: string): Float64Array {
  const buf = Buffer.from(b64, 'base64');
  return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** max |a − b| / max |b|: the error relative to the reference tensor's scale. */
export function scaledError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'length mismatch');
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

export function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  const e = scaledError(a, b);
  assert.ok(e <= tol, `${what}: error ${e.toExponential(2)} relative to the reference scale exceeds ${tol}`);
}

/** Backends usable in this process: the native addon only where it was built. */
export function availableBackends(): ('native' | 'wasm' | 'js')[] {
  const list: ('native' | 'wasm' | 'js')[] = ['wasm', 'js'];
  if ('kernels' in loadNativeKernels()) list.unshift('native');
  else if (process.env.XASFLOW_NN_REQUIRE_NATIVE === '1')
    throw new Error('native backend required but not built');
  return list;
}
