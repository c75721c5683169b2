/**
 * 1D convolution (and, with kernel size 1, the dense layer) as im2col + GEMM in channels-last
 * layout: the unfolded input col [n·Lout, K·Cin] times Wᵀ, W stored [Cout, K, Cin], plus bias and
 * an optional fused activation. Output length follows torch.nn.Conv1d:
 * Lout = ⌊(L + padL + padR − dilation·(K − 1) − 1)/stride⌋ + 1. Backward: dW = dYᵀ·col,
 * dcol = dY·W, dx = col2im(dcol); a pointwise layer (K = 1, stride 1, no padding) skips the unfold.
 */
import { kernels } from '../backend/index.js';
import { ACT_GELU, ACT_NONE, type ActCode, type ConvGeometry } from '../backend/kernels.js';
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
  private readonly colBuf = new Workspace();
  private readonly preBuf = new Workspace();
  private readonly dxBuf = new Workspace();
  private x: Tensor | null = null;
  private col: Float32Array | null = null;
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

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    const k = kernels();
    const n = x.n;
    const rows = n * this.outShape.length;
    const cout = this.opts.outChannels;
    let col: Float32Array;
    if (this.pointwise) col = x.data;
    else {
      col = this.colBuf.view(rows * this.width);
      k.im2col(x.data, this.geometry(n), col);
    }
    const y = this.out.view(rows * cout);
    k.gemm(
      false,
      true,
      rows,
      cout,
      this.width,
      1,
      col,
      this.width,
      this.weight.value,
      this.width,
      0,
      y,
      cout,
    );
    const pre = this.opts.act === ACT_GELU ? this.preBuf.view(rows * cout) : null;
    if (this.bias || this.opts.act !== ACT_NONE)
      k.biasAct(y, this.bias?.value ?? null, rows, cout, this.opts.act, pre);
    this.x = x;
    this.col = col;
    this.y = y;
    this.pre = pre;
    return { data: y, n, length: this.outShape.length, channels: cout };
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const k = kernels();
    const { x, col, y } = this;
    if (!x || !col || !y) throw new Error(`${this.kind}: backward called before forward`);
    const n = x.n;
    const rows = n * this.outShape.length;
    const cout = this.opts.outChannels;
    const d = dy.data;
    const ref = this.pre ?? y;
    if (this.opts.act !== ACT_NONE || this.bias)
      k.actBackward(d, ref, rows, cout, this.opts.act, this.bias?.grad ?? null);
    k.gemm(true, false, cout, this.width, rows, 1, d, cout, col, this.width, 0, this.weight.grad, this.width);
    if (!needInputGrad) return null;
    const inSize = n * this.inShape.length * this.inShape.channels;
    if (this.pointwise) {
      const dx = this.dxBuf.view(inSize);
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
      return { data: dx, n, length: this.inShape.length, channels: this.inShape.channels };
    }
    // col is no longer needed once dW is formed: its buffer receives dcol.
    const dcol = this.colBuf.view(rows * this.width);
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
      dcol,
      this.width,
    );
    const dx = this.dxBuf.view(inSize);
    k.col2im(dcol, this.geometry(n), dx);
    return { data: dx, n, length: this.inShape.length, channels: this.inShape.channels };
  }
}
