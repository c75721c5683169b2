/**
 * Loads the Larch 0.9.58 reference fixture (test/fixtures/process/larch.json + larch.f64, written by
 * tools/process/make-larch-fixtures.py) and offers the comparison helpers the process tests share.
 */
import { readFileSync } from 'node:fs';

const DIR = 'test/fixtures/process';

// biome-ignore lint/suspicious/noExplicitAny: the fixture is free-form JSON checked by the tests
export type Fx = any;

let cached: Fx | undefined;

export function loadLarchFixture(): Fx {
  if (cached) return cached;
  const buf = readFileSync(`${DIR}/larch.f64`);
  const blob = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const doc = JSON.parse(readFileSync(`${DIR}/larch.json`, 'utf8'));
  const resolve = (o: Fx): Fx => {
    if (Array.isArray(o)) return o.map(resolve);
    if (o && typeof o === 'object') {
      if ('$f64' in o) {
        const [off, n] = o.$f64 as [number, number];
        return blob.slice(off, off + n);
      }
      const out: Record<string, Fx> = {};
      for (const [k, v] of Object.entries(o)) out[k] = resolve(v);
      return out;
    }
    return o;
  };
  cached = resolve(doc);
  return cached;
}

/** max |a − b| over the common length (throws if lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** max |a − b| / max |b|. */
export function relToMax(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return maxAbsDiff(a, b) / maxAbs(b);
}
