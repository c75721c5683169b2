/**
 * Larch 0.9.58 lincombo_fitall: every combination of the references from max_ncomps components
 * down to 2 (itertools.combinations order), each fitted with the per-reference bounds, then sorted
 * by reduced χ² (best first; ties keep their order, as Python's stable sort). Optionally ranked by
 * R-factor, and with single-component fits included (Athena includes them; Larch does not).
 * Also the batch mode: many spectra against one reference set on a shared grid, interpolating the
 * references once.
 */
import { XasInputError } from '../core/errors.js';
import { buildFitMatrix, type Curve, type FitMatrix } from './fit-matrix.js';
import { type LcfOptions, type LcfResult, lincomboFitMatrix, resolveBounds, solveWeights } from './lcf.js';
import { checkConditioning } from './reference-rank.js';

export interface FitAllOptions extends LcfOptions {
  /** Largest number of components per fit (default: all references). */
  maxComponents?: number;
  /** Smallest number of components (Larch: 2; default 2). */
  minComponents?: number;
  rankBy?: 'redchi' | 'rfactor';
  /** Keep only the best `keep` fits (default all). */
  keep?: number;
  onProgress?: (done: number, total: number) => void;
}

/** All k-subsets of 0..n−1 in itertools.combinations order. */
export function* combinations(n: number, k: number): Generator<number[]> {
  if (k > n || k <= 0) return;
  const idx = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    yield idx.slice();
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}

export function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

function perReference(v: number | number[] | undefined, pick: number[]): number | number[] | undefined {
  return Array.isArray(v) ? pick.map((j) => v[j]) : v;
}

/** Column subset of a fit matrix. */
export function subMatrix(m: FitMatrix, pick: number[]): FitMatrix {
  const k = pick.length;
  const a = new Float64Array(m.npts * k);
  for (let i = 0; i < m.npts; i++) for (let c = 0; c < k; c++) a[i * k + c] = m.a[i * m.ncomps + pick[c]];
  return { ...m, a, ncomps: k, labels: pick.map((j) => m.labels[j]), warnings: [] };
}

export function lincomboFitAll(unknown: Curve, refs: Curve[], opts: FitAllOptions = {}): LcfResult[] {
  const m = buildFitMatrix(unknown, refs, opts);
  const n = refs.length;
  const maxK = Math.min(n, opts.maxComponents ?? n);
  const minK = Math.max(1, opts.minComponents ?? 2);
  if (maxK < minK) {
    throw new XasInputError(`no combinations of ${minK} to ${maxK} of ${n} references`, {
      field: 'maxComponents',
      expected: `a number between ${minK} and ${n}`,
    });
  }
  let total = 0;
  for (let k = maxK; k >= minK; k--) total += binomial(n, k);
  const sumToOne = opts.sumToOne ?? true;
  const shifted = (opts.e0Shift ?? 'none') !== 'none';
  // rank every combination by its exact (bounded) least-squares χ², then fit the kept ones in full
  const ranked: { pick: number[]; redchi: number; rfactor: number; order: number }[] = [];
  let done = 0;
  let ysq = 0;
  for (let i = 0; i < m.npts; i++) ysq += m.y[i] * m.y[i];
  for (let k = maxK; k >= minK; k--) {
    for (const pick of combinations(n, k)) {
      const sub = subMatrix(m, pick);
      const o: LcfOptions = {
        ...opts,
        minWeights: perReference(opts.minWeights, pick),
        maxWeights: perReference(opts.maxWeights, pick),
      };
      try {
        if (shifted) {
          const r = lincomboFitMatrix(
            sub,
            o,
            pick.map((j) => refs[j]),
          );
          ranked.push({ pick, redchi: r.redchi, rfactor: r.rfactor, order: ranked.length });
        } else {
          const sol = solveWeights(sub, resolveBounds(k, o));
          const nfree = m.npts - (k - (sumToOne ? 1 : 0));
          ranked.push({ pick, redchi: sol.chisqr / nfree, rfactor: sol.chisqr / ysq, order: ranked.length });
        }
      } catch (e) {
        // a dependent subset cannot be fitted; Larch would return a meaningless fit for it
        if (!(e instanceof Error && /singular|linearly dependent/.test(e.message))) throw e;
      }
      done++;
      opts.onProgress?.(done, total);
    }
  }
  const key =
    opts.rankBy === 'rfactor'
      ? (r: (typeof ranked)[number]) => r.rfactor
      : (r: (typeof ranked)[number]) => r.redchi;
  ranked.sort((a, b) => key(a) - key(b) || a.order - b.order);
  const kept = opts.keep !== undefined ? ranked.slice(0, opts.keep) : ranked;
  return kept.map(({ pick }) => {
    const o: LcfOptions = {
      ...opts,
      minWeights: perReference(opts.minWeights, pick),
      maxWeights: perReference(opts.maxWeights, pick),
    };
    return lincomboFitMatrix(
      subMatrix(m, pick),
      o,
      pick.map((j) => refs[j]),
    );
  });
}

/**
 * Batch fitting: every spectrum in `spectra` against the same references. Spectra on the same
 * energies share one interpolated reference matrix.
 */
export function lincomboFitBatch(spectra: Curve[], refs: Curve[], opts: LcfOptions = {}): LcfResult[] {
  let cache: { energy: Float64Array; m: FitMatrix; conditioning: string[] } | null = null;
  const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => v === b[i]);
  return spectra.map((s) => {
    if (!cache || !same(cache.energy, s.energyEv)) {
      const m = buildFitMatrix(s, refs, opts);
      cache = { energy: s.energyEv, m, conditioning: checkConditioning(m, opts.sumToOne ?? true) };
      return lincomboFitMatrix(m, opts, refs, cache.conditioning);
    }
    const base = cache.m;
    const i0 = s.energyEv.indexOf(base.x[0]);
    const y = s.y.slice(i0, i0 + base.npts);
    return lincomboFitMatrix({ ...base, y }, opts, refs, cache.conditioning);
  });
}
