/**
 * Pure TypeScript implementations of every kernel in kernels.ts. They define the semantics the
 * native addon and the WebAssembly GEMM must reproduce, and they run everywhere. Reductions are
 * accumulated in double precision.
 */

import { jsGemm } from './js-gemm.js';
import { ACT_GELU, ACT_RELU, type ActCode, type ConvGeometry, type Kernels } from './kernels.js';
import { gelu, geluGrad } from './special.js';

export function jsIm2col(x: Float32Array, g: ConvGeometry, col: Float32Array): void {
  const { batch, length, channels: ch, kernelSize: ks, stride, padLeft, dilation, lengthOut } = g;
  const width = ks * ch;
  for (let b = 0; b < batch; b++) {
    const xb = b * length * ch;
    for (let o = 0; o < lengthOut; o++) {
      const row = (b * lengthOut + o) * width;
      const start = o * stride - padLeft;
      for (let kk = 0; kk < ks; kk++) {
        const pos = start + kk * dilation;
        const dst = row + kk * ch;
        if (pos < 0 || pos >= length) col.fill(0, dst, dst + ch);
        else {
          const src = xb + pos * ch;
          for (let c = 0; c < ch; c++) col[dst + c] = x[src + c];
        }
      }
    }
  }
}

export function jsCol2im(dcol: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const { batch, length, channels: ch, kernelSize: ks, stride, padLeft, dilation, lengthOut } = g;
  const width = ks * ch;
  dx.fill(0, 0, batch * length * ch);
  for (let b = 0; b < batch; b++) {
    const xb = b * length * ch;
    for (let o = 0; o < lengthOut; o++) {
      const row = (b * lengthOut + o) * width;
      const start = o * stride - padLeft;
      for (let kk = 0; kk < ks; kk++) {
        const pos = start + kk * dilation;
        if (pos < 0 || pos >= length) continue;
        const src = row + kk * ch;
        const dst = xb + pos * ch;
        for (let c = 0; c < ch; c++) dx[dst + c] += dcol[src + c];
      }
    }
  }
}

function biasAct(
  z: Float32Array,
  bias: Float32Array | null,
  rows: number,
  cols: number,
  act: ActCode,
  pre: Float32Array | null,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      let v = z[o + c];
      if (bias) v = Math.fround(v + bias[c]);
      if (pre) pre[o + c] = v;
      if (act === ACT_RELU) v = v > 0 ? v : 0;
      else if (act === ACT_GELU) v = gelu(v);
      z[o + c] = v;
    }
  }
}

function colSum(a: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) acc[c] += a[o + c];
  }
  for (let c = 0; c < cols; c++) out[c] = acc[c];
}

function actBackward(
  dy: Float32Array,
  ref: Float32Array,
  rows: number,
  cols: number,
  act: ActCode,
  dbias: Float32Array | null,
): void {
  const total = rows * cols;
  if (act === ACT_RELU) {
    for (let i = 0; i < total; i++) if (!(ref[i] > 0)) dy[i] = 0;
  } else if (act === ACT_GELU) {
    for (let i = 0; i < total; i++) dy[i] *= geluGrad(ref[i]);
  }
  if (dbias) colSum(dy, rows, cols, dbias);
}

function bnForwardTrain(
  x: Float32Array,
  rows: number,
  cols: number,
  gamma: Float32Array,
  beta: Float32Array,
  eps: number,
  momentum: number,
  runMean: Float32Array,
  runVar: Float32Array,
  xhat: Float32Array,
  invStd: Float32Array,
  y: Float32Array,
  relu: boolean,
): void {
  const mean = new Float64Array(cols);
  const sq = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) mean[c] += x[o + c];
  }
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const d = x[o + c] - mean[c];
      sq[c] += d * d;
    }
  }
  for (let c = 0; c < cols; c++) {
    const varB = sq[c] / rows;
    invStd[c] = 1 / Math.sqrt(varB + eps);
    runMean[c] = (1 - momentum) * runMean[c] + momentum * mean[c];
    runVar[c] = (1 - momentum) * runVar[c] + momentum * (rows > 1 ? sq[c] / (rows - 1) : varB);
  }
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const h = (x[o + c] - mean[c]) * invStd[c];
      xhat[o + c] = h;
      const v = gamma[c] * h + beta[c];
      y[o + c] = relu && !(v > 0) ? 0 : v;
    }
  }
}

