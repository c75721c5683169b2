/**
 * Spike (glitch) removal as Larch 0.9.58's larch/math/deglitch.py does it:
 * - 'medfilt' (remove_spikes_silx, Larch's default backend): a conditional median filter (a point is
 *   replaced by the window median only if it is the window's minimum or maximum; edges padded with the
 *   end values), and points whose relative difference |(med − y)/med| exceeds `threshold` take the
 *   median value;
 * - 'sigma' (remove_spikes_pandas): a centred rolling median (edges filled from the nearest full
 *   window); points whose difference from it exceeds threshold·σ take the median, where
 *   σ = sqrt(mean((y − mean(median − y))²)) exactly as Larch computes it.
 */
import { XasInputError } from '../core/errors.js';
import { checkArray, checkNumber } from './validate.js';

function checkOddWindow(v: number, name: string, n?: number): number {
  const w = checkNumber(v, name, { integer: true, min: 1 });
  if (w % 2 !== 1)
    throw new XasInputError(`${name} is ${w}`, { field: name, expected: 'an odd window length' });
  if (n !== undefined && w > n) {
    throw new XasInputError(`${name} = ${w} is longer than the data (${n} points)`, {
      field: name,
      expected: `at most ${n}`,
    });
  }
  return w;
}

function median(buf: Float64Array): number {
  buf.sort();
  return buf[buf.length >> 1];
}

/** Median filter with edge values repeated (silx medfilt1d, mode 'nearest'); optionally conditional. */
export function medianFilter(y: ArrayLike<number>, kernelSize = 3, conditional = false): Float64Array {
  checkArray(y, 'medianFilter: y', 1);
  const n = y.length;
  const k = checkOddWindow(kernelSize, 'kernel_size');
  const half = k >> 1;
  const out = new Float64Array(n);
  const buf = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = -half; j <= half; j++) buf[j + half] = y[Math.min(n - 1, Math.max(0, i + j))];
    const med = median(buf);
    if (conditional) out[i] = y[i] === buf[0] || y[i] === buf[k - 1] ? med : y[i];
    else out[i] = med;
  }
  return out;
}

export interface RemoveSpikesOptions {
  /** 'medfilt' (default, Larch's silx backend) or 'sigma' (Larch's pandas backend). */
  method?: 'medfilt' | 'sigma';
  /** Odd window length, default 3. */
  kernel_size?: number;
  /** medfilt: relative difference (default 0.1); sigma: number of σ (default 3). */
  threshold?: number;
}

export interface RemoveSpikesResult {
  y: Float64Array;
  /** Indices of the replaced points. */
  replaced: number[];
}

export function removeSpikes(y: ArrayLike<number>, opts: RemoveSpikesOptions = {}): RemoveSpikesResult {
  checkArray(y, 'removeSpikes: y', 3);
  const method = opts.method ?? 'medfilt';
  const n = y.length;
  const k = checkOddWindow(opts.kernel_size ?? 3, 'kernel_size', n);
  const out = new Float64Array(y);
  const replaced: number[] = [];
  if (method === 'medfilt') {
    const threshold = checkNumber(opts.threshold ?? 0.1, 'threshold', { min: 0 });
    const filtered = medianFilter(y, k, true);
    for (let i = 0; i < n; i++) {
      const rel = (filtered[i] - y[i]) / filtered[i];
      if (Math.abs(rel) > threshold) {
        out[i] = filtered[i];
        replaced.push(i);
      }
    }
    return { y: out, replaced };
  }
  if (method !== 'sigma')
    throw new XasInputError(`removeSpikes: method '${String(method)}'`, {
      field: 'method',
      expected: "'medfilt' or 'sigma'",
    });
  const threshold = checkNumber(opts.threshold ?? 3, 'threshold', { min: 0 });
  const half = k >> 1;
  const rolled = new Float64Array(n);
  const buf = new Float64Array(k);
  for (let i = half; i < n - half; i++) {
    for (let j = 0; j < k; j++) buf[j] = y[i - half + j];
    rolled[i] = median(buf);
  }
  for (let i = 0; i < half; i++) rolled[i] = rolled[half];
  for (let i = n - half; i < n; i++) rolled[i] = rolled[n - half - 1];
  let meanDiff = 0;
  for (let i = 0; i < n; i++) meanDiff += rolled[i] - y[i];
  meanDiff /= n;
  let s2 = 0;
  for (let i = 0; i < n; i++) s2 += (y[i] - meanDiff) ** 2;
  const sigma = Math.sqrt(s2 / n);
  for (let i = 0; i < n; i++) {
    if (Math.abs(rolled[i] - y[i]) > threshold * sigma) {
      out[i] = rolled[i];
      replaced.push(i);
    }
  }
  return { y: out, replaced };
}
