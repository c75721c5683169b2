/**
 * Multivariate curve resolution by alternating least squares (MCR-ALS; Tauler, Chemom. Intell. Lab.
 * Syst. 30 (1995) 133; de Juan & Tauler, Anal. Chim. Acta 500 (2003) 195) for a series of XANES
 * spectra: D (spectra × energies) ≈ C·Sᵀ with non-negative concentrations that sum to one
 * (closure) and non-negative component spectra, solved by exact constrained least squares in turn
 * for C and S until the lack of fit stops improving. Initial spectra: given references, or the
 * purest spectra of the series (SIMPLISMA-style: the ones furthest from the span of those already
 * chosen). Reports lack of fit and explained variance; the solution carries MCR's rotational
 * ambiguity, which closure, non-negativity and near-pure spectra reduce.
 */
import { XasInputError } from '../core/errors.js';
import { solveConstrainedLsq } from './constrained-lsq.js';

export interface McrOptions {
  components: number;
  /** Initial component spectra on the data energies (row per component); default: purest spectra. */
  initial?: Float64Array[];
  maxIterations?: number;
  /** Stop when the relative change of the lack of fit is below this (default 1e-8). */
  tolerance?: number;
  /** Force concentrations to sum to one (default true). */
  closure?: boolean;
}

export interface McrResult {
  /** Concentrations, one row per spectrum (components values each). */
  concentrations: Float64Array[];
  /** Component spectra, one row per component. */
  spectra: Float64Array[];
  /** Lack of fit: 100·√(Σ residual² / Σ data²). */
  lackOfFitPercent: number;
  explainedVariance: number;
  iterations: number;
  converged: boolean;
  /** Indices of the spectra used as the initial estimate (purest-spectra start). */
  initialFrom: number[] | null;
}

/** Indices of the k spectra that are furthest from the span of those chosen before them. */
export function purestSpectra(data: Float64Array[], k: number): number[] {
  const chosen: number[] = [];
  const basis: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    let best = -1;
    let bestNorm = -1;
    data.forEach((row, i) => {
      if (chosen.includes(i)) return;
      const r = Float64Array.from(row);
      for (const b of basis) {
        let dot = 0;
        for (let j = 0; j < r.length; j++) dot += r[j] * b[j];
        for (let j = 0; j < r.length; j++) r[j] -= dot * b[j];
      }
      let nrm = 0;
      for (const v of r) nrm += v * v;
      if (nrm > bestNorm) {
        bestNorm = nrm;
        best = i;
      }
    });
    chosen.push(best);
    const r = Float64Array.from(data[best]);
    for (const b of basis) {
      let dot = 0;
      for (let j = 0; j < r.length; j++) dot += r[j] * b[j];
      for (let j = 0; j < r.length; j++) r[j] -= dot * b[j];
    }
    const nrm = Math.sqrt(r.reduce((s, v) => s + v * v, 0));
    if (!(nrm > 0))
      throw new XasInputError(`the series holds fewer than ${k} independent spectra`, {
        field: 'components',
      });
    basis.push(r.map((v) => v / nrm));
  }
  return chosen;
}

export function mcrAls(data: Float64Array[], o: McrOptions): McrResult {
  const m = data.length;
  const k = o.components;
  if (m < 2 || !(Number.isInteger(k) && k >= 1 && k <= m)) {
    throw new XasInputError(`${k} components for ${m} spectra`, {
      field: 'components',
      expected: `1 to ${m}`,
    });
  }
  const n = data[0].length;
  if (data.some((r) => r.length !== n))
    throw new XasInputError('spectra differ in length', {
      field: 'data',
      expected: 'one common energy grid',
    });
  const closure = o.closure ?? true;
  let initialFrom: number[] | null = null;
  let s: Float64Array[];
  if (o.initial) {
    if (o.initial.length !== k || o.initial.some((r) => r.length !== n)) {
      throw new XasInputError('initial spectra do not match', {
        field: 'initial',
        expected: `${k} spectra of ${n} points`,
      });
    }
    s = o.initial.map((r) => Float64Array.from(r));
  } else {
    initialFrom = purestSpectra(data, k);
    s = initialFrom.map((i) => Float64Array.from(data[i]));
  }
  let total = 0;
  for (const r of data) for (const v of r) total += v * v;
  const c: Float64Array[] = data.map(() => new Float64Array(k));
  const cBounds = {
    lower: new Float64Array(k),
    upper: new Float64Array(k).fill(Infinity),
    sumTo: closure ? 1 : null,
  };
  const sBounds = { lower: new Float64Array(k), upper: new Float64Array(k).fill(Infinity), sumTo: null };
  let prev = Infinity;
  let lof = Infinity;
  let iterations = 0;
  let converged = false;
  const maxIt = o.maxIterations ?? 500;
  const tol = o.tolerance ?? 1e-8;
  for (let it = 1; it <= maxIt; it++) {
    iterations = it;
    // concentrations: each spectrum d_i ≈ Sᵀc_i (energies × components design)
    const aS = new Float64Array(n * k);
    for (let j = 0; j < n; j++) for (let q = 0; q < k; q++) aS[j * k + q] = s[q][j];
    data.forEach((row, i) => {
      c[i] = solveConstrainedLsq(aS, row, n, k, cBounds, c[i].some((v) => v !== 0) ? c[i] : undefined).w;
    });
    // spectra: each energy column d_j ≈ C s_j
    const aC = new Float64Array(m * k);
    for (let i = 0; i < m; i++) for (let q = 0; q < k; q++) aC[i * k + q] = c[i][q];
    const col = new Float64Array(m);
    let ss = 0;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < m; i++) col[i] = data[i][j];
      const w = solveConstrainedLsq(aC, col, m, k, sBounds).w;
      for (let q = 0; q < k; q++) s[q][j] = w[q];
      for (let i = 0; i < m; i++) {
        let f = -col[i];
        for (let q = 0; q < k; q++) f += aC[i * k + q] * w[q];
        ss += f * f;
      }
    }
    lof = 100 * Math.sqrt(ss / total);
    if (Math.abs(prev - lof) <= tol * Math.max(lof, 1e-300)) {
      converged = true;
      break;
    }
    prev = lof;
  }
  return {
    concentrations: c,
    spectra: s,
    lackOfFitPercent: lof,
    explainedVariance: 1 - (lof / 100) ** 2,
    iterations,
    converged,
    initialFrom,
  };
}
