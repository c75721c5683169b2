/**
 * WebAssembly SIMD128 backend (native/wasm/*.c): the packed/blocked GEMM and the memory-bound
 * training kernels (convolution via chunked im2col, BatchNorm, ReLU, Adam, …) run in the module;
 * GELU stays in TypeScript. Operands are copied into the module's linear memory for each call
 * (a bump arena reset per call) and results copied back: memcpy-speed traffic, small next to the
 * work of the kernels, and no tensor has to live in wasm memory.
 */
import { jsKernels, makeJsKernels } from './js-kernels.js';
import { ACT_GELU, ACT_NONE, ACT_RELU, type ConvGeometry, type Kernels } from './kernels.js';
import { KERNELS_WASM_BASE64 } from './kernels-wasm-binary.js';

type Ptr = number;
interface Exports {
  memory: WebAssembly.Memory;
  packBytes(): number;
  gemm(
    ta: number,
    tb: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Ptr,
    lda: number,
    b: Ptr,
    ldb: number,
    beta: number,
    c: Ptr,
    ldc: number,
    pack: Ptr,
  ): void;
  im2col(x: Ptr, g: Ptr, col: Ptr): void;
  col2im(col: Ptr, g: Ptr, dx: Ptr): void;
  convScratchFloats(g: Ptr): number;
  convForward(
    x: Ptr,
    g: Ptr,
    w: Ptr,
    cout: number,
    bias: Ptr,
    relu: number,
    y: Ptr,
    col: Ptr,
    pack: Ptr,
  ): void;
  convBackward(x: Ptr, g: Ptr, w: Ptr, cout: number, dz: Ptr, dw: Ptr, dx: Ptr, col: Ptr, pack: Ptr): void;
  biasRelu(z: Ptr, bias: Ptr, rows: number, cols: number, relu: number): void;
  reluBackward(dy: Ptr, y: Ptr, rows: number, cols: number, relu: number, dbias: Ptr, tmp: Ptr): void;
  bnForwardTrain(
    x: Ptr,
    rows: number,
    cols: number,
    gamma: Ptr,
    beta: Ptr,
    eps: number,
    momentum: number,
    rm: Ptr,
    rv: Ptr,
    xhat: Ptr,
    inv: Ptr,
    y: Ptr,
    relu: number,
    tmp: Ptr,
  ): void;
  bnForwardEval(
    x: Ptr,
    rows: number,
    cols: number,
    gamma: Ptr,
    beta: Ptr,
    eps: number,
    rm: Ptr,
    rv: Ptr,
    y: Ptr,
    relu: number,
    tmp: Ptr,
  ): void;
  bnBackward(
    dy: Ptr,
    xhat: Ptr,
    inv: Ptr,
    gamma: Ptr,
    rows: number,
    cols: number,
    dg: Ptr,
    dbeta: Ptr,
    dx: Ptr,
    reluOut: Ptr,
    tmp: Ptr,
  ): void;
  adam(
    p: Ptr,
    g: Ptr,
    m: Ptr,
    v: Ptr,
    len: number,
    stepSize: number,
    bc2sqrt: number,
    b1: number,
    b2: number,
    c1: number,
    c2: number,
    eps: number,
    decay: number,
    l2: number,
  ): void;
  add(a: Ptr, b: Ptr, out: Ptr, n: number, relu: number): void;
  sumSquares(x: Ptr, n: number): number;
  scale(x: Ptr, n: number, s: number): void;
}

const PAGE = 65536;
/** Operands start above the module's own data and stack (its initial memory). */
const HEAP_START = 1 << 20;

function need2d(rows: number, cols: number, ld: number): number {
  return rows === 0 ? 0 : (rows - 1) * ld + cols;
}

/** Bump allocator over the module memory, reset at the start of every kernel call. */
class Arena {
  private top = HEAP_START;
  private f32 = new Float32Array(0);
  constructor(private readonly mem: WebAssembly.Memory) {
    this.refresh();
  }
  private refresh(): void {
    if (this.f32.buffer !== this.mem.buffer) this.f32 = new Float32Array(this.mem.buffer);
  }
  reset(): void {
    this.top = HEAP_START;
  }
  /** Reserves `floats` float32 slots (16-byte aligned); returns the byte offset. */
  alloc(floats: number): Ptr {
    const p = this.top;
    this.top = (p + floats * 4 + 15) & ~15;
    const have = this.mem.buffer.byteLength;
    if (this.top > have) this.mem.grow(Math.ceil((this.top - have) / PAGE));
    this.refresh();
    return p;
  }
  /** Copies a (possibly null) array in; null → pointer 0 (NULL in C). */
  put(a: Float32Array | null, count = a?.length ?? 0): Ptr {
    if (!a) return 0;
    const p = this.alloc(count);
    this.f32.set(count === a.length ? a : a.subarray(0, count), p >> 2);
    return p;
  }
  get(p: Ptr, out: Float32Array, count = out.length): void {
    out.set(this.f32.subarray(p >> 2, (p >> 2) + count));
  }
  geometry(g: ConvGeometry): Ptr {
    const p = this.alloc(8);
    new Int32Array(this.mem.buffer, p, 8).set([
      g.batch,
      g.length,
      g.channels,
      g.kernelSize,
      g.stride,
      g.padLeft,
      g.dilation,
      g.lengthOut,
    ]);
    return p;
  }
}

