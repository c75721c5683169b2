/**
 * WebAssembly SIMD128 kernels of the processing stage (src/process/wasm/kernels.c, rebuilt by
 * tools/process/build-wasm.mjs): the AUTOBK design matrix (the direct low-R transform of the banded
 * B-spline basis) with its Householder QR, and the zero-padded real FFT of xftf. Each kernel has a
 * TypeScript twin that runs when WebAssembly is unavailable or XASFLOW_PROCESS_KERNELS=js: the design
 * and QR are bit-identical to autobk-design.ts and linalg.ts (same operations in the same order), the
 * FFT agrees with fft.js to rounding (≈1e-16 of the largest coefficient).
 * Operands are written into the module's memory (a bump arena reset by every call) and results copied
 * out into temporaries of the caller's allocation scope (arena.ts), so no returned array ever aliases
 * the module's memory.
 */
import { XasInputError } from '../core/errors.js';
import { outF64, tmpF64, tmpI32 } from './arena.js';
import type { QR } from './linalg.js';
import { trigTable } from './trig-table.js';
import { PROCESS_WASM_BASE64 } from './wasm-binary.js';

type Ptr = number;

interface Exports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  design_banded(
    g: Ptr,
    first: Ptr,
    nk: number,
    irb: number,
    cs: Ptr,
    mask: number,
    n: number,
    m: Ptr,
    a: Ptr,
  ): void;
  qr_rowmajor(w: Ptr, m: number, n: number, rdiag: Ptr, s: Ptr): void;
  fft_bitrev(nc: number, rev: Ptr): void;
  rfft_half(x: Ptr, npts: number, nfft: number, cs: Ptr, rev: Ptr, z: Ptr, out: Ptr, keep: number): void;
  spline_nak(x: Ptr, y: Ptr, n: number, s: Ptr, work: Ptr): number;
  spline_eval(x: Ptr, y: Ptr, s: Ptr, n: number, xs: Ptr, nxs: number, out: Ptr): void;
  bspline_cubic(t: Ptr, nt: number, x: Ptr, npts: number, first: Ptr, values: Ptr): void;
  autobk_lm(
    qr: Ptr,
    rdiag: Ptr,
    m: number,
    n: number,
    a: Ptr,
    nrows: Ptr,
    weight: Ptr,
    y0: Ptr,
    ncl: number,
    x: Ptr,
    opts: Ptr,
    maxfev: number,
    cov: Ptr,
    out: Ptr,
    work: Ptr,
  ): number;
  autobk_fit(ip: Ptr, fp: Ptr): number;
  xftf_finish(spec: Ptr, keep: number, f: number, re: Ptr, im: Ptr, mag: Ptr, pha: Ptr): void;
  atan2_many(y: Ptr, x: Ptr, n: number, out: Ptr): void;
  pre_edge_a(energy: Ptr, mu: Ptr, n: number, findE0: number, e: Ptr, dmude: Ptr): number;
  pre_edge_b(
    e: Ptr,
    mu: Ptr,
    dmude: Ptr,
    n: number,
    ip: Ptr,
    step: Ptr,
    preLine: Ptr,
    postEdge: Ptr,
    norm: Ptr,
    flat: Ptr,
    d2mude: Ptr,
    fits: Ptr,
    scratch: Ptr,
  ): number;
}

/** Stage A of pre_edge (remove_dups, dμ/dE, find_e0) and its results. */
export interface PreEdgeStageA {
  /** Index of E0 (find_e0), 0 when not searched, −1 invalid input, −2/−3 find_e0 failed. */
  code: number;
  e: Float64Array;
  dmude: Float64Array;
}

/** Stage B of pre_edge: the fits and the curves (result arrays), or the code that hands over. */
export interface PreEdgeStageB {
  /** 0 done; 1 the TypeScript route must redo the stage; 2 the edge step is not positive and finite. */
  code: number;
  edgeStep: number;
  preLine: Float64Array;
  postEdge: Float64Array;
  norm: Float64Array;
  /** Absent when not flattened (flat is norm). */
  flat?: Float64Array;
  d2mude: Float64Array;
  /** Scaled coefficients, center and scale of the pre-edge line and of the post-edge polynomial. */
  pre: { coef: Float64Array; center: number; scale: number };
  post: { coef: Float64Array; center: number; scale: number };
}

