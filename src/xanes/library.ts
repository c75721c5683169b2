/**
 * A XANES reference library: measured reference spectra normalised the same way (Larch pre_edge
 * with one set of pre-/post-edge ranges relative to each E0, chosen so that every reference covers
 * them), optionally aligned (each reference's reference channel matched to a standard's, Larch's
 * XAS Viewer alignment), with chemical metadata, all on one absorption edge. Arrays: norm, flat and
 * dmude = d(norm)/dE (the derivative of normalised μ that Athena fits; for already-normalised input
 * Larch's dmude is the same thing).
 */

import { edgeEnergy, guessEdge } from '../core/edges.js';
import { XasInputError } from '../core/errors.js';
import { SOFTWARE, type Spectrum } from '../core/spectrum.js';
import { alignSpectra } from '../process/align.js';
import { derivative } from '../process/array-utils.js';
import { findE0 } from '../process/find-e0.js';
import { type PreEdgeParams, preEdge } from '../process/pre-edge.js';
import { sortXafs } from '../process/sort.js';
import { type ReferenceMeta, referenceMetaOf } from './reference-meta.js';

export type ArrayName = 'norm' | 'flat' | 'dmude';
export const ARRAY_NAMES: readonly ArrayName[] = ['norm', 'flat', 'dmude'];

export interface XanesReference {
  name: string;
  file?: string;
  record?: string;
  meta: ReferenceMeta;
  element?: string;
  edge?: string;
  energyEv: Float64Array;
  norm: Float64Array;
  flat: Float64Array;
  dmude: Float64Array;
  e0: number;
  edgeStep: number;
  /** Energy shift added by the alignment (eV). */
  energyShiftEv: number;
  /** pre_edge parameters used, or null when the input was already normalised. */
  preEdge: PreEdgeParams | null;
}

export interface NormalizationSettings {
  pre1?: number;
  pre2?: number;
  norm1?: number;
  norm2?: number;
  nnorm?: number;
  nvict?: number;
}

export type AlignMode = 'none' | 'reference-channel';

export interface XanesLibrary {
  format: 'xasflow-xanes-library';
  version: 1;
  element?: string;
  edge?: string;
  /** Tabulated edge energy of element/edge (eV), the origin of E − E0 grids. */
  edgeEnergyEv?: number;
  /** Common ranges (relative to each E0) or null for already-normalised input. */
  normalization: NormalizationSettings | null;
  alignment: { mode: AlignMode; standard?: string };
  references: XanesReference[];
  warnings: string[];
  software: string;
  created: string;
}

export interface LibraryInput {
  spectrum: Spectrum;
  /** Unique name (default: the file name, or the record name in a multi-record file). */
  name?: string;
  meta?: ReferenceMeta;
}

