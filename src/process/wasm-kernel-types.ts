/**
 * Types of the processing stage's WebAssembly kernels (wasm-kernels.ts): the module's exports (its
 * ABI: pointers are byte offsets into its memory) and the typed interface the processing code calls.
 */
import type { QR } from './linalg.js';

export type Ptr = number;

/** Functions exported by kernels.wasm (src/process/wasm/*.c). */
export interface ProcessWasmExports {
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