/** Inputs of the single-call AUTOBK fit (autobk-fit-wasm.ts). */
export interface AutobkFitInput {
  kr: Float64Array;
  /** μ on the full energy grid; the fit uses nr = kr.length values from ie0. */
  mu: ArrayLike<number>;
  ie0: number;
  kout: Float64Array;
  knots: Float64Array;
  ftwin: Float64Array;
  irb: number;
  nfft: number;
  /** kstep/√π */
  f: number;
  splK: Float64Array;
  splY: Float64Array;
  clampIndex: Int32Array;
  clampWeight: Float64Array;
  /** A cached design (chi basis and QR); absent: built in the call. */
  design?: { first: Int32Array; values: Float64Array; qr: QR };
  edgeStep: number;
  tchi: number;
  tbkg: number;
  uncertainties: boolean;
  maxfev: number;
}

export interface AutobkFitOutput {
  /** 0 ok; 1 kr not increasing at index; 2 singular start; 3 search failed (info); 4 singular Jacobian. */
  code: number;
  index: number;
  info: number;
  nfev: number;
  chisqr: number;
  chi: Float64Array;
  bkgSeg: Float64Array;
  coefs: Float64Array;
  deltaChi: Float64Array;
  deltaBkgSeg: Float64Array;
}

/** Result of the WebAssembly twin of solveAutobkLarch's Levenberg–Marquardt search. */
export interface AutobkLmResult {
  /** MINPACK info code (0: improper input). */
  info: number;
  /** The last Jacobian is singular: no covariance. */
  singular: boolean;
  nfev: number;
  /** Coefficients (a result array of the current scope). */
  x: Float64Array;
  /** Residual norm MINPACK ended with, and evaluated again at x. */
  fnormLm: number;
  fnorm: number;
  /** Covariance (JᵀJ)⁻¹ of the last Jacobian (a temporary). */
  covariance: Float64Array;
}

export type ProcessKernelsName = 'wasm' | 'js';

/** Banded spline rows: row r has 4 values for coefficients first[r] … first[r] + 3. */
export interface BandedRows {
  first: Int32Array;
  values: Float64Array;
  ncoef: number;
}

export interface DesignWithQr {
  /** (2·irb) × ncoef, row-major (as buildDesign's m). */
  m: Float64Array;
  /** Low-R transform of y (2·irb values). */
  a: Float64Array;
  qr: QR;
}

export interface ProcessWasm {
  /** designBanded of autobk-design.ts followed by qrDecompose of its matrix. */
  designBanded(
    basis: BandedRows,
    ftwin: ArrayLike<number>,
    irb: number,
    nfft: number,
    kstep: number,
    y?: ArrayLike<number>,
  ): DesignWithQr;
  /** Interleaved DFT coefficients 0 … keep−1 of x zero-padded to nfft (realFftHalf of fft.ts). */
  rfftHalf(x: ArrayLike<number>, nfft: number, keep: number): Float64Array;
  /**
   * evalSplineAt(notAKnotSpline(x, y), xs) of cubic-spline.ts for n ≥ 4 points; returns the index at
   * which x fails to increase (≥ 1) instead of values when it does.
   */
  splineAt(x: ArrayLike<number>, y: ArrayLike<number>, xs: ArrayLike<number>): Float64Array | number;
  /** cubicDesign of bspline.ts: first coefficient and four basis values per point. */
  bsplineCubic(t: ArrayLike<number>, x: ArrayLike<number>): { first: Int32Array; values: Float64Array };
  /**
   * Larch's Levenberg–Marquardt search of autobk-larch-fit.ts (MINPACK lmdif with AUTOBK's reduced
   * residual): qr, a as solveAutobkLarch takes them, nRows the clamp rows (ncl × n), c0 the start.
   */
  autobkLm(
    qr: QR,
    a: ArrayLike<number>,
    nRows: ArrayLike<number>,
    weight: ArrayLike<number>,
    y0: ArrayLike<number>,
    c0: ArrayLike<number>,
    opts: { ftol: number; xtol: number; gtol: number; epsfcn: number; maxfev: number },
  ): AutobkLmResult;
  /** The whole AUTOBK fit of one spectrum (wasm/autobk_fit.c). */
  autobkFit(input: AutobkFitInput): AutobkFitOutput;
  /**
   * xftf's transform of the weighted, windowed χ: f·DFT for R points 0 … keep−1 (real and imaginary
   * parts, magnitude and Larch's unwrapped phase), as result arrays of the current scope.
   */
  xftfTransform(
    x: ArrayLike<number>,
    nfft: number,
    keep: number,
    f: number,
  ): { re: Float64Array; im: Float64Array; mag: Float64Array; pha: Float64Array };
  /** Math.atan2 of the module (within 2 units in the last place; tests). */
  atan2(y: ArrayLike<number>, x: ArrayLike<number>): Float64Array;
  /** pre_edge's checks, remove_dups, dμ/dE and (findE0) the index of E0 (wasm/pre_edge.c). */
  preEdgeA(energy: Float64Array, mu: Float64Array, findE0: boolean): PreEdgeStageA;
  /**
   * pre_edge's fits and curves on the spectrum of the preceding preEdgeA call (which must be the last
   * call into the module): slices [a1, a2) and [b1, b2), nnorm ≤ 3, E0 index, flattening, given step.
   */
  preEdgeB(s: {
    a1: number;
    a2: number;
    b1: number;
    b2: number;
    nnorm: number;
    ie0: number;
    makeFlat: boolean;
    step?: number;
  }): PreEdgeStageB;
}

