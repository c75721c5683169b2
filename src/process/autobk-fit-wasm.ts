/**
 * The AUTOBK fit of one spectrum in a single WebAssembly call (wasm/autobk_fit.c): for Larch's solver
 * with the background spline inside the interpolating spline's space (the usual case), everything from
 * the spline of μ on the k grid to δχ runs in the module, bit-identical to the TypeScript route of
 * autobk.ts (same operations in the same order). The design comes from the cache when reuse_design
 * allows it, as in the TypeScript route.
 */
import { XasInputError, XasNumericalError } from '../core/errors.js';
import { cachedDesign } from './autobk-design.js';
import { clampPoints, larchStartValues, type Prepared } from './autobk-prepare.js';
import type { AutobkOptions } from './autobk-types.js';
import { uncertaintyQuantiles } from './autobk-uncertainty.js';
import type { ProcessWasm } from './wasm-kernels.js';

/** What a fit yields, whichever route ran it. */
export interface AutobkFit {
  /** χ(k) on the uniform grid (a result array). */
  chi: Float64Array;
  /** μ0 on the fitted points kr (from E0 on). */
  bkgSeg: Float64Array;
  /** Spline coefficients (a result array). */
  coefs: Float64Array;
  chisqr: number;
  ndata: number;
  iterations: number;
  deltaChi?: Float64Array;
  deltaBkgSeg?: Float64Array;
}

/** Whether the single-call route applies (otherwise autobk.ts runs the TypeScript modules). */
export function wasmFitApplies(pr: Prepared, opts: AutobkOptions): boolean {
  return (
    pr.fastPath &&
    pr.p.solver === 'larch' &&
    pr.nspl <= 128 &&
    pr.kr.length >= 4 &&
    opts.chi_std === undefined &&
    opts.k_std === undefined
  );
}

const SQRT_PI = Math.sqrt(Math.PI);

export function fitInWasm(
  wasm: ProcessWasm,
  pr: Prepared,
  mu: ArrayLike<number>,
  opts: AutobkOptions,
): AutobkFit {
  const { p, nspl } = pr;
  const nk = pr.kout.length;
  const nr = pr.kr.length;
  const irb = Math.min(pr.irbkg, p.nfft / 2);
  const design =
    opts.reuse_design === false ? undefined : cachedDesign(pr.knots, pr.kout, pr.ftwin, irb, p.nfft, p.kstep);
  const clamps = clampPoints(p, nk);
  const ndata = 2 * irb + clamps.index.length;
  const uncertain = p.calc_uncertainties && ndata > nspl;
  const t = uncertain ? uncertaintyQuantiles(p.err_sigma, nk, nr, nspl) : { tchi: 0, tbkg: 0 };
  const r = wasm.autobkFit({
    kr: pr.kr,
    mu,
    ie0: pr.ie0,
    kout: pr.kout,
    knots: pr.knots,
    ftwin: pr.ftwin,
    irb,
    nfft: p.nfft,
    f: p.kstep / SQRT_PI,
    splK: pr.splK,
    splY: larchStartValues(pr),
    clampIndex: clamps.index,
    clampWeight: clamps.weight,
    design: design
      ? { first: design.chiBasis.first, values: design.chiBasis.values, qr: design.qr }
      : undefined,
    edgeStep: p.edge_step,
    tchi: t.tchi,
    tbkg: t.tbkg,
    uncertainties: uncertain,
    maxfev: 2000 * (nspl + 1),
  });
  switch (r.code) {
    case 0:
      break;
    case 1:
      throw new XasInputError(`autobk: x is not strictly increasing at index ${r.index}`, {
        expected: 'strictly increasing abscissae',
      });
    case 2:
      throw new XasNumericalError('autobk starting spline: the fit matrix is singular (dependent columns)');
    case 3:
      throw new XasNumericalError(`autobk: the Levenberg–Marquardt fit failed (MINPACK info ${r.info})`);
    default:
      throw new XasNumericalError('autobk: singular Jacobian, no covariance for delta_chi');
  }
  const fit: AutobkFit = {
    chi: r.chi,
    bkgSeg: r.bkgSeg,
    coefs: r.coefs,
    chisqr: r.chisqr,
    ndata,
    iterations: r.nfev,
  };
  if (uncertain) {
    fit.deltaChi = r.deltaChi;
    fit.deltaBkgSeg = r.deltaBkgSeg;
  }
  return fit;
}
