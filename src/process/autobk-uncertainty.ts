/**
 * Uncertainties of χ(k) and μ0(E) from the AUTOBK fit, as Larch 0.9.58 computes them
 * (calc_uncertainties in larch/xafs/autobk.py): with C = (JᵀJ)⁻¹ the unscaled covariance of the
 * spline coefficients and the (linear) derivatives ∂χ/∂c_i, ∂μ0/∂c_i,
 *   δχ(k) = t_ppf(p, nχ − nspl) · sqrt(redchi · Σ_ij ∂χ/∂c_i ∂χ/∂c_j C_ij),  p = ½(1 + erf(err_sigma/√2)),
 * and likewise for μ0 with nμ points. As in Larch, δχ is in the units of μ (not divided by the edge step).
 */
import { outF64, tmpF64 } from './arena.js';
import type { ChiBasis } from './autobk-design.js';
import type { BsplineDesign } from './bspline.js';
import { erf, studentTPpf } from './stats.js';

function quadraticForm(
  first: Int32Array,
  width: number,
  values: Float64Array,
  cov: Float64Array,
  n: number,
  out: Float64Array,
): void {
  if (width === 4) {
    for (let m = 0; m < out.length; m++) {
      const f = first[m];
      const o = 4 * m;
      const v0 = values[o];
      const v1 = values[o + 1];
      const v2 = values[o + 2];
      const v3 = values[o + 3];
      const c0 = f * n + f;
      const c1 = c0 + n;
      const c2 = c1 + n;
      const c3 = c2 + n;
      out[m] =
        v0 * (v0 * cov[c0] + 2 * (v1 * cov[c0 + 1] + v2 * cov[c0 + 2] + v3 * cov[c0 + 3])) +
        v1 * (v1 * cov[c1 + 1] + 2 * (v2 * cov[c1 + 2] + v3 * cov[c1 + 3])) +
        v2 * (v2 * cov[c2 + 2] + 2 * v3 * cov[c2 + 3]) +
        v3 * v3 * cov[c3 + 3];
    }
    return;
  }
  for (let m = 0; m < out.length; m++) {
    const f = first[m];
    let s = 0;
    for (let a = 0; a < width; a++) {
      const va = values[m * width + a];
      if (va === 0) continue;
      const row = (f + a) * n;
      for (let b = 0; b < width; b++) s += va * values[m * width + b] * cov[row + f + b];
    }
    out[m] = s;
  }
}

/** Student-t quantiles of Larch's uncertainty band for χ (nchi points) and μ0 (nmue points). */
export function uncertaintyQuantiles(
  errSigma: number,
  nchi: number,
  nmue: number,
  nspl: number,
): { tchi: number; tbkg: number } {
  const prob = 0.5 * (1.0 + erf(errSigma / Math.sqrt(2.0)));
  return { tchi: studentTPpf(prob, nchi - nspl), tbkg: studentTPpf(prob, nmue - nspl) };
}

/** δχ and δμ0 (on the fitted points; δμ0 is a temporary of the allocation scope). */
export function autobkUncertainties(
  cov: Float64Array,
  chiBasis: ChiBasis,
  bkgDesign: BsplineDesign,
  redchi: number,
  t: { tchi: number; tbkg: number },
): { deltaChi: Float64Array; deltaBkg: Float64Array } {
  const nspl = chiBasis.ncoef;
  const nchi = chiBasis.first.length;
  const nmue = bkgDesign.first.length;
  const dfchi = tmpF64(nchi);
  const dfbkg = tmpF64(nmue);
  quadraticForm(chiBasis.first, chiBasis.width, chiBasis.values, cov, nspl, dfchi);
  quadraticForm(bkgDesign.first, bkgDesign.k + 1, bkgDesign.values, cov, nspl, dfbkg);
  const { tchi, tbkg } = t;
  const deltaChi = outF64(nchi);
  const deltaBkg = tmpF64(nmue);
  for (let i = 0; i < nchi; i++) deltaChi[i] = tchi * Math.sqrt(Math.max(0, dfchi[i] * redchi));
  for (let i = 0; i < nmue; i++) deltaBkg[i] = tbkg * Math.sqrt(Math.max(0, dfbkg[i] * redchi));
  return { deltaChi, deltaBkg };
}
