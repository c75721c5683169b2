/**
 * First-shell EXAFS fit in the manner of Larch's feffit (Newville, J. Phys.: Conf. Ser. 430,
 * 012007 (2013)): one FEFF path with degeneracy 1 and free N·S0², ΔE0, ΔR, σ² (and optionally C3),
 * fitted to measured χ(k) in R or k space with Larch's transform, window and weights
 * (./transform.ts). Uncertainties are sqrt(diag(JᵀJ)⁻¹ · χ²/(n_idp − n_varys)), i.e. lmfit's
 * covariance scaled by reduced χ² and then rescaled to the number of independent points, as
 * feffit does; χ² and reduced χ² are rescaled to n_idp as well.
 */
import { XasInputError, XasNumericalError } from '../../core/errors.js';
import { leastsq, lmCovariance } from '../../process/index.js';
import type { FeffPathData } from '../feff/dat.js';
import { pathChi, preparePath } from '../path-equation.js';
import {
  type FeffitTransformOptions,
  type PreparedData,
  prepareData,
  resolveTransform,
  transformedResidual,
} from './transform.js';

export interface FitValue {
  value: number;
  stderr: number;
}

export interface FirstShellFitOptions {
  transform?: FeffitTransformOptions;
  /** Also fit the third cumulant C3 (default false). */
  fitC3?: boolean;
  /** Starting values (defaults: N·S0² = 10, ΔE0 = 0, ΔR = 0, σ² = 0.005, C3 = 0). */
  initial?: { nS02?: number; e0Ev?: number; deltaR?: number; sigma2?: number; c3?: number };
  /** Fixed noise level of χ(k) instead of Larch's estimate from the data. */
  epsilonK?: number;
}

export interface FirstShellFitResult {
  nS02: FitValue;
  e0Ev: FitValue;
  deltaR: FitValue;
  sigma2: FitValue;
  c3?: FitValue;
  /** First-shell distance reff + ΔR (Å). */
  r1: FitValue;
  reff: number;
  correlations: Record<string, number>;
  chiSquare: number;
  chi2Reduced: number;
  rFactor: number;
  nIdp: number;
  nVarys: number;
  nData: number;
  epsilonKMean: number;
  epsilonR: number;
  nfev: number;
  transform: ReturnType<typeof resolveTransform>;
  /** Data and best-fit model on the fit's uniform k grid. */
  k: Float64Array;
  chiData: Float64Array;
  chiModel: Float64Array;
}

const NAMES = ['nS02', 'e0Ev', 'deltaR', 'sigma2', 'c3'] as const;

export function fitFirstShell(
  data: { k: ArrayLike<number>; chi: ArrayLike<number>; deltaChi?: ArrayLike<number> },
  path: FeffPathData,
  opts: FirstShellFitOptions = {},
): FirstShellFitResult {
  const t = resolveTransform(opts.transform ?? {});
  const d = prepareData(t, data, opts.epsilonK);
  const prepared = preparePath(path);
  const nv = opts.fitC3 ? 5 : 4;
  const init = opts.initial ?? {};
  const x0 = [init.nS02 ?? 10, init.e0Ev ?? 0, init.deltaR ?? 0, init.sigma2 ?? 0.005, init.c3 ?? 0].slice(
    0,
    nv,
  );
  const model = (x: ArrayLike<number>) =>
    pathChi(prepared, d.k, {
      degen: 1,
      s02: x[0],
      e0Ev: x[1],
      deltaR: x[2],
      sigma2: x[3],
      c3: nv > 4 ? x[4] : 0,
    }).chi;
  if (!(d.nIdp > nv)) {
    throw new XasInputError(`${d.nIdp.toFixed(2)} independent points for ${nv} variables`, {
      field: 'kmin/kmax/rmin/rmax',
      expected: 'a wider k or R range',
    });
  }
  const fit = feffitLeastsq(d, model, x0);
  const npts = fit.residual.length;
  const dataOnly = transformedResidual(d, null);
  const dataSq = dataOnly.reduce((s, v) => s + v * v, 0);
  const scale = fit.chiSquare / (d.nIdp - nv);
  const values: FitValue[] = Array.from(fit.x, (v, i) => ({
    value: v,
    stderr: Math.sqrt(fit.covariance[i * nv + i] * scale),
  }));
  const correlations: Record<string, number> = {};
  for (let i = 0; i < nv; i++) {
    for (let j = i + 1; j < nv; j++) {
      correlations[`${NAMES[i]},${NAMES[j]}`] =
        fit.covariance[i * nv + j] / Math.sqrt(fit.covariance[i * nv + i] * fit.covariance[j * nv + j]);
    }
  }
  const chiSquare = (fit.chiSquare * d.nIdp) / npts;
  const reff = path.reffAngstrom;
  return {
    nS02: values[0],
    e0Ev: values[1],
    deltaR: values[2],
    sigma2: values[3],
    c3: nv > 4 ? values[4] : undefined,
    r1: { value: reff + values[2].value, stderr: values[2].stderr },
    reff,
    correlations,
    chiSquare,
    chi2Reduced: chiSquare / (d.nIdp - nv),
    rFactor: fit.chiSquare / dataSq,
    nIdp: d.nIdp,
    nVarys: nv,
    nData: npts,
    epsilonKMean: d.epsilonK.reduce((s, v) => s + v, 0) / d.epsilonK.length,
    epsilonR: d.epsilonR,
    nfev: fit.nfev,
    transform: t,
    k: d.k,
    chiData: d.chi,
    chiModel: model(fit.x),
  };
}

/**
 * lmfit's Minimizer.leastsq as Larch's feffit runs it: MINPACK lmdif with ftol = xtol = 1.49012e-8,
 * gtol = 0, factor 100, forward differences at machine precision, maxfev = 2·2000·(n + 1).
 */
function feffitLeastsq(d: PreparedData, model: (x: ArrayLike<number>) => Float64Array, x0: number[]) {
  const n = x0.length;
  const m = transformedResidual(d, model(x0)).length;
  let nfev = 0;
  const res = leastsq(
    (x, out) => {
      nfev++;
      const r = transformedResidual(d, model(x));
      for (let i = 0; i < m; i++) {
        if (!Number.isFinite(r[i])) {
          throw new XasNumericalError(
            `the fit residual is not finite at parameters [${Array.from(x).join(', ')}]`,
          );
        }
        out[i] = r[i];
      }
    },
    m,
    x0,
    { ftol: 1.49012e-8, xtol: 1.49012e-8, gtol: 0, epsfcn: 0, maxfev: 4000 * (n + 1), factor: 100 },
  );
  if (res.info < 1 || res.info > 4) {
    throw new XasNumericalError(
      `the first-shell fit did not converge (MINPACK info ${res.info} after ${res.nfev} evaluations)`,
    );
  }
  const x = Float64Array.from(res.x);
  const residual = transformedResidual(d, model(x));
  let chiSquare = 0;
  for (let i = 0; i < residual.length; i++) chiSquare += residual[i] * residual[i];
  return { x, residual, chiSquare, covariance: lmCovariance(res.r, res.ipvt, n), nfev };
}
