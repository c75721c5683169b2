/**
 * Parameter and buffer registry. Layers register named tensors while the network is built; the
 * store then lays them out back to back in one flat Float32Array (values, gradients, optimizer
 * moments), so the optimizer, gradient clipping and checkpoints work on a single vector.
 * Initialisation follows PyTorch defaults: Linear/Conv1d weights and biases U(−1/√fan_in, 1/√fan_in)
 * (kaiming_uniform with a = √5), BatchNorm γ = 1, β = 0, running mean 0, running variance 1.
 */
import type { Rng } from '../../core/rng.js';

export type InitKind = { kind: 'uniform'; fanIn: number } | { kind: 'const'; value: number };

export class Tensor32 {
  value: Float32Array = new Float32Array(0);
  grad: Float32Array = new Float32Array(0);
  constructor(
    readonly name: string,
    readonly shape: readonly number[],
    readonly init: InitKind,
  ) {}
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
}

export class ParamStore {
  readonly params: Tensor32[] = [];
  readonly buffers: Tensor32[] = [];
  values = new Float32Array(0);
  grads = new Float32Array(0);
  bufferValues = new Float32Array(0);
  private finalized = false;

  param(name: string, shape: number[], init: InitKind): Tensor32 {
    if (this.finalized) throw new Error('ParamStore: cannot add parameters after finalize()');
    const t = new Tensor32(name, shape, init);
    this.params.push(t);
    return t;
  }

  buffer(name: string, shape: number[], init: InitKind): Tensor32 {
    if (this.finalized) throw new Error('ParamStore: cannot add buffers after finalize()');
    const t = new Tensor32(name, shape, init);
    this.buffers.push(t);
    return t;
  }

  /** Allocates the flat vectors and points every tensor's value/grad at its slice. */
  finalize(): void {
    const total = this.params.reduce((a, p) => a + p.size, 0);
    this.values = new Float32Array(total);
    this.grads = new Float32Array(total);
    let off = 0;
    for (const p of this.params) {
      p.value = this.values.subarray(off, off + p.size);
      p.grad = this.grads.subarray(off, off + p.size);
      off += p.size;
    }
    const totalBuf = this.buffers.reduce((a, p) => a + p.size, 0);
    this.bufferValues = new Float32Array(totalBuf);
    off = 0;
    for (const b of this.buffers) {
      b.value = this.bufferValues.subarray(off, off + b.size);
      off += b.size;
    }
    this.finalized = true;
  }

  /** Seeded initialisation in registration order (bit-reproducible for a given seed). */
  initialize(rng: Rng): void {
    for (const t of [...this.params, ...this.buffers]) {
      if (t.init.kind === 'const') t.value.fill(t.init.value);
      else {
        const bound = 1 / Math.sqrt(t.init.fanIn);
        for (let i = 0; i < t.value.length; i++) t.value[i] = (2 * rng.uniform() - 1) * bound;
      }
    }
  }

  get parameterCount(): number {
    return this.values.length;
  }
}