export interface BuildLibraryOptions {
  /** Treat μ as already normalised (also implied by a reader's datatype 'norm'). */
  normalized?: boolean;
  normalization?: NormalizationSettings;
  align?: AlignMode;
  /** Name of the reference whose reference channel the others are aligned to (default: the first with one). */
  alignTo?: string;
  /** Largest spread of the references' E0 values (eV) accepted as one edge, default 40. */
  edgeToleranceEv?: number;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function referenceName(sp: Spectrum, multi: boolean): string {
  const file = sp.meta.sourceFile ? baseName(sp.meta.sourceFile) : undefined;
  if (file && !multi) return file;
  return sp.meta.record ?? sp.meta.sample ?? file ?? 'reference';
}

/** Larch default ranges of one spectrum (relative to its E0). */
function defaultRanges(e: Float64Array, mu: Float64Array): { e0: number; p: PreEdgeParams } {
  const r = preEdge(e, mu);
  return { e0: r.e0, p: r.params };
}

/** One set of ranges every reference covers: the shortest pre-edge and post-edge of the set. */
export function commonNormalization(
  prepared: { e: Float64Array; mu: Float64Array }[],
  user: NormalizationSettings = {},
): NormalizationSettings {
  let pre1 = -Infinity;
  let norm2 = Infinity;
  for (const { e, mu } of prepared) {
    const { p } = defaultRanges(e, mu);
    pre1 = Math.max(pre1, p.pre1);
    norm2 = Math.min(norm2, p.norm2);
  }
  return {
    pre1: user.pre1 ?? pre1,
    pre2: user.pre2,
    norm1: user.norm1,
    norm2: user.norm2 ?? norm2,
    nnorm: user.nnorm,
    nvict: user.nvict,
  };
}

export function buildLibrary(inputs: LibraryInput[], opts: BuildLibraryOptions = {}): XanesLibrary {
  if (inputs.length === 0)
    throw new XasInputError('no reference spectra given', {
      field: 'refs',
      expected: 'at least one reference',
    });
  const warnings: string[] = [];
  const multi = new Set(inputs.map((i) => i.spectrum.meta.sourceFile)).size < inputs.length;
  const names = inputs.map((i) => i.name ?? referenceName(i.spectrum, multi));
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i)
      throw new XasInputError(`two references are named '${n}'`, {
        field: 'refs',
        expected: 'distinct names (rename one)',
      });
  });
  const prepared = inputs.map((inp, i) => {
    const sp = inp.spectrum;
    if (sp.meta.datatype === 'chi') {
      throw new XasInputError(`reference '${names[i]}' holds χ(k), not μ(E)`, {
        file: sp.meta.sourceFile,
        expected: 'a μ(E) spectrum',
      });
    }
    const s = sortXafs(sp.energyEv, sp.mu);
    const ref = sp.muRef ? sortXafs(sp.energyEv, sp.muRef).mu : undefined;
    return { e: s.energyEv, mu: s.mu, muRef: ref, sp };
  });
  const normalized = opts.normalized ?? inputs.every((i) => i.spectrum.meta.datatype === 'norm');
  const e0s = prepared.map((p, i) => {
    try {
      return findE0(p.e, p.mu);
    } catch (err) {
      throw new XasInputError(`reference '${names[i]}': ${(err as Error).message}`, {
        file: p.sp.meta.sourceFile,
      });
    }
  });
  // one edge: declared element/edge must agree, and the edges must lie together
  const declared = prepared.map((p) => ({ el: p.sp.meta.element, edge: p.sp.meta.edge }));
  const first = declared.findIndex((d) => d.el && d.edge);
  declared.forEach((d, i) => {
    if (first >= 0 && d.el && d.edge && (d.el !== declared[first].el || d.edge !== declared[first].edge)) {
      throw new XasInputError(
        `references on different edges: '${names[first]}' is ${declared[first].el} ${declared[first].edge}, '${names[i]}' is ${d.el} ${d.edge}`,
        { field: 'refs', expected: 'references of one element and edge' },
      );
    }
  });
  const sorted = [...e0s].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const tol = opts.edgeToleranceEv ?? 40;
  e0s.forEach((e0, i) => {
    if (Math.abs(e0 - median) > tol) {
      throw new XasInputError(
        `reference '${names[i]}' has its edge at ${e0.toFixed(1)} eV, ${(e0 - median).toFixed(1)} eV from the others (${median.toFixed(1)} eV): a different edge or element?`,
        { file: prepared[i].sp.meta.sourceFile, expected: `edges within ${tol} eV of each other` },
      );
    }
  });
  let element = first >= 0 ? declared[first].el : undefined;
  let edge = first >= 0 ? declared[first].edge : undefined;
  if (!element) {
    const g = guessEdge(median);
    if (g) {
      element = g.element;
      edge = g.edge;
      warnings.push(
        `element and edge not stated in the files; taken as ${element} ${edge} from E0 ≈ ${median.toFixed(1)} eV`,
      );
    }
  }
  const edgeEnergyEv = element && edge ? edgeEnergy(element, edge) : undefined;
  // alignment of the reference channels
  const shifts = prepared.map(() => 0);
  let standard: string | undefined;
  const align = opts.align ?? 'none';
  if (align === 'reference-channel') {
    const si = opts.alignTo !== undefined ? names.indexOf(opts.alignTo) : prepared.findIndex((p) => p.muRef);
    if (si < 0 || !prepared[si].muRef) {
      throw new XasInputError(
        `no reference channel to align to${opts.alignTo ? ` in '${opts.alignTo}'` : ''}`,
        {
          field: 'alignTo',
          expected: 'a reference with a reference-channel (foil) column',
        },
      );
    }
    standard = names[si];
    const std = prepared[si];
    prepared.forEach((p, i) => {
      if (i === si) return;
      if (!p.muRef) {
        warnings.push(`'${names[i]}' has no reference channel and was not aligned`);
        return;
      }
      shifts[i] = alignSpectra(std.e, std.muRef as Float64Array, p.e, p.muRef).eshift;
    });
  }
  const normalization = normalized ? null : commonNormalization(prepared, opts.normalization);
  const references = prepared.map((p, i): XanesReference => {
    const e = p.e.map((v) => v + shifts[i]);
    let norm: Float64Array;
    let flat: Float64Array;
    let e0: number;
    let edgeStep = 1;
    let params: PreEdgeParams | null = null;
    if (normalization) {
      try {
        const r = preEdge(e, p.mu, normalization);
        norm = r.norm;
        flat = r.flat;
        e0 = r.e0;
        edgeStep = r.edgeStep;
        params = r.params;
      } catch (err) {
        throw new XasInputError(`reference '${names[i]}': ${(err as Error).message}`, {
          file: p.sp.meta.sourceFile,
        });
      }
    } else {
      norm = p.mu;
      flat = p.mu;
      e0 = e0s[i] + shifts[i];
    }
    return {
      name: names[i],
      file: p.sp.meta.sourceFile,
      record: p.sp.meta.record,
      meta: referenceMetaOf(p.sp, inputs[i].meta),
      element,
      edge,
      energyEv: e,
      norm,
      flat,
      dmude: derivative(e, norm),
      e0,
      edgeStep,
      energyShiftEv: shifts[i],
      preEdge: params,
    };
  });
  warnings.push(...gridWarnings(references));
  return {
    format: 'xasflow-xanes-library',
    version: 1,
    element,
    edge,
    edgeEnergyEv,
    normalization,
    alignment: { mode: align, standard },
    references,
    warnings,
    software: SOFTWARE,
    created: new Date().toISOString(),
  };
}

