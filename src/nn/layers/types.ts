/**
 * Core types of the layer graph. Activations are channels-last tensors [n, length, channels] in
 * one Float32Array (a flat feature vector is length 1). Layers own their output and input-gradient
 * buffers, which stay valid until the layer's next forward/backward call; a backward call may
 * overwrite the incoming gradient in place (containers that fan a gradient out copy it first).
 */
import type { Rng } from '../../core/rng.js';

export interface Shape {
  length: number;
  channels: number;
}

export interface Tensor {
  data: Float32Array;
  n: number;
  length: number;
  channels: number;
}

export interface ForwardContext {
  training: boolean;
  /** Random stream for dropout masks (part of the checkpointed training state). */
  rng: Rng;
}

export interface Layer {
  readonly kind: string;
  readonly inShape: Shape;
  readonly outShape: Shape;
  forward(x: Tensor, ctx: ForwardContext): Tensor;
  /** Gradient w.r.t. the input, or null when needInputGrad is false (first layer of the network). */
  backward(dy: Tensor, needInputGrad: boolean): Tensor | null;
  /** Sub-layers, for traversals (empty for leaves). */
  children(): Layer[];
}

export function tensor(data: Float32Array, n: number, shape: Shape): Tensor {
  return { data, n, length: shape.length, channels: shape.channels };
}

export function sizeOf(shape: Shape): number {
  return shape.length * shape.channels;
}

/** A growable Float32Array: view(size) returns a zero-copy view, reallocating only to grow. */
export class Workspace {
  private buf = new Float32Array(0);
  view(size: number): Float32Array {
    if (this.buf.length < size) this.buf = new Float32Array(size);
    return this.buf.subarray(0, size);
  }
}
