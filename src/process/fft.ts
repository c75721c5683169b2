/**
 * Discrete Fourier transforms through fft.js (radix-4, float64), with one cached plan per size; the
 * forward real transform runs in the WebAssembly kernel (wasm-kernels.ts) when that is available.
 * Forward: X_j = Σ x_m e^{−2πi jm/N} (numpy/scipy.fftpack sign); inverse includes the 1/N factor.
 */
import FFT from 'fft.js';
import { XasInputError } from '../core/errors.js';
import { tmpF64 } from './arena.js';
import { processWasm } from './wasm-kernels.js';

const plans = new Map<number, FFT>();
const scratch = new Map<number, { input: Float64Array; out: Float64Array }>();

function plan(nfft: number): FFT {
  let p = plans.get(nfft);
  if (!p) {
    if (!Number.isInteger(nfft) || nfft < 4 || (nfft & (nfft - 1)) !== 0) {
      throw new XasInputError(`nfft is ${nfft}`, { field: 'nfft', expected: 'a power of two >= 4' });
    }
    p = new FFT(nfft);
    plans.set(nfft, p);
  }
  return p;
}

/**
 * Forward DFT of a real sequence zero-padded to nfft; returns interleaved complex values for
 * frequencies 0 … keep − 1 (default nfft/2, what Larch's xftf_fast keeps).
 */
export function realFftHalf(x: ArrayLike<number>, nfft: number, keep = nfft / 2): Float64Array {
  const p = plan(nfft);
  if (x.length > nfft) {
    throw new XasInputError(`FFT input has ${x.length} points`, {
      field: 'nfft',
      expected: `at most nfft = ${nfft} points`,
    });
  }
  const wasm = processWasm();
  if (wasm) return wasm.rfftHalf(x, nfft, Math.max(0, Math.min(keep, nfft / 2)));
  let buf = scratch.get(nfft);
  if (!buf) {
    buf = { input: new Float64Array(nfft), out: new Float64Array(2 * nfft) };
    scratch.set(nfft, buf);
  }
  buf.input.fill(0);
  buf.input.set(x as ArrayLike<number>);
  p.realTransform(buf.out, buf.input);
  const out = tmpF64(2 * Math.min(keep, nfft / 2));
  out.set(buf.out.subarray(0, out.length));
  return out;
}

/** Inverse DFT (with 1/N) of an interleaved complex sequence zero-padded to nfft; full length nfft. */
export function complexIfft(reIm: Float64Array, nfft: number): Float64Array {
  const p = plan(nfft);
  if (reIm.length > 2 * nfft)
    throw new XasInputError(`FFT input has ${reIm.length / 2} points`, {
      field: 'nfft',
      expected: `at most nfft = ${nfft} points`,
    });
  const input = new Float64Array(2 * nfft);
  input.set(reIm);
  const out = new Float64Array(2 * nfft);
  p.inverseTransform(out, input);
  return out;
}
