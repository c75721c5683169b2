/**
 * Uncertainties of a linear-combination fit as lmfit (and therefore Larch) reports them: the
 * covariance of the varied parameters is redchi·(JᵀJ)⁻¹ with J the residual Jacobian at the
 * solution, and a weight fixed by the sum-to-one expression gets its standard error by linear
 * propagation with correlations (lmfit evaluates constraint expressions on correlated values).
 * Parameters sitting on a bound of the exact constrained optimum are held fixed (standard error 0).
 */
import { XasNumericalError } from '../core/errors.js';
import { inverseNormalMatrix, isRankDeficient, qrDecompose } from '../process/linalg.js';

export interface ParamCovariance {
  /** Names of the varied parameters, in order. */
  names: string[];
  /** Row-major covariance of the varied parameters. */
  covariance: Float64Array;
  stderr: Float64Array;
  correlation: Float64Array;
}

/** redchi·(JᵀJ)⁻¹ for a row-major npts × p Jacobian. */
export function covarianceFromJacobian(
  jac: Float64Array,
  npts: number,
  p: number,
  redchi: number,
  names: string[],
): ParamCovariance {
  const covariance = new Float64Array(p * p);
  const stderr = new Float64Array(p);
  const correlation = new Float64Array(p * p);
  if (p > 0) {
    const f = qrDecompose(jac, npts, p);
    if (isRankDeficient(f, 1e-14)) {
      throw new XasNumericalError(
        `the fit Jacobian is singular: parameters ${names.join(', ')} are not all determined`,
      );
    }
    const inv = inverseNormalMatrix(f);
    for (let i = 0; i < p * p; i++) covariance[i] = inv[i] * redchi;
    for (let i = 0; i < p; i++) stderr[i] = Math.sqrt(Math.max(0, covariance[i * p + i]));
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        const d = stderr[i] * stderr[j];
        correlation[i * p + j] = d > 0 ? covariance[i * p + j] / d : i === j ? 1 : 0;
      }
    }
  }
  return { names, covariance, stderr, correlation };
}

/**
 * Standard errors of all weights given the covariance of the varied weights `varied` (indices into
 * the weights, in covariance order); with sum-to-one, `dependent` is the weight computed as
 * (sumTo − Σ others) and its error comes from the full covariance block of the varied weights.
 */
export function weightErrors(
  n: number,
  cov: ParamCovariance,
  varied: number[],
  dependent: number | null,
): { stderr: Float64Array; sumStderr: number } {
  const p = cov.names.length;
  const stderr = new Float64Array(n);
  varied.forEach((j, c) => {
    stderr[j] = cov.stderr[c];
  });
  let block = 0;
  for (let a = 0; a < varied.length; a++) {
    for (let b = 0; b < varied.length; b++) block += cov.covariance[a * p + b];
  }
  block = Math.sqrt(Math.max(0, block));
  if (dependent !== null) stderr[dependent] = block;
  // with sum-to-one the total is exactly fixed; lmfit's propagated value is zero up to rounding
  return { stderr, sumStderr: dependent !== null ? 0 : block };
}
