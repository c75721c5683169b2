/**
 * Composite layers: Sequential chains; Residual computes act(body(x) + shortcut(x)) (He et al.,
 * "Deep residual learning", 2016; an empty shortcut is the identity); Concat runs branches on the
 * same input and joins their outputs along channels (Huang et al., DenseNet, 2017, where one branch
 * is the identity). Gradients fanned out to several branches are copied first, because a layer's
 * backward may overwrite the gradient it receives.
 */
import { kernels } from '../backend/index.js';
import { ACT_NONE, ACT_RELU, type ActCode } from '../backend/kernels.js';
import { BatchNormLayer } from './batchnorm.js';
import { Conv1dLayer } from './conv1d.js';
import { type ForwardContext, type Layer, type Shape, type Tensor, Workspace } from './types.js';

export class SequentialLayer implements Layer {
  readonly kind = 'sequential';
  readonly outShape: Shape;

  constructor(
    readonly inShape: Shape,
    readonly layers: Layer[],
  ) {
    this.outShape = layers.length > 0 ? layers[layers.length - 1].outShape : inShape;
  }

  children(): Layer[] {
    return this.layers;
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    let h = x;
    const ls = this.layers;
    for (let i = 0; i < ls.length; i++) {
      const l = ls[i];
      const next = ls[i + 1];
      if (
        !ctx.training &&
        l instanceof Conv1dLayer &&
        l.opts.act === ACT_NONE &&
        next instanceof BatchNormLayer
      ) {
        // Inference: fold the BatchNorm into the convolution (one pass instead of two).
        h = l.forwardFoldedBatchNorm(h, next);
        next.skipped();
        i++;
      } else h = l.forward(h, ctx);
    }
    return h;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    let d: Tensor | null = dy;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      d = this.layers[i].backward(d as Tensor, i > 0 || needInputGrad);
    }
    return d;
  }
}

export class ResidualLayer implements Layer {
  readonly kind = 'residual';
  readonly outShape: Shape;
  private readonly out = new Workspace();
  private readonly dyCopy = new Workspace();
  private readonly dxBuf = new Workspace();
  private y: Float32Array | null = null;

  constructor(
    readonly inShape: Shape,
    readonly body: SequentialLayer,
    readonly shortcut: SequentialLayer,
    readonly act: ActCode,
  ) {
    this.outShape = body.outShape;
  }

  children(): Layer[] {
    return [this.body, this.shortcut];
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    const b = this.body.forward(x, ctx);
    const s = this.shortcut.forward(x, ctx);
    const y = this.out.view(b.data.length);
    kernels().add(b.data, s.data, y, this.act === ACT_RELU);
    if (this.act !== ACT_NONE && this.act !== ACT_RELU)
      kernels().biasAct(y, null, b.n * b.length, b.channels, this.act, null);
    this.y = y;
    return { ...b, data: y };
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    if (!this.y) throw new Error('residual: backward called before forward');
    if (this.act === ACT_RELU)
      kernels().actBackward(dy.data, this.y, dy.n * dy.length, dy.channels, ACT_RELU, null);
    const copy = this.dyCopy.view(dy.data.length);
    copy.set(dy.data);
    const dBody = this.body.backward(dy, needInputGrad);
    const dShort = this.shortcut.backward({ ...dy, data: copy }, needInputGrad);
    if (!needInputGrad || !dBody || !dShort) return null;
    const dx = this.dxBuf.view(dBody.data.length);
    kernels().add(dBody.data, dShort.data, dx, false);
    return { ...dBody, data: dx };
  }
}

export class ConcatLayer implements Layer {
  readonly kind = 'concat';
  readonly outShape: Shape;
  private readonly out = new Workspace();
  private readonly dBranch = new Workspace();
  private readonly dxBuf = new Workspace();

  constructor(
    readonly inShape: Shape,
    readonly branches: SequentialLayer[],
  ) {
    const channels = branches.reduce((a, b) => a + b.outShape.channels, 0);
    this.outShape = { length: branches[0].outShape.length, channels };
  }

  children(): Layer[] {
    return this.branches;
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    const rows = x.n * this.outShape.length;
    const cTot = this.outShape.channels;
    const y = this.out.view(rows * cTot);
    let off = 0;
    for (const br of this.branches) {
      const h = br.forward(x, ctx);
      const c = h.channels;
      for (let r = 0; r < rows; r++) y.set(h.data.subarray(r * c, r * c + c), r * cTot + off);
      off += c;
    }
    return { data: y, n: x.n, length: this.outShape.length, channels: cTot };
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const rows = dy.n * this.outShape.length;
    const cTot = this.outShape.channels;
    const inSize = dy.n * this.inShape.length * this.inShape.channels;
    const dx = needInputGrad ? this.dxBuf.view(inSize) : null;
    dx?.fill(0);
    let off = 0;
    for (const br of this.branches) {
      const c = br.outShape.channels;
      const d = this.dBranch.view(rows * c);
      for (let r = 0; r < rows; r++) d.set(dy.data.subarray(r * cTot + off, r * cTot + off + c), r * c);
      off += c;
      const g = br.backward({ data: d, n: dy.n, length: this.outShape.length, channels: c }, needInputGrad);
      if (dx && g) kernels().add(dx, g.data, dx, false);
    }
    return dx ? { data: dx, n: dy.n, length: this.inShape.length, channels: this.inShape.channels } : null;
  }
}