function bnForwardEval(
  x: Float32Array,
  rows: number,
  cols: number,
  gamma: Float32Array,
  beta: Float32Array,
  eps: number,
  runMean: Float32Array,
  runVar: Float32Array,
  y: Float32Array,
  relu: boolean,
): void {
  const scale = new Float64Array(cols);
  const shift = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    scale[c] = gamma[c] / Math.sqrt(runVar[c] + eps);
    shift[c] = beta[c] - runMean[c] * scale[c];
  }
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = Math.fround(x[o + c] * scale[c] + shift[c]);
      y[o + c] = relu && !(v > 0) ? 0 : v;
    }
  }
}

function bnBackward(
  dy: Float32Array,
  xhat: Float32Array,
  invStd: Float32Array,
  gamma: Float32Array,
  rows: number,
  cols: number,
  dgamma: Float32Array,
  dbeta: Float32Array,
  dx: Float32Array,
  reluOut: Float32Array | null,
): void {
  const sumDy = new Float64Array(cols);
  const sumDyXhat = new Float64Array(cols);
  const g = (i: number) => (reluOut && !(reluOut[i] > 0) ? 0 : dy[i]);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const d = g(o + c);
      sumDy[c] += d;
      sumDyXhat[c] += d * xhat[o + c];
    }
  }
  const k = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    dbeta[c] = sumDy[c];
    dgamma[c] = sumDyXhat[c];
    k[c] = (gamma[c] * invStd[c]) / rows;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      dx[o + c] = k[c] * (rows * g(o + c) - sumDy[c] - xhat[o + c] * sumDyXhat[c]);
    }
  }
}

function adam(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  weightDecay: number,
  decoupled: boolean,
  step: number,
): void {
  const bc1 = 1 - beta1 ** step;
  const bc2sqrt = Math.sqrt(1 - beta2 ** step);
  const stepSize = lr / bc1;
  const decay = decoupled ? 1 - lr * weightDecay : 1;
  const l2 = decoupled ? 0 : weightDecay;
  for (let i = 0; i < p.length; i++) {
    let pi = p[i];
    const gi = l2 !== 0 ? Math.fround(g[i] + l2 * pi) : g[i];
    if (decay !== 1) pi = Math.fround(pi * decay);
    const mi = Math.fround(beta1 * m[i] + (1 - beta1) * gi);
    const vi = Math.fround(beta2 * v[i] + (1 - beta2) * gi * gi);
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - (stepSize * mi) / (Math.sqrt(vi) / bc2sqrt + eps);
  }
}

function sumSquares(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}

function scale(a: Float32Array, s: number): void {
  for (let i = 0; i < a.length; i++) a[i] *= s;
}

function add(a: Float32Array, b: Float32Array, out: Float32Array, relu: boolean): void {
  if (relu) {
    for (let i = 0; i < out.length; i++) {
      const v = Math.fround(a[i] + b[i]);
      out[i] = v > 0 ? v : 0;
    }
  } else for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i];
}

/** Whole-batch convolution through im2col + one GEMM (the col buffer is kept between calls). */
function makeConv(gemm: Kernels['gemm']): Pick<Kernels, 'convForward' | 'convBackward'> {
  let col = new Float32Array(0);
  const colView = (n: number) => {
    if (col.length < n) col = new Float32Array(n);
    return col.subarray(0, n);
  };
  return {
    convForward(x, g, w, cout, bias, act, y, pre) {
      const width = g.kernelSize * g.channels;
      const rows = g.batch * g.lengthOut;
      const c = colView(rows * width);
      jsIm2col(x, g, c);
      gemm(false, true, rows, cout, width, 1, c, width, w, width, 0, y, cout);
      biasAct(y, bias, rows, cout, act, pre);
    },
    convBackward(x, g, w, cout, dz, dw, dx) {
      const width = g.kernelSize * g.channels;
      const rows = g.batch * g.lengthOut;
      const c = colView(rows * width);
      jsIm2col(x, g, c);
      gemm(true, false, cout, width, rows, 1, dz, cout, c, width, 0, dw, width);
      if (!dx) return;
      gemm(false, false, rows, width, cout, 1, dz, cout, w, width, 0, c, width);
      jsCol2im(c, g, dx);
    },
  };
}

/** Builds a kernel set from a GEMM implementation; everything else is the TypeScript code above. */
export function makeJsKernels(name: Kernels['name'], gemm: Kernels['gemm']): Kernels {
  return {
    ...makeConv(gemm),
    name,
    setThreads: () => {},
    getThreads: () => 1,
    gemm,
    im2col: jsIm2col,
    col2im: jsCol2im,
    biasAct,
    actBackward,
    colSum,
    bnForwardTrain,
    bnForwardEval,
    bnBackward,
    adam,
    sumSquares,
    scale,
    add,
  };
}

export const jsKernels: Kernels = makeJsKernels('js', jsGemm);
