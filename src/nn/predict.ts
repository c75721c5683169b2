/**
 * Inference for a trained ensemble: each member runs in evaluation mode over batches, head outputs
 * are decoded (loss-specific, see losses.ts) and de-normalised to the target units, and members are
 * combined as a uniform mixture (Lakshminarayanan et al. 2017): mean = average of member means,
 * spread = standard deviation of member means (epistemic), aleatoric = √(average predicted
 * variance) for variance-predicting heads, std = √(spread² + aleatoric²).
 */
import { Rng } from '../core/rng.js';
import { gatherRows, type Normalization, type Table } from './data.js';
import { decodeHead } from './losses.js';
import type { Network } from './network.js';

export interface HeadOutput {
  /** Samples and values per sample; arrays below are [n, units] row-major. */
  n: number;
  units: number;
  mean: Float32Array;
  /** Ensemble spread: standard deviation of the member predictions (zeros for a single member). */
  spread: Float32Array;
  /** Predicted data noise √(mean variance) (gaussian_nll and dirichlet_nll heads only). */
  aleatoric?: Float32Array;
  /** Total predictive standard deviation √(spread² + aleatoric²). */
  std: Float32Array;
  /** Per-member predicted means (only with includeMembers). */
  members?: Float32Array[];
}

export type Predictions = Record<string, HeadOutput>;

export function predictEnsemble(
  members: Network[],
  norm: Normalization,
  x: Table,
  opts: { batchSize?: number; includeMembers?: boolean } = {},
): Predictions {
  const spec = members[0].spec;
  const n = x.rows;
  const bs = Math.max(1, Math.min(opts.batchSize ?? 1024, n));
  const inSize = members[0].inputSize;
  const xb = new Float32Array(bs * inSize);
  const m = members.length;
  const sums = spec.heads.map((h) => ({
    mean: new Float64Array(n * h.units),
    sq: new Float64Array(n * h.units),
    varSum: h.loss === 'mse' ? null : new Float64Array(n * h.units),
    members: opts.includeMembers ? members.map(() => new Float32Array(n * h.units)) : undefined,
  }));
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const rng = new Rng(0);
  for (let start = 0; start < n; start += bs) {
    const count = Math.min(bs, n - start);
    gatherRows(x, idx, start, count, norm.input, xb);
    members.forEach((net, mi) => {
      const outs = net.forward(xb.subarray(0, count * inSize), count, false, rng);
      spec.heads.forEach((h, hi) => {
        const d = decodeHead(h.loss, outs[hi], count, h.units);
        const sc = norm.targets[hi];
        const s = sums[hi];
        for (let r = 0; r < count; r++) {
          for (let j = 0; j < h.units; j++) {
            const q = r * h.units + j;
            const o = (start + r) * h.units + j;
            let mu = d.mean[q];
            let v = d.variance ? d.variance[q] : 0;
            if (sc) {
              mu = mu * sc.std[j] + sc.mean[j];
              v *= sc.std[j] * sc.std[j];
            }
            s.mean[o] += mu;
            s.sq[o] += mu * mu;
            if (s.varSum) s.varSum[o] += v;
            if (s.members) s.members[mi][o] = mu;
          }
        }
      });
    });
  }
  const out: Predictions = {};
  spec.heads.forEach((h, hi) => {
    const s = sums[hi];
    const len = n * h.units;
    const mean = new Float32Array(len);
    const spread = new Float32Array(len);
    const std = new Float32Array(len);
    const aleatoric = s.varSum ? new Float32Array(len) : undefined;
    for (let i = 0; i < len; i++) {
      const mu = s.mean[i] / m;
      const ep = Math.max(0, s.sq[i] / m - mu * mu);
      const al = s.varSum ? s.varSum[i] / m : 0;
      mean[i] = mu;
      spread[i] = Math.sqrt(ep);
      if (aleatoric) aleatoric[i] = Math.sqrt(al);
      std[i] = Math.sqrt(ep + al);
    }
    out[h.name] = {
      n,
      units: h.units,
      mean,
      spread,
      std,
      ...(aleatoric ? { aleatoric } : {}),
      ...(s.members ? { members: s.members } : {}),
    };
  });
  return out;
}
