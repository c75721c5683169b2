/**
 * Batch normalisation over the batch and length axes for each channel (torch.nn.BatchNorm1d on
 * [N, C] or [N, C, L]): training mode normalises with the batch mean and biased variance and
 * updates running statistics with momentum (default 0.1) and the unbiased variance; evaluation
 * mode uses the running statistics. ε defaults to 1e-5. A ReLU that follows in the spec is fused
 * into the layer (one pass over the activations instead of two, forward and backward).
 */
import { XasInputError } from '../../core/errors.js';
import { kernels } from '../backend/index.js';
import type { ParamStore, Tensor32 } from './params.js';
import { type ForwardContext, type Layer, type Shape, type Tensor, Workspace } from './types.js';

export class BatchNormLayer implements Layer {
  readonly kind = 'batchnorm';
  readonly outShape: Shape;
  readonly gamma: Tensor32;
  readonly beta: Tensor32;
  readonly runMean: Tensor32;
  readonly runVar: Tensor32;
  private readonly out = new Workspace();
  private readonly xhatBuf = new Workspace();
  private readonly dxBuf = new Workspace();
  private readonly invStd: Float32Array;
  private xhat: Float32Array | null = null;
  private y: Float32Array | null = null;
  private rows = 0;

  constructor(
    readonly inShape: Shape,
    readonly momentum: number,
    readonly eps: number,
    store: ParamStore,
    name: string,
    readonly relu = false,
  ) {
    this.outShape = inShape;
    const c = inShape.channels;
    this.gamma = store.param(`${name}.weight`, [c], { kind: 'const', value: 1 });
    this.beta = store.param(`${name}.bias`, [c], { kind: 'const', value: 0 });
    this.runMean = store.buffer(`${name}.running_mean`, [c], { kind: 'const', value: 0 });
    this.runVar = store.buffer(`${name}.running_var`, [c], { kind: 'const', value: 1 });
    this.invStd = new Float32Array(c);
  }

  children(): Layer[] {
    return [];
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    const k = kernels();
    const rows = x.n * x.length;
    const c = x.channels;
    const y = this.out.view(rows * c);
    if (ctx.training) {
      if (rows < 2) {
        throw new XasInputError(
          `batch normalisation in training mode needs more than one value per channel, got batch ${x.n} × length ${x.length}`,
          { field: 'batchSize', expected: 'a batch size of at least 2' },
        );
      }
      const xhat = this.xhatBuf.view(rows * c);
      k.bnForwardTrain(
        x.data,
        rows,
        c,
        this.gamma.value,
        this.beta.value,
        this.eps,
        this.momentum,
        this.runMean.value,
        this.runVar.value,
        xhat,
        this.invStd,
        y,
        this.relu,
      );
      this.xhat = xhat;
      this.y = y;
      this.rows = rows;
    } else {
      k.bnForwardEval(
        x.data,
        rows,
        c,
        this.gamma.value,
        this.beta.value,
        this.eps,
        this.runMean.value,
        this.runVar.value,
        y,
        this.relu,
      );
      this.xhat = null;
    }
    return { data: y, n: x.n, length: x.length, channels: c };
  }

  /** Called when an evaluation pass folded this layer into the preceding convolution. */
  skipped(): void {
    this.xhat = null;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    if (!this.xhat) throw new Error('batchnorm: backward needs a training-mode forward pass');
    const c = this.inShape.channels;
    const dx = this.dxBuf.view(this.rows * c);
    kernels().bnBackward(
      dy.data,
      this.xhat,
      this.invStd,
      this.gamma.value,
      this.rows,
      c,
      this.gamma.grad,
      this.beta.grad,
      dx,
      this.relu ? this.y : null,
    );
    return needInputGrad ? { data: dx, n: dy.n, length: dy.length, channels: c } : null;
  }
}