const SQRT_PI = Math.sqrt(Math.PI);
const PAGE = 65536;

class WasmProcess implements ProcessWasm {
  private f64 = new Float64Array(0);
  private i32 = new Int32Array(0);
  /** Tables (twiddles, bit reversal) live below `fixedTop`; per-call operands above it. */
  private fixedTop: number;
  private top: number;
  private readonly tables = new Map<number, { cs: Ptr; rev: Ptr }>();
  /** Memory size in bytes (reading memory.buffer is slow, so it is tracked here). */
  private size: number;
  /** Calls so far, and where preEdgeA left its spectrum for preEdgeB. */
  private calls = 0;
  private preEdgeSession = { call: -1, n: 0, e: 0, mu: 0, dmude: 0 };

  constructor(private readonly ex: Exports) {
    this.size = ex.memory.buffer.byteLength;
    this.fixedTop = ((ex.__heap_base.value as number) + 15) & ~15;
    this.top = this.fixedTop;
    this.views();
  }

  /** Views on the memory; renewed after it grows (the module itself never grows it). */
  private views(): void {
    if (this.f64.byteLength !== this.size) {
      const buffer = this.ex.memory.buffer;
      this.f64 = new Float64Array(buffer);
      this.i32 = new Int32Array(buffer);
    }
  }

  private alloc(bytes: number): Ptr {
    const p = this.top;
    this.top = (p + bytes + 15) & ~15;
    if (this.top > this.size) {
      this.ex.memory.grow(Math.ceil((this.top - this.size) / PAGE));
      this.size = this.ex.memory.buffer.byteLength;
    }
    return p;
  }

  private reset(): void {
    this.top = this.fixedTop;
    this.calls++;
  }

  /** (cos, −sin) of 2π·t/nfft interleaved, and the bit reversal of nfft/2 indices. */
  private table(nfft: number): { cs: Ptr; rev: Ptr } {
    let t = this.tables.get(nfft);
    if (!t) {
      this.reset();
      const cs = this.alloc(16 * nfft);
      const rev = this.alloc(4 * Math.max(1, nfft >> 1));
      this.views();
      const { cos, sin } = trigTable(nfft);
      const o = cs >> 3;
      for (let i = 0; i < nfft; i++) {
        this.f64[o + 2 * i] = cos[i];
        this.f64[o + 2 * i + 1] = -sin[i];
      }
      this.ex.fft_bitrev(nfft >> 1, rev);
      this.fixedTop = this.top;
      t = { cs, rev };
      this.tables.set(nfft, t);
    }
    return t;
  }

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

  preEdgeA(energy: Float64Array, mu: Float64Array, findE0: boolean): PreEdgeStageA {
    const n = energy.length;
    this.reset();
    const eIn = this.alloc(8 * n);
    const muP = this.alloc(8 * n);
    const eP = this.alloc(8 * n);
    const dP = this.alloc(8 * n);
    this.views();
    const f64 = this.f64;
    f64.set(energy, eIn >> 3);
    f64.set(mu, muP >> 3);
    const code = this.ex.pre_edge_a(eIn, muP, n, findE0 ? 1 : 0, eP, dP);
    this.preEdgeSession = { call: this.calls, n, e: eP, mu: muP, dmude: dP };
    if (code === -1) return { code, e: EMPTY, dmude: EMPTY };
    const e = outF64(n);
    e.set(f64.subarray(eP >> 3, (eP >> 3) + n));
    const dmude = outF64(n);
    dmude.set(f64.subarray(dP >> 3, (dP >> 3) + n));
    return { code, e, dmude };
  }

