/**
 * Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019) over the flat parameter vector, with
 * PyTorch 1.13 semantics: bias-corrected moments, ε added to √v̂ (outside the square root), L2 decay
 * added to the gradient for Adam and decoupled decay p ← p·(1 − lr·wd) for AdamW; plus gradient
 * clipping by global norm as torch.nn.utils.clip_grad_norm_ (scale by max/(‖g‖ + 1e-6) when < 1).
 */
import { XasInputError } from '../core/errors.js';
import { kernels } from './backend/index.js';

export interface OptimizerSpec {
  type?: 'adam' | 'adamw';
  /** Learning rate (default 1e-3). */
  lr?: number;
  betas?: [number, number];
  eps?: number;
  /** Default 0 for adam, 0.01 for adamw (PyTorch defaults). */
  weightDecay?: number;
  /** Clip gradients to this global L2 norm before each step (default: no clipping). */
  clipNorm?: number;
}

export interface AdamState {
  step: number;
  m: Float32Array;
  v: Float32Array;
}

export class Adam {
  readonly type: 'adam' | 'adamw';
  readonly baseLr: number;
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly clipNorm: number | undefined;
  state: AdamState;

  constructor(size: number, spec: OptimizerSpec = {}) {
    this.type = spec.type ?? 'adam';
    if (this.type !== 'adam' && this.type !== 'adamw') {
      throw new XasInputError(`unknown optimizer '${this.type}'`, {
        field: 'optimizer.type',
        expected: 'adam or adamw',
      });
    }
    this.baseLr = this.lr = spec.lr ?? 1e-3;
    [this.beta1, this.beta2] = spec.betas ?? [0.9, 0.999];
    this.eps = spec.eps ?? 1e-8;
    this.weightDecay = spec.weightDecay ?? (this.type === 'adamw' ? 0.01 : 0);
    this.clipNorm = spec.clipNorm;
    const checks: [string, number, number, number][] = [
      ['lr', this.lr, 0, Number.MAX_VALUE],
      ['betas[0]', this.beta1, 0, 0.999999999],
      ['betas[1]', this.beta2, 0, 0.999999999],
      ['eps', this.eps, 0, 1],
      ['weightDecay', this.weightDecay, 0, Number.MAX_VALUE],
    ];
    for (const [name, v, lo, hi] of checks) {
      if (!(v >= lo && v <= hi))
        throw new XasInputError(`invalid value ${v}`, {
          field: `optimizer.${name}`,
          expected: `[${lo}, ${hi}]`,
        });
    }
    if (this.clipNorm !== undefined && !(this.clipNorm > 0)) {
      throw new XasInputError(`invalid value ${this.clipNorm}`, {
        field: 'optimizer.clipNorm',
        expected: 'a positive number',
      });
    }
    this.state = { step: 0, m: new Float32Array(size), v: new Float32Array(size) };
  }

  /**
   * Clips (if configured) and applies one update; returns the gradient norm before clipping (NaN
   * when clipping is off: the norm is then not computed, as it costs a pass over all gradients).
   */
  step(params: Float32Array, grads: Float32Array): number {
    const k = kernels();
    let norm = Number.NaN;
    if (this.clipNorm !== undefined) {
      norm = Math.sqrt(k.sumSquares(grads));
      if (!Number.isFinite(norm)) {
        throw new XasInputError(`training diverged: gradient norm is ${norm}`, {
          expected: 'finite data and a smaller learning rate or gradient clipping',
        });
      }
      const coef = this.clipNorm / (norm + 1e-6);
      if (coef < 1) k.scale(grads, coef);
    }
    this.state.step++;
    const s = this.state;
    k.adam(
      params,
      grads,
      s.m,
      s.v,
      this.lr,
      this.beta1,
      this.beta2,
      this.eps,
      this.weightDecay,
      this.type === 'adamw',
      s.step,
    );
    return norm;
  }
}