export function loadWasmKernels(): { kernels: Kernels } | { reason: string } {
  let ex: Exports;
  try {
    const bytes = Buffer.from(KERNELS_WASM_BASE64, 'base64');
    ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Exports;
  } catch (err) {
    return { reason: `WebAssembly SIMD kernels unavailable: ${(err as Error).message}` };
  }
  const A = new Arena(ex.memory);
  const packFloats = Math.ceil(ex.packBytes() / 4);

  const gemm: Kernels['gemm'] = (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
    if (m === 0 || n === 0) return;
    const nA = ta ? need2d(k, m, lda) : need2d(m, k, lda);
    const nB = tb ? need2d(n, k, ldb) : need2d(k, n, ldb);
    const nC = need2d(m, n, ldc);
    if (a.length < nA || b.length < nB || c.length < nC) {
      throw new RangeError('gemm: Float32Array argument too short for the given shape');
    }
    A.reset();
    const pack = A.alloc(packFloats);
    const pa = A.put(a, nA);
    const pb = A.put(b, nB);
    const pc = beta !== 0 ? A.put(c, nC) : A.alloc(nC);
    ex.gemm(ta ? 1 : 0, tb ? 1 : 0, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, pack);
    A.get(pc, c, nC);
  };

  const base = makeJsKernels('wasm', gemm);
  const kernels: Kernels = {
    ...base,
    im2col(x, g, col) {
      A.reset();
      const px = A.put(x, g.batch * g.length * g.channels);
      const pg = A.geometry(g);
      const n = g.batch * g.lengthOut * g.kernelSize * g.channels;
      const pc = A.alloc(n);
      ex.im2col(px, pg, pc);
      A.get(pc, col, n);
    },
    col2im(dcol, g, dx) {
      A.reset();
      const pc = A.put(dcol, g.batch * g.lengthOut * g.kernelSize * g.channels);
      const pg = A.geometry(g);
      const n = g.batch * g.length * g.channels;
      const pd = A.alloc(n);
      ex.col2im(pc, pg, pd);
      A.get(pd, dx, n);
    },
    convForward(x, g, w, cout, bias, act, y, pre) {
      A.reset();
      const width = g.kernelSize * g.channels;
      const rows = g.batch * g.lengthOut;
      const pg = A.geometry(g);
      const px = A.put(x, g.batch * g.length * g.channels);
      const pw = A.put(w, cout * width);
      const pb = A.put(bias, bias ? cout : 0);
      const py = A.alloc(rows * cout);
      const col = A.alloc(ex.convScratchFloats(pg));
      const pack = A.alloc(packFloats);
      ex.convForward(px, pg, pw, cout, pb, act === ACT_RELU ? 1 : 0, py, col, pack);
      A.get(py, y, rows * cout);
      if (act === ACT_GELU) jsKernels.biasAct(y, null, rows, cout, ACT_GELU, pre);
    },
    convBackward(x, g, w, cout, dz, dw, dx) {
      A.reset();
      const width = g.kernelSize * g.channels;
      const rows = g.batch * g.lengthOut;
      const inSize = g.batch * g.length * g.channels;
      const pg = A.geometry(g);
      const px = A.put(x, inSize);
      const pw = A.put(w, cout * width);
      const pz = A.put(dz, rows * cout);
      const pdw = A.alloc(cout * width);
      const pdx = dx ? A.alloc(inSize) : 0;
      const col = A.alloc(ex.convScratchFloats(pg));
      const pack = A.alloc(packFloats);
      ex.convBackward(px, pg, pw, cout, pz, pdw, pdx, col, pack);
      A.get(pdw, dw, cout * width);
      if (dx) A.get(pdx, dx, inSize);
    },
    biasAct(z, bias, rows, cols, act, pre) {
      if (act === ACT_GELU) return jsKernels.biasAct(z, bias, rows, cols, act, pre);
      A.reset();
      const n = rows * cols;
      const pz = A.put(z, n);
      const pb = A.put(bias, bias ? cols : 0);
      ex.biasRelu(pz, pb, rows, cols, act === ACT_RELU ? 1 : 0);
      A.get(pz, z, n);
      if (pre) pre.set(z.subarray(0, n));
    },
    actBackward(dy, ref, rows, cols, act, dbias) {
      if (act === ACT_GELU) return jsKernels.actBackward(dy, ref, rows, cols, act, dbias);
      A.reset();
      const n = rows * cols;
      const pd = A.put(dy, n);
      const pr = act === ACT_NONE ? 0 : A.put(ref, n);
      const pb = dbias ? A.alloc(cols) : 0;
      const tmp = A.alloc(2 * cols);
      ex.reluBackward(pd, pr, rows, cols, act === ACT_RELU ? 1 : 0, pb, tmp);
      if (act === ACT_RELU) A.get(pd, dy, n);
      if (dbias) A.get(pb, dbias, cols);
    },
    bnForwardTrain(x, rows, cols, gamma, beta, eps, momentum, runMean, runVar, xhat, invStd, y, relu) {
      A.reset();
      const n = rows * cols;
      const px = A.put(x, n);
      const pg = A.put(gamma);
      const pb = A.put(beta);
      const prm = A.put(runMean);
      const prv = A.put(runVar);
      const ph = A.alloc(n);
      const pi = A.alloc(cols);
      const py = A.alloc(n);
      const tmp = A.alloc(6 * cols);
      ex.bnForwardTrain(px, rows, cols, pg, pb, eps, momentum, prm, prv, ph, pi, py, relu ? 1 : 0, tmp);
      A.get(prm, runMean);
      A.get(prv, runVar);
      A.get(ph, xhat, n);
      A.get(pi, invStd, cols);
      A.get(py, y, n);
    },
    bnForwardEval(x, rows, cols, gamma, beta, eps, runMean, runVar, y, relu) {
      A.reset();
      const n = rows * cols;
      const px = A.put(x, n);
      const pg = A.put(gamma);
      const pb = A.put(beta);
      const prm = A.put(runMean);
      const prv = A.put(runVar);
      const py = A.alloc(n);
      const tmp = A.alloc(2 * cols);
      ex.bnForwardEval(px, rows, cols, pg, pb, eps, prm, prv, py, relu ? 1 : 0, tmp);
      A.get(py, y, n);
    },
    bnBackward(dy, xhat, invStd, gamma, rows, cols, dgamma, dbeta, dx, reluOut) {
      A.reset();
      const n = rows * cols;
      const pd = A.put(dy, n);
      const ph = A.put(xhat, n);
      const pi = A.put(invStd, cols);
      const pg = A.put(gamma, cols);
      const pdg = A.alloc(cols);
      const pdb = A.alloc(cols);
      const pdx = A.alloc(n);
      const pr = reluOut ? A.put(reluOut, n) : 0;
      const tmp = A.alloc(8 * cols);
      ex.bnBackward(pd, ph, pi, pg, rows, cols, pdg, pdb, pdx, pr, tmp);
      A.get(pdg, dgamma, cols);
      A.get(pdb, dbeta, cols);
      A.get(pdx, dx, n);
    },
    adam(p, g, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step) {
      A.reset();
      const n = p.length;
      const pp = A.put(p);
      const pg = A.put(g, n);
      const pm = A.put(m, n);
      const pv = A.put(v, n);
      const stepSize = lr / (1 - beta1 ** step);
      const bc2sqrt = Math.sqrt(1 - beta2 ** step);
      ex.adam(
        pp,
        pg,
        pm,
        pv,
        n,
        stepSize,
        bc2sqrt,
        beta1,
        beta2,
        1 - beta1,
        1 - beta2,
        eps,
        decoupled ? 1 - lr * weightDecay : 1,
        decoupled ? 0 : weightDecay,
      );
      A.get(pp, p, n);
      A.get(pm, m, n);
      A.get(pv, v, n);
    },
    add(a, b, out, relu) {
      A.reset();
      const n = out.length;
      const pa = A.put(a, n);
      const pb = A.put(b, n);
      const po = A.alloc(n);
      ex.add(pa, pb, po, n, relu ? 1 : 0);
      A.get(po, out, n);
    },
    sumSquares(a) {
      A.reset();
      return ex.sumSquares(A.put(a), a.length);
    },
    scale(a, s) {
      A.reset();
      const pa = A.put(a);
      ex.scale(pa, a.length, s);
      A.get(pa, a);
    },
  };
  return { kernels };
}