  preEdgeB(s: {
    a1: number;
    a2: number;
    b1: number;
    b2: number;
    nnorm: number;
    ie0: number;
    makeFlat: boolean;
    step?: number;
  }): PreEdgeStageB {
    const session = this.preEdgeSession;
    const fail: PreEdgeStageB = {
      code: 1,
      edgeStep: Number.NaN,
      preLine: EMPTY,
      postEdge: EMPTY,
      norm: EMPTY,
      d2mude: EMPTY,
      pre: { coef: EMPTY, center: 0, scale: 1 },
      post: { coef: EMPTY, center: 0, scale: 1 },
    };
    if (session.call !== this.calls || s.nnorm > 3) return fail;
    const { n } = session;
    // continue above stage A's operands (no reset: they stay in place)
    const ipP = this.alloc(4 * 8);
    const stepP = this.alloc(8);
    const outP = this.alloc(8 * 5 * n);
    const fitsP = this.alloc(8 * 16);
    const scratchP = this.alloc(8 * n);
    this.views();
    const f64 = this.f64;
    const i32 = this.i32;
    const ip = ipP >> 2;
    i32[ip] = s.a1;
    i32[ip + 1] = s.a2;
    i32[ip + 2] = s.b1;
    i32[ip + 3] = s.b2;
    i32[ip + 4] = s.nnorm;
    i32[ip + 5] = s.ie0;
    i32[ip + 6] = s.makeFlat ? 1 : 0;
    i32[ip + 7] = s.step === undefined ? 0 : 1;
    f64[stepP >> 3] = s.step ?? 0;
    const code = this.ex.pre_edge_b(
      session.e,
      session.mu,
      session.dmude,
      n,
      ipP,
      stepP,
      outP,
      outP + 8 * n,
      outP + 16 * n,
      outP + 24 * n,
      outP + 32 * n,
      fitsP,
      scratchP,
    );
    this.preEdgeSession = { ...session, call: -1 };
    const fits = fitsP >> 3;
    if (code !== 0) return { ...fail, code, edgeStep: f64[fits + 6] };
    const o = outP >> 3;
    const preLine = resultCopy(f64, o, n);
    const postEdge = resultCopy(f64, o + n, n);
    const norm = resultCopy(f64, o + 2 * n, n);
    const flat = f64[fits + 7] === 1 ? resultCopy(f64, o + 3 * n, n) : undefined;
    const d2mude = resultCopy(f64, o + 4 * n, n);
    const postCoef = new Float64Array(s.nnorm + 1);
    for (let k = 0; k <= s.nnorm; k++) postCoef[k] = f64[fits + 8 + k];
    return {
      code: 0,
      edgeStep: f64[fits + 6],
      preLine,
      postEdge,
      norm,
      flat,
      d2mude,
      pre: {
        coef: new Float64Array([f64[fits], f64[fits + 1]]),
        center: f64[fits + 2],
        scale: f64[fits + 3],
      },
      post: { coef: postCoef, center: f64[fits + 4], scale: f64[fits + 5] },
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

  autobkLm(
    qr: QR,
    a: ArrayLike<number>,
    nRows: ArrayLike<number>,
    weight: ArrayLike<number>,
    y0: ArrayLike<number>,
    c0: ArrayLike<number>,
    opts: { ftol: number; xtol: number; gtol: number; epsfcn: number; maxfev: number },
  ): AutobkLmResult {
    const { m, n } = qr;
    const ncl = weight.length;
    this.reset();
    const qrP = this.alloc(8 * m * n);
    const rdP = this.alloc(8 * n);
    const aP = this.alloc(8 * m);
    const nrP = this.alloc(8 * ncl * n);
    const wP = this.alloc(8 * ncl);
    const yP = this.alloc(8 * ncl);
    const xP = this.alloc(8 * n);
    const oP = this.alloc(8 * 5);
    const covP = this.alloc(8 * n * n);
    const outP = this.alloc(8 * 4);
    const workP = this.alloc(8 * (2 * n * n + 12 * n + (n + 4) * ncl));
    this.views();
    const f64 = this.f64;
    f64.set(qr.qr, qrP >> 3);
    f64.set(qr.rdiag, rdP >> 3);
    f64.set(a, aP >> 3);
    f64.set(nRows, nrP >> 3);
    f64.set(weight, wP >> 3);
    f64.set(y0, yP >> 3);
    f64.set(c0, xP >> 3);
    const o = oP >> 3;
    f64[o] = opts.ftol;
    f64[o + 1] = opts.xtol;
    f64[o + 2] = opts.gtol;
    f64[o + 3] = opts.epsfcn;
    f64[o + 4] = 100;
    const info = this.ex.autobk_lm(
      qrP,
      rdP,
      m,
      n,
      aP,
      nrP,
      wP,
      yP,
      ncl,
      xP,
      oP,
      opts.maxfev,
      covP,
      outP,
      workP,
    );
    const x = outF64(n);
    x.set(f64.subarray(xP >> 3, (xP >> 3) + n));
    const out = outP >> 3;
    return {
      info,
      nfev: f64[out + 1],
      x,
      fnormLm: f64[out + 2],
      fnorm: f64[out],
      singular: f64[out + 3] !== 0,
      covariance: copyOut(f64, covP >> 3, n * n),
    };
  }

  autobkFit(input: AutobkFitInput): AutobkFitOutput {
    const { kr, mu, ie0, kout, knots, ftwin, irb, nfft, splK, splY, clampIndex, clampWeight, design } = input;
    const nr = kr.length;
    const nk = kout.length;
    const n = splK.length;
    const ncl = clampIndex.length;
    const rows = 2 * irb;
    const { cs } = this.table(nfft);
    this.reset();
    const ipP = this.alloc(4 * 32);
    const fpP = this.alloc(8 * 8);
    const krP = this.alloc(8 * nr);
    const muP = this.alloc(8 * nr);
    const koutP = this.alloc(8 * nk);
    const knotsP = this.alloc(8 * knots.length);
    const ftwinP = this.alloc(8 * nk);
    const splkP = this.alloc(8 * n);
    const splyP = this.alloc(8 * n);
    const cidxP = this.alloc(4 * ncl);
    const cwP = this.alloc(8 * ncl);
    const dfP = design ? this.alloc(4 * nk) : 0;
    const dvP = design ? this.alloc(32 * nk) : 0;
    const dqP = design ? this.alloc(8 * rows * n) : 0;
    const drP = design ? this.alloc(8 * n) : 0;
    const chiP = this.alloc(8 * nk);
    const bkgP = this.alloc(8 * nr);
    const dchiP = this.alloc(8 * nk);
    const dbkgP = this.alloc(8 * nr);
    const coefP = this.alloc(8 * n);
    const statP = this.alloc(8 * 8);
    const workP = this.alloc(
      8 * (26 * nk + 12 * nr + 3 * rows * n + 4 * n * n + 40 * n + (n + 4) * ncl + 256),
    );
    this.views();
    const f64 = this.f64;
    const i32 = this.i32;
    f64.set(kr, krP >> 3);
    const m0 = muP >> 3;
    for (let i = 0; i < nr; i++) f64[m0 + i] = mu[ie0 + i];
    f64.set(kout, koutP >> 3);
    f64.set(knots, knotsP >> 3);
    f64.set(ftwin.subarray(0, nk), ftwinP >> 3);
    f64.set(splK, splkP >> 3);
    f64.set(splY, splyP >> 3);
    i32.set(clampIndex, cidxP >> 2);
    f64.set(clampWeight, cwP >> 3);
    if (design) {
      i32.set(design.first, dfP >> 2);
      f64.set(design.values, dvP >> 3);
      f64.set(design.qr.qr, dqP >> 3);
      f64.set(design.qr.rdiag, drP >> 3);
    }
    const ip = ipP >> 2;
    const ints = [
      nr,
      nk,
      n,
      irb,
      nfft - 1,
      ncl,
      design ? 1 : 0,
      0,
      input.uncertainties ? 1 : 0,
      input.maxfev,
      krP,
      muP,
      koutP,
      knotsP,
      ftwinP,
      cs,
      0,
      splkP,
      splyP,
      cidxP,
      cwP,
      dfP,
      dvP,
      dqP,
      drP,
      chiP,
      bkgP,
      dchiP,
      dbkgP,
      coefP,
      statP,
      workP,
    ];
    for (let i = 0; i < ints.length; i++) i32[ip + i] = ints[i];
    const fp = fpP >> 3;
    f64[fp] = input.f;
    f64[fp + 1] = input.edgeStep;
    f64[fp + 2] = input.tchi;
    f64[fp + 3] = input.tbkg;
    f64[fp + 4] = 1e-6;
    f64[fp + 5] = 1e-6;
    f64[fp + 6] = 1e-6;
    f64[fp + 7] = 1e-6;
    const code = this.ex.autobk_fit(ipP, fpP);
    const st = statP >> 3;
    const out: AutobkFitOutput = {
      code,
      index: f64[st + 3],
      info: f64[st + 2],
      nfev: f64[st + 1],
      chisqr: f64[st],
      chi: EMPTY,
      bkgSeg: EMPTY,
      coefs: EMPTY,
      deltaChi: EMPTY,
      deltaBkgSeg: EMPTY,
    };
    if (code !== 0) return out;
    out.chi = outF64(nk);
    out.chi.set(f64.subarray(chiP >> 3, (chiP >> 3) + nk));
    out.coefs = outF64(n);
    out.coefs.set(f64.subarray(coefP >> 3, (coefP >> 3) + n));
    out.bkgSeg = copyOut(f64, bkgP >> 3, nr);
    if (input.uncertainties) {
      out.deltaChi = outF64(nk);
      out.deltaChi.set(f64.subarray(dchiP >> 3, (dchiP >> 3) + nk));
      out.deltaBkgSeg = copyOut(f64, dbkgP >> 3, nr);
    }
    return out;
  }
}

const EMPTY = new Float64Array(0);

/** count values of memory from index `at` into a result array of the current scope. */
function resultCopy(memory: Float64Array, at: number, count: number): Float64Array {
  const out = outF64(count);
  out.set(memory.subarray(at, at + count));
  return out;
}

/** count values of memory from index `at` into a temporary. */
function copyOut(memory: Float64Array, at: number, count: number): Float64Array {
  const out = tmpF64(count);
  out.set(memory.subarray(at, at + count));
  return out;
}

let mode: 'auto' | ProcessKernelsName | undefined;
let active: WasmProcess | null | undefined;
let unavailable = '';

function load(): WasmProcess | null {
  try {
    const bytes = Buffer.from(PROCESS_WASM_BASE64, 'base64');
    const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Exports;
    return new WasmProcess(ex);
  } catch (err) {
    unavailable = (err as Error).message;
    return null;
  }
}

/**
 * Selects the kernels: 'auto' (WebAssembly when the runtime supports SIMD128, else TypeScript),
 * 'wasm' (an error if unavailable) or 'js'. Returns the name now in use.
 */
export function useProcessKernels(name: string): ProcessKernelsName {
  if (name !== 'auto' && name !== 'wasm' && name !== 'js') {
    throw new XasInputError(`unknown processing kernels '${name}'`, {
      field: 'XASFLOW_PROCESS_KERNELS',
      expected: 'wasm, js or auto',
    });
  }
  mode = name;
  if (name === 'js') {
    active = null;
    return 'js';
  }
  active = load();
  if (!active && name === 'wasm')
    throw new XasInputError(`the WebAssembly processing kernels are not available: ${unavailable}`, {
      field: 'XASFLOW_PROCESS_KERNELS',
    });
  return active ? 'wasm' : 'js';
}

/** The WebAssembly kernels if selected and available, else null (use the TypeScript twins). */
export function processWasm(): ProcessWasm | null {
  if (active !== undefined) return active;
  useProcessKernels(process.env.XASFLOW_PROCESS_KERNELS || 'auto');
  return active ?? null;
}

/** Name of the kernels in use ('wasm' or 'js'). */
export function processKernelsName(): ProcessKernelsName {
  return processWasm() ? 'wasm' : 'js';
}

/** The selection mode last applied ('auto' by default). */
export function processKernelsMode(): 'auto' | ProcessKernelsName {
  processWasm();
  return mode ?? 'auto';
}
