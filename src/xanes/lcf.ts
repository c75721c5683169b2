/**
 * Linear combination fitting with the definitions of Larch 0.9.58 lincombo_fit
 * (larch/math/lincombo_fitting.py): the unknown's energies within [index_of(xmin), index_of(xmax)]
 * are the fit grid, references are interpolated onto it (cubic), the residual is Σ cᵢ·refᵢ − data,
 * optional sum-to-one makes the last weight 1 − Σ others, weights may be bounded, and an optional
 * energy shift of the data (vary_e0) or, as in ParSeq and Athena, one shift per reference.
 * Statistics are lmfit's: chisqr = Σ r², redchi = chisqr/(npts − nvarys), R-factor =
 * Σ(data − fit)²/Σ data², uncertainties redchi·(JᵀJ)⁻¹ propagated to the dependent weight.
 * Bounded fits return the exact constrained optimum (active-set solver), not lmfit's search result.
 */
import { XasInputError } from '../core/errors.js';
import { chiSquare, type LsqBounds, solveConstrainedLsq } from './constrained-lsq.js';
import { buildFitMatrix, type Curve, type FitMatrix, type FitRangeOptions } from './fit-matrix.js';
import { interpCubic } from './interp.js';
import { covarianceFromJacobian, type ParamCovariance, weightErrors } from './lcf-covariance.js';
import { fitDataShift, fitReferenceShifts } from './lcf-shift.js';
import { checkConditioning } from './reference-rank.js';

export type E0ShiftMode = 'none' | 'data' | 'references';

export interface LcfOptions extends FitRangeOptions {
  /** Force Σ weights = 1 (Larch default true). */
  sumToOne?: boolean;
  /** Lower bounds of the weights (number for all; default −∞, or 0 with `bounded`). */
  minWeights?: number | number[];
  /** Upper bounds (default +∞, or 1 with `bounded`). */
  maxWeights?: number | number[];
  /** Shorthand for weights in [0, 1]. */
  bounded?: boolean;
  /** Energy shift: none, one shift of the data (Larch vary_e0), or one per reference. */
  e0Shift?: E0ShiftMode;
  /** Largest allowed |shift| in eV (default 5). */
  maxShiftEv?: number;
}

export interface LcfResult {
  labels: string[];
  weights: Float64Array;
  stderr: Float64Array;
  /** Unconstrained linear least-squares weights (Larch weights_lstsq). */
  weightsLstsq: Float64Array;
  /** −1/+1 where a weight sits on its lower/upper bound, else 0. */
  atBound: Int8Array;
  sum: number;
  sumStderr: number;
  /** Data shift (e0Shift 'data'): positive moves the data to lower energy, as Larch's e0_shift. */
  e0Shift: number | null;
  e0ShiftStderr: number | null;
  /** Per-reference shifts in eV (e0Shift 'references'): reference j is evaluated at E − shiftᵢ. */
  shiftsEv: Float64Array | null;
  shiftsStderr: Float64Array | null;
  chisqr: number;
  redchi: number;
  rfactor: number;
  npts: number;
  nvarys: number;
  x: Float64Array;
  ydata: Float64Array;
  yfit: Float64Array;
  /** Weighted reference curves on x, by label order. */
  components: Float64Array[];
  covariance: ParamCovariance;
  options: {
    xmin: number | null;
    xmax: number | null;
    sumToOne: boolean;
    minWeights: number[];
    maxWeights: number[];
    e0Shift: E0ShiftMode;
  };
  warnings: string[];
}

function boundArray(v: number | number[] | undefined, n: number, dflt: number, name: string): Float64Array {
  if (v === undefined) return new Float64Array(n).fill(dflt);
  if (typeof v === 'number') return new Float64Array(n).fill(v);
  if (v.length !== n) {
    throw new XasInputError(`${v.length} ${name} values for ${n} references`, {
      field: name,
      expected: `${n} values`,
    });
  }
  return Float64Array.from(v);
}

export function resolveBounds(n: number, opts: LcfOptions): LsqBounds {
  const lower = boundArray(opts.minWeights, n, opts.bounded ? 0 : -Infinity, 'minWeights');
  const upper = boundArray(opts.maxWeights, n, opts.bounded ? 1 : Infinity, 'maxWeights');
  return { lower, upper, sumTo: (opts.sumToOne ?? true) ? 1 : null };
}

