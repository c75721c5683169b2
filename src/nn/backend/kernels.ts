/**
 * The compute kernels every neural-network backend provides. Tensors are row-major Float32Array
 * views; sequences use the channels-last layout [batch, length, channels] (Keras' Conv1D default),
 * so a Dense layer and a 1D convolution are both "rows × features" matrices to the kernels.
 * Semantics follow PyTorch 1.13 (BatchNorm1d running statistics, erf-form GELU, Adam/AdamW).
 */

/** Activation codes shared with the native addon (keep in sync with native/xasflow_nn.c). */
export const ACT_NONE = 0;
export const ACT_RELU = 1;
export const ACT_GELU = 2;
export type ActCode = 0 | 1 | 2;

export interface ConvGeometry {
  batch: number;
  /** Input length and channels. */
  length: number;
  channels: number;
  kernelSize: number;
  stride: number;
  /** Zero padding before the first sample (padding after is implied by lengthOut). */
  padLeft: number;
  dilation: number;
  lengthOut: number;
}

export interface Kernels {
  /** 'native' (OpenBLAS addon), 'wasm' (WebAssembly SIMD GEMM) or 'js' (pure TypeScript). */
  readonly name: 'native' | 'wasm' | 'js';
  setThreads(n: number): void;
  getThreads(): number;
  /** Row-major C = alpha·op(A)·op(B) + beta·C with op(A) m×k and op(B) k×n (cblas_sgemm semantics). */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
    beta: number,
    c: Float32Array,
    ldc: number,
  ): void;
  /** Unfolds x [batch, length, channels] into col [batch·lengthOut, kernelSize·channels] (k-major). */
  im2col(x: Float32Array, g: ConvGeometry, col: Float32Array): void;
  /** Adjoint of im2col: dx (overwritten) = Σ over windows of dcol. */
  col2im(dcol: Float32Array, g: ConvGeometry, dx: Float32Array): void;
  /**
   * Convolution forward: y [batch·lengthOut, cout] = act(im2col(x)·Wᵀ + bias), W [cout, K·C];
   * pre receives the pre-activation when given. (The native kernel works in cache-sized chunks.)
   */
  convForward(
    x: Float32Array,
    g: ConvGeometry,
    w: Float32Array,
    cout: number,
    bias: Float32Array | null,
    act: ActCode,
    y: Float32Array,
    pre: Float32Array | null,
  ): void;
  /** Convolution backward from dz (gradient at the pre-activation): dW = dzᵀ·im2col(x), dx = col2im(dz·W). */
  convBackward(
    x: Float32Array,
    g: ConvGeometry,
    w: Float32Array,
    cout: number,
    dz: Float32Array,
    dw: Float32Array,
    dx: Float32Array | null,
  ): void;
  /** z[r,c] += bias[c] (if given); pre = z (if given); z = act(z). In place. */
  biasAct(
    z: Float32Array,
    bias: Float32Array | null,
    rows: number,
    cols: number,
    act: ActCode,
    pre: Float32Array | null,
  ): void;
  /**
   * dz = dy·act'(·) in place on dy. ReLU uses its output `ref` (y > 0); GELU uses its input `ref`.
   * If dbias is given it receives the column sums of dz.
   */
  actBackward(
    dy: Float32Array,
    ref: Float32Array,
    rows: number,
    cols: number,
    act: ActCode,
    dbias: Float32Array | null,
  ): void;
  /** out[c] = Σ_r a[r,c]. */
  colSum(a: Float32Array, rows: number, cols: number, out: Float32Array): void;
  /**
   * Training-mode batch normalisation over rows for each column: batch mean and biased variance
   * normalise; running statistics updated with the unbiased variance (PyTorch BatchNorm1d).
   */
  bnForwardTrain(
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
  ): void;
  /** Evaluation-mode batch normalisation with the running statistics (then ReLU if relu). */
  bnForwardEval(
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
  ): void;
  /**
   * Gradients of training-mode batch normalisation; dgamma/dbeta overwritten, dx overwritten. With
   * a fused ReLU, reluOut is the layer's output and dy is masked where it is not positive.
   */
  bnBackward(
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
  ): void;
  /**
   * One Adam (decoupled = false; L2 term added to the gradient) or AdamW (decoupled = true) step on
   * flat parameter/gradient/moment vectors, PyTorch 1.13 single-tensor formulas. `step` counts from 1.
   */
  adam(
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
  ): void;
  /** Σ a² accumulated in double precision. */
  sumSquares(a: Float32Array): number;
  /** a *= s in place. */
  scale(a: Float32Array, s: number): void;
  /** out = a + b (then ReLU if relu) element-wise over out.length values (out may alias a or b). */
  add(a: Float32Array, b: Float32Array, out: Float32Array, relu: boolean): void;
}
