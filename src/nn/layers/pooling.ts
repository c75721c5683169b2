/**
 * Length-axis reductions and reshapes: global average pooling (mean over length, as
 * torch.nn.AdaptiveAvgPool1d(1)), average and max pooling without padding (torch.nn.AvgPool1d /
 * MaxPool1d, Lout = ⌊(L − size)/stride⌋ + 1), and flatten (channels-last order: position-major,
 * as Keras' Flatten).
 */
import { type ForwardContext, type Layer, type Shape, type Tensor, Workspace } from './types.js';

export class GlobalAvgPoolLayer implements Layer {
  readonly kind = 'gap';
  readonly outShape: Shape;
  private readonly out = new Workspace();
  private readonly dxBuf = new Workspace();

  constructor(readonly inShape: Shape) {
    this.outShape = { length: 1, channels: inShape.channels };
  }

  children(): Layer[] {
    return [];
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    const { length: len, channels: c } = this.inShape;
    const y = this.out.view(x.n * c);
    const acc = new Float64Array(c);
    for (let b = 0; b < x.n; b++) {
      acc.fill(0);
      const base = b * len * c;
      for (let l = 0; l < len; l++) {
        const o = base + l * c;
        for (let j = 0; j < c; j++) acc[j] += x.data[o + j];
      }
      for (let j = 0; j < c; j++) y[b * c + j] = acc[j] / len;
    }
    return { data: y, n: x.n, length: 1, channels: c };
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    if (!needInputGrad) return null;
    const { length: len, channels: c } = this.inShape;
    const dx = this.dxBuf.view(dy.n * len * c);
    for (let b = 0; b < dy.n; b++) {
      for (let l = 0; l < len; l++) {
        const o = (b * len + l) * c;
        for (let j = 0; j < c; j++) dx[o + j] = dy.data[b * c + j] / len;
      }
    }
    return { data: dx, n: dy.n, length: len, channels: c };
  }
}

export class PoolLayer implements Layer {
  readonly outShape: Shape;
  private readonly out = new Workspace();
  private readonly dxBuf = new Workspace();
  private readonly argBuf = new Workspace();
  private argmax: Float32Array | null = null;

  constructor(
    readonly kind: 'avgpool' | 'maxpool',
    readonly inShape: Shape,
    readonly size: number,
    readonly stride: number,
  ) {
    this.outShape = { length: Math.floor((inShape.length - size) / stride) + 1, channels: inShape.channels };
  }

  children(): Layer[] {
    return [];
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    const { length: len, channels: c } = this.inShape;
    const lout = this.outShape.length;
    const y = this.out.view(x.n * lout * c);
    const arg = this.kind === 'maxpool' ? this.argBuf.view(x.n * lout * c) : null;
    for (let b = 0; b < x.n; b++) {
      for (let o = 0; o < lout; o++) {
        const dst = (b * lout + o) * c;
        const first = b * len + o * this.stride;
        for (let j = 0; j < c; j++) {
          if (arg) {
            let best = x.data[first * c + j];
            let at = 0;
            for (let q = 1; q < this.size; q++) {
              const v = x.data[(first + q) * c + j];
              if (v > best || Number.isNaN(v)) {
                best = v;
                at = q;
              }
            }
            y[dst + j] = best;
            arg[dst + j] = at;
          } else {
            let s = 0;
            for (let q = 0; q < this.size; q++) s += x.data[(first + q) * c + j];
            y[dst + j] = s / this.size;
          }
        }
      }
    }
    this.argmax = arg;
    return { data: y, n: x.n, length: lout, channels: c };
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    if (!needInputGrad) return null;
    const { length: len, channels: c } = this.inShape;
    const lout = this.outShape.length;
    const dx = this.dxBuf.view(dy.n * len * c);
    dx.fill(0);
    for (let b = 0; b < dy.n; b++) {
      for (let o = 0; o < lout; o++) {
        const src = (b * lout + o) * c;
        const first = b * len + o * this.stride;
        for (let j = 0; j < c; j++) {
          const g = dy.data[src + j];
          if (this.argmax) dx[(first + this.argmax[src + j]) * c + j] += g;
          else for (let q = 0; q < this.size; q++) dx[(first + q) * c + j] += g / this.size;
        }
      }
    }
    return { data: dx, n: dy.n, length: len, channels: c };
  }
}

export class FlattenLayer implements Layer {
  readonly kind = 'flatten';
  readonly outShape: Shape;

  constructor(readonly inShape: Shape) {
    this.outShape = { length: 1, channels: inShape.length * inShape.channels };
  }

  children(): Layer[] {
    return [];
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    return { data: x.data, n: x.n, length: 1, channels: this.outShape.channels };
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    if (!needInputGrad) return null;
    return { data: dy.data, n: dy.n, length: this.inShape.length, channels: this.inShape.channels };
  }
}
