/**
 * AUTOBK background removal with Larch 0.9.58's definitions (larch/xafs/autobk.py; Newville,
 * Līviņš, Yacoby, Rehr & Stern, Phys. Rev. B 47, 14126 (1993)): μ0(E) is a cubic B-spline in
 * k = sqrt(ETOK·(E − E0)) with nspl = 1 + 2·rbkg·(kmax − kmin)/π coefficients (knots placed as Larch
 * places them), chosen so that χ(R) below rbkg vanishes in the least-squares sense, with χ(k) clamped
 * toward 0 at the ends. χ(k) = (μ − μ0)/edge_step on the grid k = kstep·i.
 * By default the coefficients follow Larch's own Levenberg–Marquardt iterates (autobk-larch-fit.ts);
 * solver 'exact' gives the exact minimiser (autobk-solve.ts).
 */
import { solveAutobkLarch } from './autobk-larch-fit.js';
import { autobkProblem, larchStartCoefs } from './autobk-prepare.js';
import { type AutobkSolution, solveAutobkExact } from './autobk-solve.js';
import type { AutobkOptions, AutobkResult } from './autobk-types.js';
import { autobkUncertainties } from './autobk-uncertainty.js';
import { bsplineDesign, designTimes } from './bspline.js';

export type { AutobkDetails, AutobkOptions, AutobkParams, AutobkResult } from './autobk-types.js';

export function autobk(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  opts: AutobkOptions = {},
): AutobkResult {
  return autobkDeduped(energyEv, mu, opts);
}

/** autobk for the chain: energyDedup is remove_dups(energyEv), already checked with mu by pre_edge. */
export function autobkDeduped(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  opts: AutobkOptions,
  energyDedup?: Float64Array,
): AutobkResult {
  const { pr, y, design, a, clamps } = autobkProblem(energyEv, mu, opts, energyDedup);
  const { p, kr, kout, knots, nspl } = pr;
  const nk = kout.length;
  const sol: AutobkSolution =
    p.solver === 'exact'
      ? solveAutobkExact(design, a, clamps)
      : solveAutobkLarch(design, a, clamps, larchStartCoefs(pr));
  const c = sol.coefs;

  // χ(k) = S·μ − (S·B)·c, background on the measured points = B·c
  const basis = design.chiBasis;
  const chi = new Float64Array(nk);
  for (let m = 0; m < nk; m++) {
    let s = 0;
    const f = basis.first[m];
    for (let r = 0; r < basis.width; r++) s += basis.values[m * basis.width + r] * c[f + r];
    chi[m] = (y[m] - s) / p.edge_step;
  }
  const bkrDesign = bsplineDesign(knots, 3, kr);
  const bkgSeg = designTimes(bkrDesign, c);
  const bkg = new Float64Array(mu);
  bkg.set(bkgSeg, pr.ie0);
  const chie = new Float64Array(bkg.length);
  for (let i = 0; i < bkg.length; i++) chie[i] = (mu[i] - bkg[i]) / p.edge_step;

  const ndata = sol.residual.length;
  const redchi = sol.chisqr / (ndata - nspl);
  const result: AutobkResult = {
    energyEv: pr.e,
    e0: p.e0,
    edgeStep: p.edge_step,
    bkg,
    chie,
    k: kout,
    chi,
    details: {
      nspl,
      irbkg: pr.irbkg,
      knotsK: knots,
      knotsY: c,
      chisqr: sol.chisqr,
      redchi,
      ndata,
      iterations: sol.iterations,
      sharedDesign: pr.fastPath,
    },
    params: p,
  };
  if (p.calc_uncertainties && ndata > nspl) {
    const u = autobkUncertainties(sol.covariance, basis, bkrDesign, redchi, p.err_sigma, nspl);
    result.deltaChi = u.deltaChi;
    const deltaBkg = new Float64Array(bkg.length);
    deltaBkg.set(u.deltaBkg, pr.ie0);
    result.deltaBkg = deltaBkg;
  }
  return result;
}
