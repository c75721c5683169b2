/**
 * WebAssembly kernels of pre_edge (stages A and B) and of the AUTOBK fit (the Levenberg–Marquardt
 * search of solveAutobkLarch, and the whole fit in one call).
 */
import { outF64 } from './arena.js';
import type { QR } from './linalg.js';
import type {
  AutobkFitInput,
  AutobkFitOutput,
  AutobkLmResult,
  PreEdgeStageA,
  PreEdgeStageB,
  ProcessWasm,
} from './wasm-kernel-types.js';
import { copyOut, EMPTY, resultCopy } from './wasm-memory.js';
import { WasmTransforms } from './wasm-transforms.js';

export class WasmProcess extends WasmTransforms implements ProcessWasm {
  /** Where preEdgeA left its spectrum for preEdgeB (valid for the call that wrote it). */
  private preEdgeSession = { call: -1, n: 0, e: 0, mu: 0, dmude: 0 };

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
