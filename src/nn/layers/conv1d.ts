/**
 * 1D convolution (and, with kernel size 1, the dense layer) as im2col + GEMM in channels-last
 * layout: the unfolded input col [n·Lout, K·Cin] times Wᵀ, W stored [Cout, K, Cin], plus bias and
 * an optional fused activation. Output length follows torch.nn.Conv1d:
 * Lout = ⌊(L + padL + padR − dilation·(K − 1) − 1)/stride⌋ + 1. Backward: dW = dYᵀ·col,
 * dcol = dY·W, dx = col2im(dcol) (the kernels' convForward/convBackward; the native one unfolds in
 * cache-sized chunks and recomputes col in backward). A pointwise layer (K = 1, stride 1, no
 * padding) is plain GEMMs on the input.
 */
import { kernels } from '../backend/index.js';
import { ACT_GELU, ACT_NONE, ACT_RELU, type ActCode, type ConvGeometry } from '../backend/kernels.js';
import type { BatchNormLayer } from './batchnorm.js';
import type { ParamStore, Tensor32 } from './params.js';
import { type ForwardContext, type Layer, type Shape, type Tensor, Workspace } from './types.js';

export interface ConvOptions {
  kernelSize: number;
  stride: number;
  padLeft: number;
  padRight: number;
  dilation: number;
  outChannels: number;
  bias: boolean;
  act: ActCode;
}

export function convOutputLength(
  length: number,
  o: Omit<ConvOptions, 'outChannels' | 'bias' | 'act'>,
): number {
  return Math.floor((length + o.padLeft + o.padRight - o.dilation * (o.kernelSize - 1) - 1) / o.stride) + 1;
}

export class Conv1dLayer implements Layer {
  readonly outShape: Shape;
  readonly weight: Tensor32;
  readonly bias: Tensor32 | null;
  private readonly pointwise: boolean;
  private readonly width: number;
  private readonly out = new Workspace();
  private readonly preBuf = new Workspace();
  private readonly dxBuf = new Workspace();
  private readonly foldW = new Workspace();
  private readonly foldB = new Workspace();
  private x: Tensor | null = null;
  private y: Float32Array | null = null;
  private pre: Float32Array | null = null;

  constructor(
    readonly kind: 'conv1d' | 'dense',
    readonly inShape: Shape,
    readonly opts: ConvOptions,
    store: ParamStore,
    name: string,
  ) {
    const lout = convOutputLength(inShape.length, opts);
    this.outShape = { length: lout, channels: opts.outChannels };
    this.width = opts.kernelSize * inShape.channels;
    this.pointwise = opts.kernelSize === 1 && opts.stride === 1 && opts.padLeft === 0 && opts.padRight === 0;
    const shape =
      kind === 'dense'
        ? [opts.outChannels, inShape.channels]
        : [opts.outChannels, opts.kernelSize, inShape.channels];
    this.weight = store.param(`${name}.weight`, shape, { kind: 'uniform', fanIn: this.width });
    this.bias = opts.bias
      ? store.param(`${name}.bias`, [opts.outChannels], { kind: 'uniform', fanIn: this.width })
      : null;
  }

  children(): Layer[] {
    return [];
  }

  private geometry(n: number): ConvGeometry {
    return {
      batch: n,
      length: this.inShape.length,
      channels: this.inShape.channels,
      kernelSize: this.opts.kernelSize,
      stride: this.opts.stride,
      padLeft: this.opts.padLeft,
      dilation: this.opts.dilation,
      lengthOut: this.outShape.length,
    };
  }

  /** y = act(x ⊛ W + b) for weights w (the layer's own, or BatchNorm-folded ones). */
  private run(
    x: Tensor,
    w: Float32Array,
    bias: Float32Array | null,
    act: ActCode,
    pre: Float32Array | null,
  ): Tensor {
    const k = kernels();
    const n = x.n;
    const rows = n * this.outShape.length;
    const cout = this.opts.outChannels;
    const y = this.out.view(rows * cout);
    if (this.pointwise) {
      k.gemm(false, true, rows, cout, this.width, 1, x.data, this.width, w, this.width, 0, y, cout);
      if (bias || act !== ACT_NONE) k.biasAct(y, bias, rows, cout, act, pre);
    } else k.convForward(x.data, this.geometry(n), w, cout, bias, act, y, pre);
    return { data: y, n, length: this.outShape.length, channels: cout };
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    const rows = x.n * this.outShape.length;
    const pre = this.opts.act === ACT_GELU ? this.preBuf.view(rows * this.opts.outChannels) : null;
    const out = this.run(x, this.weight.value, this.bias?.value ?? null, this.opts.act, pre);
    this.x = x;
    this.y = out.data;
    this.pre = pre;
    return out;
  }

  /**
   * Evaluation-mode forward of this layer followed by a BatchNorm (and its fused ReLU) in one pass:
   * the normalisation is folded into the weights, W' = W·s and b' = (b − μ)·s + β per output
   * channel with s = γ/√(σ² + ε) from the running statistics.
   */
  forwardFoldedBatchNorm(x: Tensor, bn: BatchNormLayer): Tensor {
    const cout = this.opts.outChannels;
    const w = this.foldW.view(this.weight.value.length);
    const b = this.foldB.view(cout);
    for (let o = 0; o < cout; o++) {
      const sc = bn.gamma.value[o] / Math.sqrt(bn.runVar.value[o] + bn.eps);
      const bias = this.bias ? this.bias.value[o] : 0;
      b[o] = (bias - bn.runMean.value[o]) * sc + bn.beta.value[o];
      for (let j = 0; j < this.width; j++) w[o * this.width + j] = this.weight.value[o * this.width + j] * sc;
    }
    this.x = null;
    return this.run(x, w, b, bn.relu ? ACT_RELU : ACT_NONE, null);
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const k = kernels();
    const { x, y } = this;
    if (!x || !y) throw new Error(`${this.kind}: backward called before forward`);
    const n = x.n;
    const rows = n * this.outShape.length;
    const cout = this.opts.outChannels;
    const d = dy.data;
    if (this.opts.act !== ACT_NONE || this.bias) {
      k.actBackward(d, this.pre ?? y, rows, cout, this.opts.act, this.bias?.grad ?? null);
    }
    const inSize = n * this.inShape.length * this.inShape.channels;
    const dx = needInputGrad ? this.dxBuf.view(inSize) : null;
    if (this.pointwise) {
      k.gemm(
        true,
        false,
        cout,
        this.width,
        rows,
        1,
        d,
        cout,
        x.data,
        this.width,
        0,
        this.weight.grad,
        this.width,
      );
      if (dx)
        k.gemm(
          false,
          false,
          rows,
          this.width,
          cout,
          1,
          d,
          cout,
          this.weight.value,
          this.width,
          0,
          dx,
          this.width,
        );
    } else k.convBackward(x.data, this.geometry(n), this.weight.value, cout, d, this.weight.grad, dx);
    return dx ? { data: dx, n, length: this.inShape.length, channels: this.inShape.channels } : null;
  }
}
