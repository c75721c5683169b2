/**
 * Element-wise activations (ReLU; GELU in PyTorch's exact erf form) and inverted dropout
 * (torch.nn.Dropout: zero with probability p in training, scale survivors by 1/(1 − p); identity
 * in evaluation). Dropout masks come from the seeded training Rng, so runs are reproducible.
 */
import { kernels } from '../backend/index.js';
import { ACT_GELU, ACT_RELU } from '../backend/kernels.js';
import { type ForwardContext, type Layer, type Shape, type Tensor, Workspace } from './types.js';

export class ActivationLayer implements Layer {
  readonly outShape: Shape;
  private readonly out = new Workspace();
  private ref: Float32Array | null = null;

  constructor(
    readonly kind: 'relu' | 'gelu',
    readonly inShape: Shape,
  ) {
    this.outShape = inShape;
  }

  children(): Layer[] {
    return [];
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    const y = this.out.view(x.data.length);
    y.set(x.data);
    const code = this.kind === 'relu' ? ACT_RELU : ACT_GELU;
    kernels().biasAct(y, null, x.n * x.length, x.channels, code, null);
    this.ref = this.kind === 'relu' ? y : x.data;
    return { ...x, data: y };
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    if (!this.ref) throw new Error(`${this.kind}: backward called before forward`);
    if (!needInputGrad) return null;
    const code = this.kind === 'relu' ? ACT_RELU : ACT_GELU;
    kernels().actBackward(dy.data, this.ref, dy.n * dy.length, dy.channels, code, null);
    return dy;
  }
}

export class DropoutLayer implements Layer {
  readonly kind = 'dropout';
  readonly outShape: Shape;
  private readonly out = new Workspace();
  private readonly maskBuf = new Workspace();
  private mask: Float32Array | null = null;

  constructor(
    readonly inShape: Shape,
    readonly rate: number,
  ) {
    this.outShape = inShape;
  }

  children(): Layer[] {
    return [];
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    if (!ctx.training || this.rate === 0) {
      this.mask = null;
      return x;
    }
    const len = x.data.length;
    const mask = this.maskBuf.view(len);
    const y = this.out.view(len);
    const keep = 1 / (1 - this.rate);
    for (let i = 0; i < len; i++) {
      const m = ctx.rng.uniform() < this.rate ? 0 : keep;
      mask[i] = m;
      y[i] = x.data[i] * m;
    }
    this.mask = mask;
    return { ...x, data: y };
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    if (!needInputGrad) return null;
    const mask = this.mask;
    if (mask) for (let i = 0; i < dy.data.length; i++) dy.data[i] *= mask[i];
    return dy;
  }
}