/** Median point spacing within ±30 eV of E0. */
export function edgeSpacing(energyEv: Float64Array, e0: number): number {
  const d: number[] = [];
  for (let i = 1; i < energyEv.length; i++)
    if (Math.abs(energyEv[i] - e0) < 30) d.push(energyEv[i] - energyEv[i - 1]);
  if (d.length === 0) return Infinity;
  d.sort((a, b) => a - b);
  return d[Math.floor(d.length / 2)];
}

function gridWarnings(refs: XanesReference[]): string[] {
  const sp = refs.map((r) => edgeSpacing(r.energyEv, r.e0));
  const lo = Math.min(...sp);
  const hi = Math.max(...sp);
  if (hi > 2 * lo) {
    const coarse = refs[sp.indexOf(hi)].name;
    return [
      `references are on different energy grids (spacing near the edge ${lo.toFixed(2)} to ${hi.toFixed(2)} eV, coarsest '${coarse}'); they are interpolated onto each spectrum's grid`,
    ];
  }
  return [];
}

/** The named array of a reference. */
export function referenceArray(r: XanesReference, name: ArrayName): Float64Array {
  return r[name];
}

export function findReference(lib: XanesLibrary, name: string): XanesReference {
  const r = lib.references.find((x) => x.name === name);
  if (!r) {
    throw new XasInputError(`no reference named '${name}' in the library`, {
      field: 'refs',
      expected: `one of ${lib.references.map((x) => x.name).join(', ')}`,
    });
  }
  return r;
}