export function isBounded(b: LsqBounds): boolean {
  for (let j = 0; j < b.lower.length; j++)
    if (Number.isFinite(b.lower[j]) || Number.isFinite(b.upper[j])) return true;
  return false;
}

/** Unconstrained least squares (Larch's np.linalg.lstsq start), via the bounded solver with no bounds. */
function lstsqWeights(m: FitMatrix): Float64Array {
  const n = m.ncomps;
  const free: LsqBounds = {
    lower: new Float64Array(n).fill(-Infinity),
    upper: new Float64Array(n).fill(Infinity),
    sumTo: null,
  };
  return solveConstrainedLsq(m.a, m.y, m.npts, n, free, undefined, m.labels).w;
}

/** Weights of the linear fit of y on the columns of a under the bounds (no shifts). */
export function solveWeights(m: FitMatrix, b: LsqBounds, y: Float64Array = m.y) {
  return solveConstrainedLsq(m.a, y, m.npts, m.ncomps, b, undefined, m.labels);
}

/** Jacobian columns of the varied weights (with the sum-to-one elimination) at a solution. */
export function weightJacobian(
  m: FitMatrix,
  active: Int8Array,
  sumToOne: boolean,
): { jac: Float64Array; varied: number[]; dependent: number | null } {
  const free: number[] = [];
  for (let j = 0; j < m.ncomps; j++) if (active[j] === 0) free.push(j);
  const dependent = sumToOne && free.length > 0 ? free[free.length - 1] : null;
  const varied = dependent === null ? free : free.slice(0, -1);
  const p = varied.length;
  const jac = new Float64Array(m.npts * p);
  for (let i = 0; i < m.npts; i++) {
    for (let c = 0; c < p; c++) {
      const v = m.a[i * m.ncomps + varied[c]];
      jac[i * p + c] = dependent === null ? v : v - m.a[i * m.ncomps + dependent];
    }
  }
  return { jac, varied, dependent };
}

/** Fits `unknown` as a linear combination of `refs` (all already on the array being fitted). */
export function lincomboFit(unknown: Curve, refs: Curve[], opts: LcfOptions = {}): LcfResult {
  const m = buildFitMatrix(unknown, refs, opts);
  return lincomboFitMatrix(m, opts, refs);
}

