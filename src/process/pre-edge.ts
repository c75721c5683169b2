/**
 * Pre-edge subtraction and normalisation exactly as Larch 0.9.58's pre_edge (larch/xafs/pre_edge.py):
 * a line (in μ·E^nvict) fitted over [E0+pre1, E0+pre2], a polynomial of degree nnorm fitted to μ minus
 * that line over [E0+norm1, E0+norm2], the edge step as their difference at E0, norm = (μ − pre)/step,
 * and flat = norm with the post-edge curvature (a polynomial of degree ≤ 2) removed above E0.
 * Range defaults and the nnorm rule by range width follow 0.9.58 (see docs/conventions.md).
 */
import { XasInputError } from '../core/errors.js';
import { inScope, outCopy, outF64, tmpF64 } from './arena.js';
import { countInRangeSorted, indexNearestSorted, indexOfSorted, roundHalfEven } from './array-utils.js';
import { findE0Index } from './find-e0.js';
import { type Polynomial, polyfit, polyval, polyvalArray, powerCoefficients } from './polyfit.js';
import { checkedEnergies, optNumber } from './validate.js';
import { type PreEdgeStageA, processWasm } from './wasm-kernels.js';

export const MAX_NNORM = 5;

export interface PreEdgeOptions {
  /** Edge energy (eV); found with findE0 when omitted. Snapped to the nearest energy point. */
  e0?: number;
  /** Edge step; computed at E0 from the fitted curves when omitted. */
  step?: number;
  /** Degree of the post-edge polynomial; default by range: 2 if norm2−norm1 ≥ 350 eV, 1 if ≥ 50, else 0. */
  nnorm?: number;
  /** Energy exponent of the pre-edge fit (μ·E^nvict is fitted by a line), default 0. */
  nvict?: number;
  /** Pre-edge range start relative to E0 (eV); default the 2nd energy point rounded to 5 eV (2 eV for short pre-edges). */
  pre1?: number;
  /** Pre-edge range end relative to E0 (eV); default pre1/3 rounded to 5 eV. */
  pre2?: number;
  /** Post-edge range start relative to E0 (eV); default min(150, norm2/3 rounded to 5 eV). */
  norm1?: number;
  /** Post-edge range end relative to E0 (eV); default the last energy rounded to 5 eV. */
  norm2?: number;
  /** Whether to compute the flattened spectrum, default true. */
  make_flat?: boolean;
}

/** Parameters as pre_edge resolved them (Larch's names; serialisable). */
export interface PreEdgeParams {
  e0: number;
  edge_step: number;
  step: number | null;
  pre1: number;
  pre2: number;
  norm1: number;
  norm2: number;
  nnorm: number;
  nvict: number;
  make_flat: boolean;
}

export interface PreEdgeResult {
  /** Energies as used (repeated values nudged apart as Larch's remove_dups does). */
  energyEv: Float64Array;
  e0: number;
  /** Index of E0 in energyEv. */
  ie0: number;
  edgeStep: number;
  norm: Float64Array;
  flat: Float64Array;
  preEdge: Float64Array;
  postEdge: Float64Array;
  /** dμ/dE (np.gradient ratio). */
  dmude: Float64Array;
  d2mude: Float64Array;
  /** Pre-edge line in μ·E^nvict: slope and offset (Larch's pre_slope, pre_offset). */
  preSlope: number;
  preOffset: number;
  /** Post-edge polynomial coefficients in powers of E, lowest first (Larch's norm_c0, norm_c1, …). */
  normCoefs: Float64Array;
  params: PreEdgeParams;
}

/** Larch's fit slice for a range: [index_of(lo), index_nearest(hi)), widened to 2 points. */
function fitSlice(e: Float64Array, lo: number, hi: number): [number, number] {
  const p1 = indexOfSorted(e, lo);
  let p2 = indexNearestSorted(e, hi);
  if (p2 - p1 < 2) p2 = Math.min(e.length, p1 + 2);
  return [p1, p2];
}

export function preEdge(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  opts: PreEdgeOptions = {},
): PreEdgeResult {
  return inScope(8 * 7 * (energyEv?.length ?? 0), () => runPreEdge(energyEv, mu, opts));
}

/** Checked, de-duplicated energies and dμ/dE = np.gradient(μ)/np.gradient(E). */
function energiesAndDerivative(energyEv: ArrayLike<number>, mu: ArrayLike<number>) {
  const e = checkedEnergies(energyEv, mu, 'preEdge');
  const n = e.length;
  // inside, both central differences are halved, and (a/2)/(b/2) is exactly a/b in floating point
  // (halving is exact), so one division does
  const dmude = outF64(n);
  dmude[0] = (mu[1] - mu[0]) / (e[1] - e[0]);
  dmude[n - 1] = (mu[n - 1] - mu[n - 2]) / (e[n - 1] - e[n - 2]);
  for (let i = 1; i < n - 1; i++) dmude[i] = (mu[i + 1] - mu[i - 1]) / (e[i + 1] - e[i - 1]);
  return { e, dmude };
}

