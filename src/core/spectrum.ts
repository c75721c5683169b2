/**
 * The spectrum data model shared by every stage of the pipeline.
 *
 * Conventions (Larch's, see docs/conventions.md): energies in eV, sorted ascending after
 * reading; μ(E) dimensionless (absorbance), k in Å⁻¹, R in Å; arrays are Float64Array.
 */

export type AcquisitionMode =
  | 'transmission'
  | 'fluorescence'
  | 'reference'
  | 'herfd'
  | 'electron-yield'
  | 'unknown';

export interface SpectrumMeta {
  /** Absorbing element symbol, e.g. 'Ni'. */
  element?: string;
  /** Absorption edge, e.g. 'K', 'L3'. */
  edge?: string;
  /** Sample name or formula. */
  sample?: string;
  /** Sample temperature in kelvin when it could be parsed. */
  temperatureK?: number;
  /** Temperature exactly as the file states it (e.g. 'room temperature'). */
  temperatureText?: string;
  mode?: AcquisitionMode;
  beamline?: string;
  facility?: string;
  monochromator?: string;
  /** Monochromator d-spacing in Å. */
  dSpacingAngstrom?: number;
  /** Path of the file the spectrum came from. */
  sourceFile?: string;
  /** Record within a multi-record file (Athena group name, HDF5 path). */
  record?: string;
  /** Scan start time as written in the file (ISO 8601 when available). */
  scanStart?: string;
  /** Every header field as read, namespaced as in XDI ('Mono.d_spacing'). */
  fields: Record<string, string>;
  /** Free-text user comments. */
  comments: string[];
}

/** One processing step applied to a spectrum, written into XDI headers and JSON outputs. */
export interface HistoryEntry {
  /** Step name as users know it: 'read_xdi', 'pre_edge', 'autobk', 'xftf', 'merge' ... */
  step: string;
  /** Resolved parameters of the step (Larch's names). */
  params: Record<string, unknown>;
  /** Software and version that applied the step. */
  software: string;
}

export interface Spectrum {
  /** Incident energy in eV, strictly increasing. */
  energyEv: Float64Array;
  /** Absorption μ(E) (transmission ln(I0/It), fluorescence If/I0, or as stored). */
  mu: Float64Array;
  /** Reference-channel absorption ln(It/Iref), when available. */
  muRef?: Float64Array;
  /** Every data column as read, keyed by its (lower-case) label: 'i0', 'itrans', 'ifluor', 'irefer'. */
  channels: Record<string, Float64Array>;
  meta: SpectrumMeta;
  history: HistoryEntry[];
}

export const SOFTWARE = 'xasflow 0.1.0';

/** Appends a history entry, returning a new spectrum (spectra are treated as immutable values). */
export function withHistory(sp: Spectrum, step: string, params: Record<string, unknown>): Spectrum {
  return { ...sp, history: [...sp.history, { step, params, software: SOFTWARE }] };
}

export function emptyMeta(): SpectrumMeta {
  return { fields: {}, comments: [] };
}
