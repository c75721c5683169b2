/**
 * Options, resolved parameters and results of AUTOBK (Larch's names for options and parameters).
 */
import type { PreEdgeOptions } from './pre-edge.js';

export interface AutobkOptions {
  /** R (Å) below which χ(R) is treated as background, default 1 (at least 2 R-grid steps). */
  rbkg?: number;
  /** Number of spline coefficients; default 1 + 2·rbkg·(kmax−kmin)/π, always within [5, 128]. */
  nknots?: number;
  /** Edge energy (eV); from pre_edge when omitted. */
  e0?: number;
  /** Edge step; from pre_edge when omitted. */
  edge_step?: number;
  /** k range (Å⁻¹) of the fit window, default 0 … highest k of the data. */
  kmin?: number;
  kmax?: number;
  /** k-weight of χ(k) in the fit, default 1. */
  kweight?: number;
  /** Window taper (Å⁻¹), default 0.1. */
  dk?: number;
  /** Window shape, default 'hanning'. */
  win?: string;
  /** Optional standard χ(k) whose low-R part is kept (Larch's k_std, chi_std). */
  k_std?: ArrayLike<number>;
  chi_std?: ArrayLike<number>;
  /** FFT length, default 2048. */
  nfft?: number;
  /** k grid step (Å⁻¹), default 0.05. */
  kstep?: number;
  /** Parameters for pre_edge when e0 or edge_step must be determined. */
  pre_edge_kws?: PreEdgeOptions;
  /** Number of end points of χ(k) clamped toward 0, default 3. */
  nclamp?: number;
  /** Clamp weights at low and high k, default 0 and 1. */
  clamp_lo?: number;
  clamp_hi?: number;
  /** Compute delta_chi and delta_bkg from the fit covariance, default true. */
  calc_uncertainties?: boolean;
  /** Confidence level of the uncertainties in standard deviations, default 1. */
  err_sigma?: number;
  /**
   * 'larch' (default): follow Larch's Levenberg–Marquardt iterates from Larch's starting spline, so the
   * result is Larch's even where Larch stops short of the minimum. 'exact': the exact minimiser of the
   * same objective (lower or equal objective; see docs/conventions.md).
   */
  solver?: 'larch' | 'exact';
  /**
   * xasflow addition: reuse the residual's design matrix across spectra sharing grid, knots and window
   * (default true; results are bit-identical either way).
   */
  reuse_design?: boolean;
}

/** Resolved autobk parameters (Larch's names; serialisable). */
export interface AutobkParams {
  e0: number;
  edge_step: number;
  rbkg: number;
  nknots: number | null;
  kmin: number;
  kmax: number;
  kweight: number;
  dk: number;
  win: string;
  nfft: number;
  kstep: number;
  nclamp: number;
  clamp_lo: number;
  clamp_hi: number;
  calc_uncertainties: boolean;
  err_sigma: number;
  solver: 'larch' | 'exact';
}

export interface AutobkDetails {
  /** Number of spline coefficients (Larch's nspl / nknots). */
  nspl: number;
  /** Number of low-R points of χ(R) in the fit (Larch's irbkg). */
  irbkg: number;
  /** B-spline knot vector in k (Larch's knots_k). */
  knotsK: Float64Array;
  /** Spline coefficients (Larch's knots_y). */
  knotsY: Float64Array;
  /** Sum of squared residuals (Larch's chisqr) and reduced chi-square. */
  chisqr: number;
  redchi: number;
  /** Length of Larch's residual vector. */
  ndata: number;
  /** Function evaluations (solver 'larch', as Larch's nfev) or Gauss–Newton iterations ('exact'). */
  iterations: number;
  /** True when the reusable (cached) design was valid for this grid. */
  sharedDesign: boolean;
}

export interface AutobkResult {
  /** Energies as used (repeats nudged apart). */
  energyEv: Float64Array;
  e0: number;
  edgeStep: number;
  /** Background μ0(E) (equal to μ below E0 and beyond the fit range, as in Larch). */
  bkg: Float64Array;
  /** (μ − μ0)/edge_step on the energy grid. */
  chie: Float64Array;
  /** Uniform k grid (Å⁻¹) and χ(k) on it. */
  k: Float64Array;
  chi: Float64Array;
  /** Uncertainty of χ(k) and of μ0(E) from the fit covariance (as Larch 0.9.58 computes them). */
  deltaChi?: Float64Array;
  deltaBkg?: Float64Array;
  details: AutobkDetails;
  params: AutobkParams;
}
