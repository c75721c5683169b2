/**
 * A measured spectrum prepared for composition analysis: sorted, normalised with Larch's pre_edge
 * (with given or default ranges; already-normalised files are used as read), its E0, and the
 * arrays an analysis can use (norm, flat, dmude = d(norm)/dE).
 */
import { XasInputError } from '../core/errors.js';
import type { Spectrum } from '../core/spectrum.js';
import { derivative } from '../process/array-utils.js';
import { findE0 } from '../process/find-e0.js';
import { preEdge } from '../process/pre-edge.js';
import { sortXafs } from '../process/sort.js';
import type { Curve } from './fit-matrix.js';
import type { ArrayName, NormalizationSettings } from './library.js';

export interface PreparedSpectrum {
  label: string;
  file?: string;
  energyEv: Float64Array;
  norm: Float64Array;
  flat: Float64Array;
  dmude: Float64Array;
  e0: number;
  edgeStep: number;
  normalized: 'as-read' | 'pre_edge';
}

export function prepareSpectrum(
  sp: Spectrum,
  label: string,
  opts: { normalized?: boolean; normalization?: NormalizationSettings } = {},
): PreparedSpectrum {
  if (sp.meta.datatype === 'chi') {
    throw new XasInputError(`'${label}' holds χ(k), not μ(E)`, {
      file: sp.meta.sourceFile,
      expected: 'a μ(E) spectrum',
    });
  }
  const s = sortXafs(sp.energyEv, sp.mu);
  const asRead = opts.normalized ?? sp.meta.datatype === 'norm';
  try {
    if (asRead) {
      return {
        label,
        file: sp.meta.sourceFile,
        energyEv: s.energyEv,
        norm: s.mu,
        flat: s.mu,
        dmude: derivative(s.energyEv, s.mu),
        e0: findE0(s.energyEv, s.mu),
        edgeStep: 1,
        normalized: 'as-read',
      };
    }
    const r = preEdge(s.energyEv, s.mu, opts.normalization ?? {});
    return {
      label,
      file: sp.meta.sourceFile,
      energyEv: r.energyEv,
      norm: r.norm,
      flat: r.flat,
      dmude: derivative(r.energyEv, r.norm),
      e0: r.e0,
      edgeStep: r.edgeStep,
      normalized: 'pre_edge',
    };
  } catch (err) {
    if (err instanceof XasInputError && err.message.includes(label)) throw err;
    throw new XasInputError(`'${label}': ${(err as Error).message}`, { file: sp.meta.sourceFile });
  }
}

export function curveOf(
  p: {
    label?: string;
    name?: string;
    energyEv: Float64Array;
    norm: Float64Array;
    flat: Float64Array;
    dmude: Float64Array;
  },
  array: ArrayName,
): Curve {
  return { label: (p.label ?? p.name) as string, energyEv: p.energyEv, y: p[array] };
}

/**
 * Absolute fit range from user numbers: taken as absolute energies when they lie within the
 * spectrum, as E − E0 when only that reading does, or as forced by `mode`.
 */
export function resolveFitRange(
  xmin: number | undefined,
  xmax: number | undefined,
  sp: { energyEv: Float64Array; e0: number },
  mode: 'auto' | 'absolute' | 'relative' = 'auto',
): { xmin?: number; xmax?: number; mode: 'absolute' | 'relative'; e0: number } {
  const e = sp.energyEv;
  const lo = e[0];
  const hi = e[e.length - 1];
  const inside = (v: number | undefined, off: number) =>
    v === undefined || (v + off >= lo - 50 && v + off <= hi + 50);
  let m: 'absolute' | 'relative';
  if (mode !== 'auto') m = mode;
  else if (inside(xmin, 0) && inside(xmax, 0)) m = 'absolute';
  else if (inside(xmin, sp.e0) && inside(xmax, sp.e0)) m = 'relative';
  else {
    throw new XasInputError(
      `fit range ${xmin} to ${xmax} eV fits neither the spectrum's energies (${lo} to ${hi} eV) nor E − E0 (E0 = ${sp.e0} eV)`,
      {
        field: 'xmin/xmax',
        expected: 'absolute energies inside the spectrum or energies relative to E0',
      },
    );
  }
  const off = m === 'relative' ? sp.e0 : 0;
  return {
    xmin: xmin === undefined ? undefined : xmin + off,
    xmax: xmax === undefined ? undefined : xmax + off,
    mode: m,
    e0: sp.e0,
  };
}