function runPreEdge(energyEv: ArrayLike<number>, mu: ArrayLike<number>, opts: PreEdgeOptions): PreEdgeResult {
  // the WebAssembly route (wasm/pre_edge.c) for Float64Array input; bit-identical to the TypeScript
  const wasm =
    energyEv instanceof Float64Array && mu instanceof Float64Array && energyEv.length === mu.length
      ? processWasm()
      : null;
  const searchE0 = opts.e0 === undefined || opts.e0 === null;
  const a = wasm ? wasm.preEdgeA(energyEv as Float64Array, mu as Float64Array, searchE0) : undefined;
  const { e, dmude } = a && a.code !== -1 ? a : energiesAndDerivative(energyEv, mu);
  const n = e.length;
  const emin = e[0];
  const emax = e[n - 1];

  let e0In = optNumber(opts.e0, 'e0');
  if (e0In !== undefined && (e0In < e[1] || e0In > e[n - 2])) {
    throw new XasInputError(`preEdge: e0 = ${e0In} eV is outside the data`, {
      field: 'e0',
      expected: `an energy between ${e[1]} and ${e[n - 2]} eV`,
    });
  }
  if (e0In === undefined) e0In = e[a && a.code >= 0 ? a.code : findE0Index(e, mu, dmude)];
  const ie0 = indexNearestSorted(e, e0In);
  const e0 = e[ie0];

  const nvict = optNumber(opts.nvict, 'nvict') ?? 0;
  let pre1 = optNumber(opts.pre1, 'pre1');
  if (pre1 === undefined) {
    pre1 = ie0 > 20 ? 5.0 * roundHalfEven((e[1] - e0) / 5.0) : 2.0 * roundHalfEven((e[1] - e0) / 2.0);
  }
  pre1 = Math.max(pre1, emin - e0);
  let pre2 = optNumber(opts.pre2, 'pre2');
  if (pre2 === undefined) pre2 = 5.0 * roundHalfEven(pre1 / 15.0);
  if (pre1 > pre2) [pre1, pre2] = [pre2, pre1];

  let norm2 = optNumber(opts.norm2, 'norm2');
  if (norm2 === undefined) norm2 = 5.0 * roundHalfEven((emax - e0) / 5.0);
  if (norm2 < 0) norm2 = emax - e0 - norm2;
  norm2 = Math.min(norm2, emax - e0);
  let norm1 = optNumber(opts.norm1, 'norm1');
  if (norm1 === undefined) norm1 = Math.min(150, 5.0 * roundHalfEven(norm2 / 15.0));
  if (norm1 > norm2) [norm1, norm2] = [norm2, norm1];
  let nnorm = optNumber(opts.nnorm, 'nnorm', { integer: true });
  if (nnorm === undefined) {
    nnorm = 2;
    if (norm2 - norm1 < 350) nnorm = 1;
    if (norm2 - norm1 < 50) nnorm = 0;
  }
  nnorm = Math.max(Math.min(nnorm, MAX_NNORM), 0);

  if (countInRangeSorted(e, e0 + pre1, e0 + pre2) < 2) {
    throw new XasInputError(
      `preEdge: the pre-edge range [e0${fmt(pre1)}, e0${fmt(pre2)}] eV holds fewer than 2 energy points`,
      {
        field: 'pre1/pre2',
        expected: `a range within the data (${emin} … ${emax} eV) holding at least 2 points`,
      },
    );
  }
  if (countInRangeSorted(e, e0 + norm1, e0 + norm2) < nnorm + 1) {
    throw new XasInputError(
      `preEdge: the post-edge range [e0+${norm1}, e0+${norm2}] eV holds fewer than ${nnorm + 1} energy points for nnorm = ${nnorm}`,
      { field: 'norm1/norm2', expected: `a range within the data holding at least ${nnorm + 1} points` },
    );
  }

  const makeFlat = opts.make_flat ?? true;
  const stepRaw = opts.step;
  const [a1, a2] = fitSlice(e, pre1 + e0, pre2 + e0);
  const [b1, b2] = fitSlice(e, norm1 + e0, norm2 + e0);
  const c =
    (a &&
      nvict === 0 &&
      (stepRaw === undefined || stepRaw === null || Number.isFinite(stepRaw)) &&
      curvesInWasm(a, { a1, a2, b1, b2, nnorm, ie0, makeFlat, step: stepRaw ?? undefined })) ||
    curves(e, mu, dmude, { a1, a2, b1, b2, nnorm, nvict, ie0, makeFlat, step: opts.step });
  const { edgeStep, norm, flat, preLine, postEdge, d2mude, preFit, postFit } = c;
  const stepIn = optNumber(opts.step, 'step');
  const preCoefs = powerCoefficients(preFit);

  return {
    energyEv: e,
    e0,
    ie0,
    edgeStep,
    norm,
    flat,
    preEdge: preLine,
    postEdge,
    dmude,
    d2mude,
    preSlope: preCoefs[1],
    preOffset: preCoefs[0],
    normCoefs: powerCoefficients(postFit),
    params: {
      e0,
      edge_step: edgeStep,
      step: stepIn ?? null,
      pre1,
      pre2,
      norm1,
      norm2,
      nnorm,
      nvict,
      make_flat: makeFlat,
    },
  };
}

