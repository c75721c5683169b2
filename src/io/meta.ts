/**
 * Filling SpectrumMeta from header fields: XDI names (Element.symbol, Sample.temperature ...)
 * map onto the typed fields; values are parsed (temperature to kelvin, d-spacing to Å) only
 * when they are unambiguous, and always kept verbatim in `fields`.
 */
import { atomicSymbol, isElementSymbol, normalizeEdgeName } from '../core/edges.js';
import type { AcquisitionMode, SpectrumMeta } from '../core/spectrum.js';
import { parseDecimal } from './numbers.js';

/** Temperature in kelvin from text like '10 K', '80K', '300.0 K', '-196 C', '25 °C'; undefined if unclear. */
export function parseTemperatureK(text: string): number | undefined {
  const m = /^\s*([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*(?:°|deg(?:rees)?\s*)?([KkCcFf])?\b/.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  const unit = (m[2] ?? '').toUpperCase();
  if (unit === 'K') return v;
  if (unit === 'C') return v + 273.15;
  if (unit === 'F') return ((v - 32) * 5) / 9 + 273.15;
  return undefined;
}

/** Acquisition mode from free text ('transmission', 'fluorescence', 'HERFD' ...). */
export function parseMode(text: string): AcquisitionMode | undefined {
  const t = text.toLowerCase();
  if (t.includes('herfd')) return 'herfd';
  if (t.includes('fluo')) return 'fluorescence';
  if (t.includes('trans')) return 'transmission';
  if (t.includes('electron') || t.includes('tey')) return 'electron-yield';
  if (t.includes('refer')) return 'reference';
  return undefined;
}

function get(fields: Record<string, string>, ...names: string[]): string | undefined {
  const lower = new Map(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
  for (const n of names) {
    const v = lower.get(n.toLowerCase());
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/**
 * Sets the typed meta fields from XDI-style `Namespace.tag` fields (case-insensitive),
 * leaving fields the caller already set.
 */
export function applyXdiFields(meta: SpectrumMeta): void {
  const f = meta.fields;
  const sym = get(f, 'Element.symbol');
  if (meta.element === undefined && sym && isElementSymbol(sym)) meta.element = atomicSymbol(sym);
  const edge = get(f, 'Element.edge');
  if (meta.edge === undefined && edge) meta.edge = normalizeEdgeName(edge) ?? edge;
  meta.sample ??= get(f, 'Sample.name', 'Sample.formula', 'Sample.id');
  const temp = get(f, 'Sample.temperature');
  if (temp !== undefined && meta.temperatureText === undefined) {
    meta.temperatureText = temp;
    const k = parseTemperatureK(temp);
    if (k !== undefined) meta.temperatureK = k;
  }
  meta.beamline ??= get(f, 'Beamline.name');
  meta.facility ??= get(f, 'Facility.name');
  meta.monochromator ??= get(f, 'Mono.name', 'Monochromator.name', 'Mono.crystal');
  const d = get(f, 'Mono.d_spacing', 'Monochromator.d_spacing');
  if (d !== undefined && meta.dSpacingAngstrom === undefined) {
    const v = parseDecimal(d.split(/\s+/)[0]);
    if (v > 0) meta.dSpacingAngstrom = v;
  }
  meta.scanStart ??= get(f, 'Scan.start_time');
  if (meta.mode === undefined) {
    const m = get(f, 'Scan.mode', 'Sample.mode', 'Detector.mode', 'Scan.measurement_mode');
    const mode = m ? parseMode(m) : undefined;
    if (mode) meta.mode = mode;
  }
}

/**
 * Metadata in the IFEFFIT/uwxafs '#%key: value' header convention (cu_10k.xmu and friends):
 * '%atom', '%edge', '%temp', '%beam', '%mono', '%name', '%date'.
 */
export function applyPercentFields(header: readonly string[], meta: SpectrumMeta): void {
  for (const raw of header) {
    const m = /^#\s*%\s*(\w+)\s*:\s*(.*)$/.exec(raw.trim());
    if (!m) continue;
    const key = m[1].toLowerCase();
    const value = m[2].trim();
    meta.fields[`%${key}`] = value;
    if (value === '') continue;
    if (key === 'atom' && meta.element === undefined) {
      const sym = /^([A-Z][a-z]?)/.exec(value)?.[1];
      if (sym && isElementSymbol(sym)) meta.element = atomicSymbol(sym);
    } else if (key === 'edge' && meta.edge === undefined) meta.edge = normalizeEdgeName(value) ?? value;
    else if (key === 'temp') {
      meta.temperatureText = value;
      const k = parseTemperatureK(value);
      if (k !== undefined) meta.temperatureK = k;
    } else if (key === 'beam') meta.beamline ??= value;
    else if (key === 'mono') meta.monochromator ??= value;
    else if (key === 'name') meta.sample ??= value;
    else if (key === 'date') meta.scanStart ??= value;
  }
}

/** Larch's read_ascii header attributes: 'KEY: value' or 'KEY = value' lines with a one-word key. */
export function headerAttributes(header: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of header) {
    let line = raw.trim().replace(/\t/g, ' ');
    if (line.length < 1) continue;
    if ('#;%*!$'.includes(line[0])) line = line.slice(1).trim();
    const sep = line.includes(':') ? ':' : line.includes('=') ? '=' : '';
    if (!sep) continue;
    const at = line.indexOf(sep);
    const key = line.slice(0, at).trim();
    if (key.length === 0 || /\s/.test(key)) continue;
    out[key] = line.slice(at + 1).trim();
  }
  return out;
}
