/**
 * AUTOBK background removal with Larch 0.9.58's definitions (larch/xafs/autobk.py; Newville,
 * Līviņš, Yacoby, Rehr & Stern, Phys. Rev. B 47, 14126 (1993)): μ0(E) is a cubic B-spline in
 * k = sqrt(ETOK·(E − E0)) with nspl = 1 + 2·rbkg·(kmax − kmin)/π coefficients (knots placed as Larch
 * places them), chosen so that χ(R) below rbkg vanishes in the least-squares sense, with χ(k) clamped
 * toward 0 at the ends. χ(k) = (μ − μ0)/edge_step on the grid k = kstep·i.
 * By default the coefficients follow Larch's own Levenberg–Marquardt iterates (autobk-larch-fit.ts);
 * solver 'exact' gives the exact minimiser (autobk-solve.ts). In the common case the whole fit runs in
 * one WebAssembly call (autobk-fit-wasm.ts), bit-identical to the TypeScript route below.
 */
import { inScope, outF64 } from './arena.js';
import { type AutobkFit, fitInWasm, wasmFitApplies } from './autobk-fit-wasm.js';
import { solveAutobkLarch } from './autobk-larch-fit.js';
import { larchStartCoefs, type Prepared, prepare, problemOf } from './autobk-prepare.js';
import { type AutobkSolution, solveAutobkExact } from './autobk-solve.js';
import type { AutobkOptions, AutobkResult } from './autobk-types.js';
import { autobkUncertainties, uncertaintyQuantiles } from './autobk-uncertainty.js';
import { bsplineDesign, designTimes } from './bspline.js';
import { processWasm } from './wasm-kernels.js';

export type { AutobkDetails, AutobkOptions, AutobkParams, AutobkResult } from './autobk-types.js';

export function autobk(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  opts: AutobkOptions = {},
): AutobkResult {
  return inScope(0, () => autobkDeduped(energyEv, mu, opts));
}

/** autobk for the chain: energyDedup is remove_dups(energyEv), already checked with mu by pre_edge. */
export function autobkDeduped(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  opts: AutobkOptions,
  energyDedup?: Float64Array,
): AutobkResult {
  const pr = prepare(energyEv, mu, opts, energyDedup);
  const { p, knots, nspl } = pr;
  const wasm = wasmFitApplies(pr, opts) ? processWasm() : null;
  const fit = wasm ? fitInWasm(wasm, pr, mu, opts) : fitInTypeScript(pr, mu, opts);

  const bkg = outF64(mu.length);
  bkg.set(mu);
  bkg.set(fit.bkgSeg, pr.ie0);
  const chie = outF64(bkg.length);
  for (let i = 0; i < bkg.length; i++) chie[i] = (mu[i] - bkg[i]) / p.edge_step;

  const redchi = fit.chisqr / (fit.ndata - nspl);
  const result: AutobkResult = {
    energyEv: pr.e,
    e0: p.e0,
    edgeStep: p.edge_step,
    bkg,
    chie,
    k: pr.kout,
    chi: fit.chi,
    details: {
      nspl,
      irbkg: pr.irbkg,
      knotsK: knots,
      knotsY: fit.coefs,
      chisqr: fit.chisqr,
      redchi,
      ndata: fit.ndata,
      iterations: fit.iterations,
      sharedDesign: pr.fastPath,
    },
    params: p,
  };
  if (fit.deltaChi && fit.deltaBkgSeg) {
    result.deltaChi = fit.deltaChi;
    const deltaBkg = outF64(bkg.length);
    deltaBkg.fill(0);
    deltaBkg.set(fit.deltaBkgSeg, pr.ie0);
    result.deltaBkg = deltaBkg;
  }
  return result;
}

/** The fit through the TypeScript modules (every option; the reference of the WebAssembly route). */
function fitInTypeScript(pr: Prepared, mu: ArrayLike<number>, opts: AutobkOptions): AutobkFit {
  const { y, design, a, clamps } = problemOf(pr, mu, opts);
  const { p, kr, kout, knots, nspl } = pr;
  const nk = kout.length;
  const sol: AutobkSolution =
    p.solver === 'exact'
      ? solveAutobkExact(design, a, clamps)
      : solveAutobkLarch(design, a, clamps, larchStartCoefs(pr));
  const c = sol.coefs;

  // χ(k) = S·μ − (S·B)·c, background on the measured points = B·c
  const basis = design.chiBasis;
  const chi = outF64(nk);
  const { first, values, width } = basis;
  for (let m = 0; m < nk; m++) {
    let s = 0;
    const f = first[m];
    if (width === 4) {
      const o = 4 * m;
      s += values[o] * c[f];
      s += values[o + 1] * c[f + 1];
      s += values[o + 2] * c[f + 2];
      s += values[o + 3] * c[f + 3];
    } else {
      for (let r = 0; r < width; r++) s += values[m * width + r] * c[f + r];
    }
    chi[m] = (y[m] - s) / p.edge_step;
  }
  const bkrDesign = bsplineDesign(knots, 3, kr);
  const fit: AutobkFit = {
    chi,
    bkgSeg: designTimes(bkrDesign, c),
    coefs: c,
    chisqr: sol.chisqr,
    ndata: sol.ndata,
    iterations: sol.iterations,
  };
  if (p.calc_uncertainties && sol.ndata > nspl) {
    const redchi = sol.chisqr / (sol.ndata - nspl);
    const t = uncertaintyQuantiles(p.err_sigma, nk, kr.length, nspl);
    const u = autobkUncertainties(sol.covariance, basis, bkrDesign, redchi, t);
    fit.deltaChi = u.deltaChi;
    fit.deltaBkgSeg = u.deltaBkg;
  }
  return fit;
}