interface Curves {
  edgeStep: number;
  preLine: Float64Array;
  postEdge: Float64Array;
  norm: Float64Array;
  flat: Float64Array;
  d2mude: Float64Array;
  preFit: Polynomial;
  postFit: Polynomial;
}

interface CurveSettings {
  a1: number;
  a2: number;
  b1: number;
  b2: number;
  nnorm: number;
  ie0: number;
  makeFlat: boolean;
}

/** The fits and curves in the WebAssembly route, or undefined when the TypeScript route must run. */
function curvesInWasm(a: PreEdgeStageA, s: CurveSettings & { step?: number }): Curves | undefined {
  const wasm = processWasm();
  if (!wasm || a.code === -1) return undefined;
  const r = wasm.preEdgeB(s);
  if (r.code === 2) throw edgeStepError(r.edgeStep);
  if (r.code !== 0) return undefined;
  return {
    edgeStep: r.edgeStep,
    preLine: r.preLine,
    postEdge: r.postEdge,
    norm: r.norm,
    flat: r.flat ?? r.norm,
    d2mude: r.d2mude,
    preFit: { coefScaled: r.pre.coef, center: r.pre.center, scale: r.pre.scale, degree: 1 },
    postFit: { coefScaled: r.post.coef, center: r.post.center, scale: r.post.scale, degree: s.nnorm },
  };
}

function edgeStepError(edgeStep: number): XasInputError {
  return new XasInputError(`preEdge: the edge step is ${edgeStep}`, {
    field: 'step',
    expected: 'a non-zero edge step (check e0 and the pre/post-edge ranges)',
  });
}

/** The fits and curves (TypeScript route, every option). */
function curves(
  e: Float64Array,
  mu: ArrayLike<number>,
  dmude: Float64Array,
  s: CurveSettings & { nvict: number; step: unknown },
): Curves {
  const { a1, a2, b1, b2, nnorm, nvict, ie0, makeFlat } = s;
  const n = e.length;
  // pre-edge line fitted to mu*E^nvict
  let omu: ArrayLike<number> = mu;
  if (nvict !== 0) {
    const w = tmpF64(n);
    for (let i = 0; i < n; i++) w[i] = mu[i] * e[i] ** nvict;
    omu = w;
  }
  const preFit = polyfit(e, omu, 1, a1, a2, 'pre-edge line (pre1, pre2)');
  const preLine = outF64(n);
  polyvalArray(preFit, e, preLine);
  if (nvict !== 0) for (let i = 0; i < n; i++) preLine[i] *= e[i] ** -nvict;

  // post-edge polynomial fitted to mu - pre_edge (only the fit slice is needed)
  if (b2 - b1 < nnorm + 1) {
    throw new XasInputError(`preEdge: the post-edge fit slice holds ${b2 - b1} points for nnorm = ${nnorm}`, {
      field: 'norm1/norm2',
      expected: `at least ${nnorm + 1} points`,
    });
  }
  const presub = tmpF64(n);
  for (let i = b1; i < b2; i++) presub[i] = mu[i] - preLine[i];
  const postFit = polyfit(e, presub, nnorm, b1, b2, 'post-edge polynomial (norm1, norm2, nnorm)');
  const postEdge = outF64(n);
  polyvalArray(postFit, e, postEdge);

  const stepIn = optNumber(s.step, 'step');
  let edgeStep = stepIn ?? postEdge[ie0] + preLine[ie0] - preLine[ie0];
  edgeStep = Math.abs(edgeStep);
  if (!(edgeStep > 0) || !Number.isFinite(edgeStep)) throw edgeStepError(edgeStep);
  const norm = outF64(n);
  for (let i = 0; i < n; i++) {
    const pl = preLine[i];
    postEdge[i] += pl;
    norm[i] = (mu[i] - pl) / edgeStep;
  }

  // flattened spectrum: remove a polynomial of degree min(nnorm, 2) fitted to norm over the post-edge
  let flat = norm;
  if (makeFlat && b2 - b1 > 4) {
    const flatFit = polyfit(e, norm, Math.min(nnorm, 2), b1, b2, 'flattening polynomial');
    const ref = polyval(flatFit, e[ie0]);
    flat = outCopy(norm);
    for (let i = ie0; i < n; i++) flat[i] = norm[i] - (polyval(flatFit, e[i]) - ref);
  }
  // d²μ/dE² = np.gradient(dμ/dE)/np.gradient(E)
  const d2mude = outF64(n);
  d2mude[0] = (dmude[1] - dmude[0]) / (e[1] - e[0]);
  d2mude[n - 1] = (dmude[n - 1] - dmude[n - 2]) / (e[n - 1] - e[n - 2]);
  for (let i = 1; i < n - 1; i++) d2mude[i] = (dmude[i + 1] - dmude[i - 1]) / (e[i + 1] - e[i - 1]);
  return { edgeStep, preLine, postEdge, norm, flat, d2mude, preFit, postFit };
}

function fmt(v: number): string {
  return v < 0 ? `${v}` : `+${v}`;
}
