/**
 * WebAssembly kernels of the transforms: the AUTOBK design matrix (direct low-R transform of the
 * banded B-spline basis) with its Householder QR, the zero-padded real FFT and the xftf output,
 * atan2 over arrays, not-a-knot cubic splines and the cubic B-spline basis. Each is bit-identical
 * to (or, for the FFT, agrees to rounding with) its TypeScript twin.
 */
import { tmpF64, tmpI32 } from './arena.js';
import type { BandedRows, DesignWithQr } from './wasm-kernel-types.js';
import { copyOut, resultCopy, WasmMemory } from './wasm-memory.js';

const SQRT_PI = Math.sqrt(Math.PI);

export class WasmTransforms extends WasmMemory {
  designBanded(
    basis: BandedRows,
    ftwin: ArrayLike<number>,
    irb: number,
    nfft: number,
    kstep: number,
    y?: ArrayLike<number>,
  ): DesignWithQr {
    const { cs } = this.table(nfft);
    const n = basis.ncoef;
    const nk = basis.first.length;
    const rows = 2 * irb;
    this.reset();
    const gP = this.alloc(40 * nk);
    const firstP = this.alloc(4 * nk);
    const mP = this.alloc(8 * rows * n);
    const wP = this.alloc(8 * rows * n);
    const aP = this.alloc(8 * rows);
    const rdP = this.alloc(8 * n);
    const sP = this.alloc(8 * n);
    this.views();
    const f64 = this.f64;
    // weighted basis (4 per point) and the weighted y as a fifth column, exactly as designBanded
    const f = kstep / SQRT_PI;
    const vals = basis.values;
    const g0 = gP >> 3;
    for (let km = 0; km < nk; km++) {
      const fw = f * ftwin[km];
      const o = g0 + km * 5;
      const v = km * 4;
      f64[o] = fw * vals[v];
      f64[o + 1] = fw * vals[v + 1];
      f64[o + 2] = fw * vals[v + 2];
      f64[o + 3] = fw * vals[v + 3];
      f64[o + 4] = y ? fw * y[km] : 0;
    }
    this.i32.set(basis.first, firstP >> 2);
    this.ex.design_banded(gP, firstP, nk, irb, cs, nfft - 1, n, mP, aP);
    const m0 = mP >> 3;
    const w0 = wP >> 3;
    f64.copyWithin(w0, m0, m0 + rows * n);
    this.ex.qr_rowmajor(wP, rows, n, rdP, sP);
    const m = copyOut(f64, m0, rows * n);
    const a = copyOut(f64, aP >> 3, rows);
    const rdiag = copyOut(f64, rdP >> 3, n);
    const qr = tmpF64(rows * n);
    for (let i = 0; i < rows; i++) {
      const o = w0 + i * n;
      for (let j = 0; j < n; j++) qr[j * rows + i] = f64[o + j];
    }
    return { m, a, qr: { m: rows, n, qr, rdiag } };
  }

  rfftHalf(x: ArrayLike<number>, nfft: number, keep: number): Float64Array {
    const { cs, rev } = this.table(nfft);
    this.reset();
    const npts = x.length;
    const xP = this.alloc(8 * npts);
    const zP = this.alloc(8 * nfft);
    const outP = this.alloc(16 * keep);
    this.views();
    this.f64.set(x as ArrayLike<number>, xP >> 3);
    this.ex.rfft_half(xP, npts, nfft, cs, rev, zP, outP, keep);
    return copyOut(this.f64, outP >> 3, 2 * keep);
  }

  xftfTransform(
    x: ArrayLike<number>,
    nfft: number,
    keep: number,
    f: number,
  ): { re: Float64Array; im: Float64Array; mag: Float64Array; pha: Float64Array } {
    const { cs, rev } = this.table(nfft);
    this.reset();
    const npts = x.length;
    const xP = this.alloc(8 * npts);
    const zP = this.alloc(8 * nfft);
    const specP = this.alloc(16 * keep);
    const outP = this.alloc(32 * keep);
    this.views();
    const f64 = this.f64;
    f64.set(x, xP >> 3);
    this.ex.rfft_half(xP, npts, nfft, cs, rev, zP, specP, keep);
    this.ex.xftf_finish(specP, keep, f, outP, outP + 8 * keep, outP + 16 * keep, outP + 24 * keep);
    const o = outP >> 3;
    return {
      re: resultCopy(f64, o, keep),
      im: resultCopy(f64, o + keep, keep),
      mag: resultCopy(f64, o + 2 * keep, keep),
      pha: resultCopy(f64, o + 3 * keep, keep),
    };
  }

  atan2(y: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
    const n = y.length;
    this.reset();
    const yP = this.alloc(8 * n);
    const xP = this.alloc(8 * n);
    const oP = this.alloc(8 * n);
    this.views();
    this.f64.set(y, yP >> 3);
    this.f64.set(x, xP >> 3);
    this.ex.atan2_many(yP, xP, n, oP);
    return copyOut(this.f64, oP >> 3, n);
  }

  splineAt(x: ArrayLike<number>, y: ArrayLike<number>, xs: ArrayLike<number>): Float64Array | number {
    const n = x.length;
    const nxs = xs.length;
    this.reset();
    const xP = this.alloc(8 * n);
    const yP = this.alloc(8 * n);
    const sP = this.alloc(8 * n);
    const wP = this.alloc(40 * n);
    const xsP = this.alloc(8 * nxs);
    const outP = this.alloc(8 * nxs);
    this.views();
    const f64 = this.f64;
    f64.set(x, xP >> 3);
    f64.set(y, yP >> 3);
    const bad = this.ex.spline_nak(xP, yP, n, sP, wP);
    if (bad !== 0) return bad;
    f64.set(xs, xsP >> 3);
    this.ex.spline_eval(xP, yP, sP, n, xsP, nxs, outP);
    return copyOut(f64, outP >> 3, nxs);
  }

  bsplineCubic(t: ArrayLike<number>, x: ArrayLike<number>): { first: Int32Array; values: Float64Array } {
    const nt = t.length;
    const npts = x.length;
    this.reset();
    const tP = this.alloc(8 * nt);
    const xP = this.alloc(8 * npts);
    const firstP = this.alloc(4 * npts);
    const valuesP = this.alloc(32 * npts);
    this.views();
    this.f64.set(t, tP >> 3);
    this.f64.set(x, xP >> 3);
    this.ex.bspline_cubic(tP, nt, xP, npts, firstP, valuesP);
    const first = tmpI32(npts);
    first.set(this.i32.subarray(firstP >> 2, (firstP >> 2) + npts));
    return { first, values: copyOut(this.f64, valuesP >> 3, 4 * npts) };
  }
}
