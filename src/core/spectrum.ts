/**
 * The spectrum data model shared by every stage of the pipeline.
 *
 * Conventions (Larch's, see docs/conventions.md): energies in eV (kept in file order by the
 * readers, sorted by processing); μ(E) dimensionless (absorbance), k in Å⁻¹, R in Å; arrays are Float64Array.
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
  /** File format the spectrum was read from: 'xdi', 'ascii', 'athena', 'nexus'. */
  format?: string;
  /** Column labels in file order (sanitised as Larch does for plain column files). */
  columnLabels?: string[];
  /** Units of columns that state them (XDI `Column.N: label units`), keyed by label. */
  columnUnits?: Record<string, string>;
  /** How μ was obtained, in words: 'column mutrans', 'ln(i0/itrans)', 'Athena record y' ... */
  muSource?: string;
  /** What `mu` holds: raw absorption (default), normalized μ(E), or χ(k) for chi records. */
  datatype?: 'xmu' | 'norm' | 'chi';
  /** Energy shift (eV) already added to energyEv (Athena's bkg_eshift). */
  energyShiftEv?: number;
  /** Processing parameters stored with the data (Athena project records), Larch's names. */
  storedParams?: StoredParams;
  /** Non-fatal problems found while reading (e.g. XDI recommendations not followed). */
  warnings?: string[];
  /** Any further metadata the reader found, by name (Athena args, HDF5 attributes...). */
  extra?: Record<string, unknown>;
}

/**
 * Processing parameters stored alongside data (Athena `bkg_*`, `fft_*`), translated to the
 * names of Larch's pre_edge / autobk / xftf arguments.
 */
export interface StoredParams {
  preEdge?: {
    e0?: number;
    pre1?: number;
    pre2?: number;
    norm1?: number;
    norm2?: number;
    nnorm?: number;
    step?: number;
    /** Athena's "fix step" flag: use `step` instead of fitting it. */
    fixStep?: boolean;
    makeFlat?: boolean;
  };
  autobk?: {
    rbkg?: number;
    kweight?: number;
    kmin?: number;
    kmax?: number;
    dk?: number;
    win?: string;
    nclamp?: number;
    clampLo?: number;
    clampHi?: number;
  };
  xftf?: {
    kmin?: number;
    kmax?: number;
    dk?: number;
    kweight?: number;
    window?: string;
  };
  xftr?: {
    rmin?: number;
    rmax?: number;
    dr?: number;
    window?: string;
  };
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
  /**
   * Incident energy in eV, in file order: readers keep points as measured (unsorted,
   * duplicates kept); processing sorts and merges duplicates as Larch does.
   */
  energyEv: Float64Array;
  /** Absorption μ(E) (transmission ln(I0/It), fluorescence If/I0, or as stored). */
  mu: Float64Array;
  /** Reference-channel absorption ln(It/Iref), when available. */
  muRef?: Float64Array;
  /** Every data column as read, keyed by its (lower-case) label: 'i0', 'itrans', 'ifluor', 'irefer'. */
  channels: Record<string, Float64Array>;
  /** Wavenumber (Å⁻¹) and χ(k) for records that store χ(k) rather than μ(E) (datatype 'chi'). */
  k?: Float64Array;
  chi?: Float64Array;
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
