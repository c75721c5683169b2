/**
 * cos and sin of 2π·t/nfft for t = 0 … nfft−1, computed once per FFT length: the twiddle factors of the
 * direct low-R transforms of AUTOBK (autobk-design.ts) and of the WebAssembly kernels (wasm-kernels.ts),
 * which must use the very same values to give bit-identical results.
 */
const tables = new Map<number, { cos: Float64Array; sin: Float64Array }>();

export function trigTable(nfft: number): { cos: Float64Array; sin: Float64Array } {
  let t = tables.get(nfft);
  if (!t) {
    const cos = new Float64Array(nfft);
    const sin = new Float64Array(nfft);
    for (let i = 0; i < nfft; i++) {
      cos[i] = Math.cos((2 * Math.PI * i) / nfft);
      sin[i] = Math.sin((2 * Math.PI * i) / nfft);
    }
    t = { cos, sin };
    tables.set(nfft, t);
  }
  return t;
}