/** lincomboFit on a prepared fit matrix (refs are needed only for per-reference shifts). */
export function lincomboFitMatrix(
  m: FitMatrix,
  opts: LcfOptions = {},
  refs?: Curve[],
  conditioning?: string[],
): LcfResult {
  const n = m.ncomps;
  const sumToOne = opts.sumToOne ?? true;
  const b = resolveBounds(n, opts);
  const mode = opts.e0Shift ?? 'none';
  // the conditioning of a reference set is checked once per matrix (batch mode passes it in)
  const warnings = [...m.warnings, ...(conditioning ?? checkConditioning(m, sumToOne))];
  const weightsLstsq = lstsqWeights(m);
  const maxShift = opts.maxShiftEv ?? 5;
  let weights: Float64Array;
  let active: Int8Array;
  let target: Float64Array = m.y;
  let e0Shift: number | null = null;
  let shiftsEv: Float64Array | null = null;
  let extraJac: Float64Array[] = [];
  let extraNames: string[] = [];
  let shiftActive: Int8Array | null = null;
  let a = m.a;
  if (mode === 'none') {
    const sol = solveWeights(m, b);
    weights = sol.w;
    active = sol.active;
  } else if (mode === 'data') {
    const s = fitDataShift(m, b, maxShift);
    weights = s.weights;
    active = s.active;
    e0Shift = s.shift;
    target = s.shiftedData;
    extraJac = [s.dShift];
    extraNames = ['e0_shift'];
    shiftActive = Int8Array.of(s.shiftAtBound);
    if (s.shiftAtBound) warnings.push(`the data shift reached its bound of ${maxShift} eV`);
  } else {
    if (!refs)
      throw new XasInputError('per-reference shifts need the reference curves', { field: 'e0Shift' });
    const s = fitReferenceShifts(m, refs, b, maxShift);
    weights = s.weights;
    active = s.active;
    shiftsEv = s.shifts;
    a = s.a;
    extraJac = s.dShifts;
    extraNames = m.labels.map((l) => `shift_${l}`);
    shiftActive = s.shiftsAtBound;
    if (s.shiftsAtBound.some((v) => v !== 0))
      warnings.push(`a reference shift reached its bound of ${maxShift} eV`);
  }
  const fm: FitMatrix = { ...m, a };
  const yfit = new Float64Array(m.npts);
  for (let i = 0; i < m.npts; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * weights[j];
    yfit[i] = s;
  }
  const chisqr = chiSquare(a, target, m.npts, n, weights);
  const nShift = extraNames.length;
  const nvarys = n - (sumToOne ? 1 : 0) + nShift;
  const nfree = m.npts - nvarys;
  if (nfree <= 0) {
    throw new XasInputError(`${m.npts} points cannot determine ${nvarys} parameters`, {
      field: 'xmin/xmax',
      expected: 'a wider fit range',
    });
  }
  const redchi = chisqr / nfree;
  // Jacobian: varied weights, then the varied shifts
  const wj = weightJacobian(fm, active, sumToOne);
  const shiftCols: number[] = [];
  extraJac.forEach((_, k) => {
    if (!shiftActive || shiftActive[k] === 0) shiftCols.push(k);
  });
  const p = wj.varied.length + shiftCols.length;
  const jac = new Float64Array(m.npts * p);
  for (let i = 0; i < m.npts; i++) {
    for (let c = 0; c < wj.varied.length; c++) jac[i * p + c] = wj.jac[i * wj.varied.length + c];
    shiftCols.forEach((k, c) => {
      jac[i * p + wj.varied.length + c] = extraJac[k][i];
    });
  }
  const names = [...wj.varied.map((j) => m.labels[j]), ...shiftCols.map((k) => extraNames[k])];
  const covariance = covarianceFromJacobian(jac, m.npts, p, redchi, names);
  const { stderr, sumStderr } = weightErrors(n, covariance, wj.varied, wj.dependent);
  let shiftErr: Float64Array | null = null;
  if (nShift > 0) {
    shiftErr = new Float64Array(nShift);
    shiftCols.forEach((k, c) => {
      (shiftErr as Float64Array)[k] = covariance.stderr[wj.varied.length + c];
    });
  }
  // Larch compares the fit, shifted back onto the data's energies, with the unshifted data
  let yCompare: Float64Array = yfit;
  if (mode === 'data' && e0Shift !== null) yCompare = shiftBack(m.x, yfit, e0Shift);
  let num = 0;
  let den = 0;
  for (let i = 0; i < m.npts; i++) {
    num += (m.y[i] - yCompare[i]) ** 2;
    den += m.y[i] ** 2;
  }
  let sum = 0;
  for (let j = 0; j < n; j++) sum += weights[j];
  const components = m.labels.map((_, j) => {
    const c = new Float64Array(m.npts);
    for (let i = 0; i < m.npts; i++) c[i] = a[i * n + j] * weights[j];
    return c;
  });
  return {
    labels: m.labels,
    weights,
    stderr,
    weightsLstsq,
    atBound: active,
    sum,
    sumStderr,
    e0Shift,
    e0ShiftStderr: shiftErr && mode === 'data' ? shiftErr[0] : null,
    shiftsEv,
    shiftsStderr: mode === 'references' ? shiftErr : null,
    chisqr,
    redchi,
    rfactor: num / den,
    npts: m.npts,
    nvarys,
    x: m.x,
    ydata: m.y,
    yfit: yCompare,
    components,
    covariance,
    options: {
      xmin: opts.xmin ?? null,
      xmax: opts.xmax ?? null,
      sumToOne,
      minWeights: Array.from(b.lower),
      maxWeights: Array.from(b.upper),
      e0Shift: mode,
    },
    warnings,
  };
}

function shiftBack(x: Float64Array, yfit: Float64Array, shift: number): Float64Array {
  // Larch: yfit = interp(xdat + e0_shift, yfit, xdat, kind='cubic')
  const xs = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) xs[i] = x[i] + shift;
  return interpCubic(xs, yfit, x);
}
