/**
 * A built network: trunk + named heads over one flat parameter vector. forward() maps a batch of
 * (already normalised) inputs to each head's raw outputs; trainStep-style callers use
 * lossAndGradients(), which runs forward, the head losses (weighted sum) and backward, leaving the
 * gradient of the total loss in store.grads.
 */

import { XasInputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { buildHead, buildSequential, headOutputUnits } from './build.js';
import type { SequentialLayer } from './layers/containers.js';
import { ParamStore } from './layers/params.js';
import { type Shape, type Tensor, Workspace } from './layers/types.js';
import { headLoss } from './losses.js';
import { inputShape, type ModelSpec, validateSpec } from './spec.js';

export interface LossBreakdown {
  /** Σ weight·loss over heads. */
  total: number;
  /** Unweighted loss per head. */
  heads: Record<string, number>;
}

export class Network {
  readonly spec: ModelSpec;
  readonly store = new ParamStore();
  readonly inShape: Shape;
  readonly trunk: SequentialLayer;
  readonly heads: SequentialLayer[];
  private readonly dTrunk = new Workspace();
  private readonly dzBufs: Workspace[];

  constructor(spec: ModelSpec) {
    this.spec = validateSpec(spec);
    this.inShape = inputShape(this.spec);
    this.trunk = buildSequential(this.spec.layers, this.inShape, this.store, 'layers');
    this.heads = this.spec.heads.map((h) => buildHead(h, this.trunk.outShape, this.store));
    this.dzBufs = this.spec.heads.map(() => new Workspace());
    this.store.finalize();
  }

  /** Values per input sample. */
  get inputSize(): number {
    return this.inShape.length * this.inShape.channels;
  }

  outputUnits(head: number): number {
    return headOutputUnits(this.spec.heads[head]);
  }

  initialize(seed: number): void {
    this.store.initialize(new Rng(seed));
  }

  /** Raw outputs of every head, [n, outUnits] each (views valid until the next forward). */
  forward(x: Float32Array, n: number, training: boolean, rng: Rng): Float32Array[] {
    const t: Tensor = { data: x, n, length: this.inShape.length, channels: this.inShape.channels };
    const h = this.trunk.forward(t, { training, rng });
    return this.heads.map((head) => head.forward(h, { training, rng }).data);
  }

  /**
   * Forward in training mode, weighted head losses and backward: gradients land in store.grads.
   * targets[h] is [n, units_h] for head h (normalised like the head was trained).
   */
  lossAndGradients(
    x: Float32Array,
    targets: Float32Array[],
    n: number,
    rng: Rng,
    opts: { inputGrad?: boolean } = {},
  ): LossBreakdown & { inputGrad?: Float32Array } {
    const outs = this.forward(x, n, true, rng);
    const res: LossBreakdown & { inputGrad?: Float32Array } = { total: 0, heads: {} };
    const trunkOut = this.trunk.outShape;
    const trunkSize = n * trunkOut.length * trunkOut.channels;
    let dSum: Float32Array | null = null;
    this.spec.heads.forEach((hs, i) => {
      const units = this.outputUnits(i);
      const dz = this.dzBufs[i].view(n * units);
      const w = hs.weight ?? 1;
      const l = headLoss(hs.loss, outs[i], targets[i], n, hs.units, w, dz);
      if (!Number.isFinite(l)) {
        throw new XasInputError(`training diverged: loss of head '${hs.name}' is ${l}`, {
          expected: 'finite inputs/targets and a smaller learning rate',
        });
      }
      res.heads[hs.name] = l;
      res.total += w * l;
      const d = this.heads[i].backward({ data: dz, n, length: 1, channels: units }, true);
      if (!d) return;
      if (this.heads.length === 1) dSum = d.data;
      else {
        if (!dSum) {
          dSum = this.dTrunk.view(trunkSize);
          dSum.set(d.data);
        } else for (let j = 0; j < trunkSize; j++) dSum[j] += d.data[j];
      }
    });
    if (dSum) {
      const dx = this.trunk.backward(
        { data: dSum, n, length: trunkOut.length, channels: trunkOut.channels },
        !!opts.inputGrad,
      );
      if (dx) res.inputGrad = dx.data;
    }
    return res;
  }

  /** Head losses without gradients (evaluation mode, e.g. validation). */
  loss(x: Float32Array, targets: Float32Array[], n: number): LossBreakdown {
    const outs = this.forward(x, n, false, new Rng(0));
    const res: LossBreakdown = { total: 0, heads: {} };
    this.spec.heads.forEach((hs, i) => {
      const l = headLoss(hs.loss, outs[i], targets[i], n, hs.units, 1, null);
      res.heads[hs.name] = l;
      res.total += (hs.weight ?? 1) * l;
    });
    return res;
  }
}
