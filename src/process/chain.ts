/**
 * The standard reduction chain μ(E) → χ(k) → χ(R), as a Larch script runs it:
 *   pre_edge(g, **pre_edge); autobk(g, **autobk); xftf(g, **xftf)
 * with each step's Larch defaults, autobk taking E0 and the edge step from pre_edge unless given.
 * Parameters are resolved and returned with Larch's names so a run can be repeated or compared.
 */
import { type HistoryEntry, SOFTWARE } from '../core/spectrum.js';
import { inScope, outCopy } from './arena.js';
import { autobkDeduped } from './autobk.js';
import type { AutobkOptions, AutobkParams, AutobkResult } from './autobk-types.js';
import { type PreEdgeOptions, type PreEdgeParams, type PreEdgeResult, preEdge } from './pre-edge.js';
import { type XftfOptions, type XftfParams, type XftfResult, xftf } from './xft.js';

export interface ProcessParams {
  pre_edge?: PreEdgeOptions;
  /** autobk options; e0 and edge_step default to pre_edge's. */
  autobk?: Omit<AutobkOptions, 'pre_edge_kws'>;
  xftf?: XftfOptions;
}

/** Every parameter as used, grouped by step (Larch's names; plain JSON). */
export interface ResolvedProcessParams {
  pre_edge: PreEdgeParams;
  autobk: AutobkParams;
  xftf: XftfParams;
}

export interface ProcessResult {
  /** Energies as used (repeats nudged apart) and μ as given. */
  energyEv: Float64Array;
  mu: Float64Array;
  e0: number;
  edgeStep: number;
  preEdge: PreEdgeResult;
  autobk: AutobkResult;
  xftf: XftfResult;
  params: ResolvedProcessParams;
}

export function processSpectrum(
  energyEv: ArrayLike<number>,
  mu: ArrayLike<number>,
  params: ProcessParams = {},
): ProcessResult {
  // all result arrays of one spectrum share a few blocks (arena.ts)
  // pre_edge's seven arrays and the copy of μ; autobk and xftf reserve their own
  return inScope(8 * 8 * (energyEv?.length ?? 0), () => runChain(energyEv, mu, params));
}

function runChain(energyEv: ArrayLike<number>, mu: ArrayLike<number>, params: ProcessParams): ProcessResult {
  const pre = preEdge(energyEv, mu, params.pre_edge ?? {});
  const bkgOpts: AutobkOptions = { ...(params.autobk ?? {}) };
  bkgOpts.e0 ??= pre.e0;
  bkgOpts.edge_step ??= pre.edgeStep;
  const bkg = autobkDeduped(energyEv, mu, bkgOpts, pre.energyEv);
  const ft = xftf(bkg.k, bkg.chi, params.xftf ?? {});
  return {
    energyEv: pre.energyEv,
    mu: outCopy(mu),
    e0: bkg.e0,
    edgeStep: bkg.edgeStep,
    preEdge: pre,
    autobk: bkg,
    xftf: ft,
    params: { pre_edge: pre.params, autobk: bkg.params, xftf: ft.params },
  };
}

/**
 * The chain's outputs under Larch's group attribute names (energy, mu, pre_edge, post_edge, norm, flat,
 * dmude, bkg, chie, k, chi, delta_chi, kwin, r, chir_mag, chir_re, chir_im, chir_pha) plus e0,
 * edge_step and the resolved parameters: ready for a JSON writer.
 */
export function larchNamedOutput(r: ProcessResult): Record<string, unknown> {
  const out: Record<string, unknown> = {
    e0: r.e0,
    edge_step: r.edgeStep,
    params: r.params,
    energy: r.energyEv,
    mu: r.mu,
    pre_edge: r.preEdge.preEdge,
    post_edge: r.preEdge.postEdge,
    norm: r.preEdge.norm,
    flat: r.preEdge.flat,
    dmude: r.preEdge.dmude,
    bkg: r.autobk.bkg,
    chie: r.autobk.chie,
    k: r.autobk.k,
    chi: r.autobk.chi,
    kwin: r.xftf.kwin,
    r: r.xftf.r,
    chir_mag: r.xftf.chirMag,
    chir_re: r.xftf.chirRe,
    chir_im: r.xftf.chirIm,
    chir_pha: r.xftf.chirPha,
  };
  if (r.autobk.deltaChi) out.delta_chi = r.autobk.deltaChi;
  if (r.autobk.deltaBkg) out.delta_bkg = r.autobk.deltaBkg;
  return out;
}

/** Processing-history entries (step names and resolved parameters as Larch users know them). */
export function processHistory(r: ProcessResult): HistoryEntry[] {
  const plain = (o: object) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
  return [
    { step: 'pre_edge', params: plain(r.params.pre_edge), software: SOFTWARE },
    { step: 'autobk', params: plain(r.params.autobk), software: SOFTWARE },
    { step: 'xftf', params: plain(r.params.xftf), software: SOFTWARE },
  ];
}
