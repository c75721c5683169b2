/**
 * Value checks for XDI 1.0 fields (XDI specification and Dictionary of Metadata v1.0):
 * required fields, Element symbols and edges, Mono.d_spacing, ISO 8601 time stamps,
 * float+units fields, the Column namespace, declared extension namespaces and the
 * recommended fields. Each finding is an error (the file breaks a rule the data depend on)
 * or a warning (a recommendation or a rule the XDI reference library itself tolerates).
 */
import { isElementSymbol } from '../core/edges.js';
import type { XdiField, XdiHeader, XdiIssue } from './xdi-header.js';

/** Edge names the XDI dictionary allows, including the generic L, M, N, O. */
const XDI_EDGES = new Set(
  'K L L1 L2 L3 M M1 M2 M3 M4 M5 N N1 N2 N3 N4 N5 N6 N7 O O1 O2 O3 O4 O5 O6 O7'.split(' '),
);
/** Provisional symbols the XDI dictionary lists for Z = 113, 115, 117, 118. */
const OLD_SYMBOLS = new Set(['uut', 'uup', 'uus', 'uuo']);
const DEFINED_NAMESPACES = new Set([
  'facility',
  'beamline',
  'mono',
  'detector',
  'sample',
  'scan',
  'element',
  'column',
]);
/** Namespaces used by the XDI reference library and common writers that are not extension namespaces. */
const KNOWN_NAMESPACES = new Set(['outer']);
const RECOMMENDED = ['Facility.name', 'Facility.xray_source', 'Beamline.name', 'Scan.start_time'];
const ABSCISSA_LABELS = new Set(['energy', 'angle', 'pixel', 'k']);

const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Checks an ISO 8601 combined date and time; returns an error text or undefined. */
export function checkTimestamp(value: string): { error?: string; warning?: string } {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(
      value.trim(),
    );
  if (!m) return { error: `'${value}' is not an ISO 8601 date and time (expected YYYY-MM-DDTHH:MM:SS)` };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, sec] = [Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0)];
  const dim = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  if (month < 1 || month > 12) return { error: `'${value}': month ${month} is out of range 1..12` };
  if (day < 1 || day > dim[month - 1])
    return { error: `'${value}': day ${day} is out of range for month ${month}` };
  if (hour > 23 || minute > 59 || sec > 60) return { error: `'${value}': time of day out of range` };
  if (m[4] === undefined) return { warning: `'${value}' gives a date without a time of day` };
  if (m[4] === ' ') {
    return {
      warning: `'${value}' separates date and time with a space (ISO 8601 uses 'T'; the XDI reference library accepts both)`,
    };
  }
  return {};
}

/** Checks 'float units' values; text without a leading number is accepted as a description. */
function checkFloatUnits(
  value: string,
  units: RegExp,
  unitsText: string,
): { error?: string; warning?: string } {
  const v = value.trim();
  if (!/^[+-]?[\d.]/.test(v))
    return { warning: `'${value}' is not a number with units (expected float + ${unitsText})` };
  const m = /^(\S+)\s*(.*)$/.exec(v);
  const num = m?.[1] ?? '';
  const unit = (m?.[2] ?? '').trim();
  // allow '10K' (number and unit written together)
  const glued = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([A-Za-z°].*)$/.exec(num);
  const numberText = glued ? glued[1] : num;
  const unitText = glued ? glued[2] + (unit ? ` ${unit}` : '') : unit;
  if (!FLOAT_RE.test(numberText))
    return { error: `'${value}': '${num}' is not a number (expected float + ${unitsText})` };
  if (unitText === '') return { warning: `'${value}' has no units (expected ${unitsText})` };
  if (!units.test(unitText)) {
    return glued
      ? { error: `'${value}': '${num}' is not a number followed by a unit (expected float + ${unitsText})` }
      : { error: `'${value}': '${unitText}' is not a unit of ${unitsText}` };
  }
  return {};
}

function push(issues: XdiIssue[], f: XdiField, r: { error?: string; warning?: string }, name: string): void {
  if (r.error) issues.push({ level: 'error', line: f.line, field: name, message: `${name} ${r.error}` });
  else if (r.warning)
    issues.push({ level: 'warning', line: f.line, field: name, message: `${name} ${r.warning}` });
}

/** Column fields in order of N, with the checks of the Column namespace. */
export function columnFields(header: XdiHeader, issues: XdiIssue[]): Map<number, XdiField> {
  const cols = new Map<number, XdiField>();
  for (const f of header.fields) {
    if (f.namespace.toLowerCase() !== 'column') continue;
    if (!/^\d+$/.test(f.tag) || Number(f.tag) < 1) {
      issues.push({
        level: 'error',
        line: f.line,
        field: `Column.${f.tag}`,
        message: `Column.${f.tag}: the tag must be a column number 1, 2, 3 ...`,
      });
      continue;
    }
    cols.set(Number(f.tag), f);
  }
  return cols;
}

/** Runs every field-level check; `ncols` is the number of data columns (or -1 if unknown). */
export function validateXdiFields(header: XdiHeader, ncols: number): XdiIssue[] {
  const issues: XdiIssue[] = [];
  const last = new Map<string, XdiField>();
  for (const f of header.fields) last.set(`${f.namespace}.${f.tag}`.toLowerCase(), f);
  const get = (name: string) => last.get(name.toLowerCase());

  const cols = columnFields(header, issues);
  const col1 = cols.get(1);
  const col1Label = col1?.value.split('||')[0].trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const isXas = col1 !== undefined && (col1Label === 'energy' || col1Label === 'angle');

  // required: Element.symbol and Element.edge for XAS data
  for (const [name, check, what] of [
    [
      'Element.symbol',
      (v: string) => isElementSymbol(v) || OLD_SYMBOLS.has(v.toLowerCase()),
      'an element symbol such as Cu',
    ],
    [
      'Element.edge',
      (v: string) => XDI_EDGES.has(v.toUpperCase()),
      'K, L1, L2, L3, M1 ... M5, N1 ... N7, O1 ... O7 (or L, M, N, O)',
    ],
    [
      'Element.reference',
      (v: string) => isElementSymbol(v) || OLD_SYMBOLS.has(v.toLowerCase()),
      'an element symbol',
    ],
    ['Element.ref_edge', (v: string) => XDI_EDGES.has(v.toUpperCase()), 'an edge name such as K or L3'],
  ] as const) {
    const f = get(name);
    if (f === undefined) {
      if (name !== 'Element.symbol' && name !== 'Element.edge') continue;
      const other = get(name === 'Element.symbol' ? 'Element.edge' : 'Element.symbol');
      if (other !== undefined) {
        // half of the required pair: the file claims an element-specific measurement but
        // leaves it ambiguous (Cr K and Ba L1 are both at 5989 eV)
        issues.push({
          level: 'error',
          field: name,
          message: `required field ${name} is missing while ${other.namespace}.${other.tag} is given (XDI requires both Element.symbol and Element.edge)`,
        });
      } else if (name === 'Element.symbol') {
        issues.push({
          level: 'warning',
          field: name,
          message: isXas
            ? 'required fields Element.symbol and Element.edge are missing: element and edge are unknown'
            : 'Element.symbol and Element.edge are missing (the abscissa is not energy or angle)',
        });
      }
    } else if (!check(f.value.trim())) {
      issues.push({
        level: 'error',
        line: f.line,
        field: name,
        message: `${name} '${f.value}' is not valid (expected ${what})`,
      });
    }
  }

  // Mono.d_spacing: a positive float; required when the abscissa is an angle
  const d = get('Mono.d_spacing');
  if (d !== undefined) {
    const v = d.value.trim().split(/\s+/)[0];
    if (!FLOAT_RE.test(v) || !(Number(v) > 0)) {
      issues.push({
        level: 'error',
        line: d.line,
        field: 'Mono.d_spacing',
        message: `Mono.d_spacing '${d.value}' is not a positive number (expected the d-spacing in Å)`,
      });
    }
  } else if (col1Label === 'angle') {
    issues.push({
      level: 'error',
      line: col1?.line,
      field: 'Mono.d_spacing',
      message:
        'the abscissa is a monochromator angle but Mono.d_spacing is missing (required to convert angle to energy)',
    });
  }

  for (const name of ['Scan.start_time', 'Scan.end_time']) {
    const f = get(name);
    if (f) push(issues, f, checkTimestamp(f.value), name);
  }
  const t = get('Sample.temperature');
  if (t)
    push(
      issues,
      t,
      checkFloatUnits(t.value, /^(K|C|F|°C|°F|degrees? ?[KCF]|kelvin|celsius)\b/i, 'K or C'),
      'Sample.temperature',
    );
  const fe = get('Facility.energy');
  if (fe) push(issues, fe, checkFloatUnits(fe.value, /^(GeV|MeV)\b/i, 'GeV or MeV'), 'Facility.energy');
  const fc = get('Facility.current');
  if (fc) push(issues, fc, checkFloatUnits(fc.value, /^(mA|A)\b/i, 'mA or A'), 'Facility.current');
  const ee = get('Scan.edge_energy');
  if (ee) {
    const v = ee.value.trim().split(/\s+/)[0];
    if (!FLOAT_RE.test(v))
      issues.push({
        level: 'error',
        line: ee.line,
        field: 'Scan.edge_energy',
        message: `Scan.edge_energy '${ee.value}' is not a number`,
      });
  }

  // Column namespace: numbered 1..M without gaps, M equal to the number of data columns
  if (cols.size === 0) {
    issues.push({
      level: 'error',
      field: 'Column.1',
      message:
        'no Column.N fields: the abscissa must be identified by Column.1 (e.g. "# Column.1: energy eV")',
    });
  } else {
    const max = Math.max(...cols.keys());
    const missing: number[] = [];
    for (let n = 1; n <= max; n++) if (!cols.has(n)) missing.push(n);
    if (missing.length > 0) {
      const f = cols.get(max)!;
      issues.push({
        level: 'error',
        line: f.line,
        field: `Column.${max}`,
        message: `Column.${max} is given but Column.${missing.join(', Column.')} ${missing.length > 1 ? 'are' : 'is'} missing (column numbers must be continuous from 1)`,
      });
    } else if (ncols >= 0 && max < ncols) {
      // tolerated by default when the column-label line names the remaining columns (real
      // files written by Athena do this); an error when nothing names them
      const named = header.labelLine !== undefined && header.labelLine.labels.length === ncols;
      issues.push({
        level: named ? 'warning' : 'error',
        field: `Column.${max + 1}`,
        message: `the data have ${ncols} columns but only Column.1 to Column.${max} are defined (too few Column labels${named ? '; the column-label line names the others' : ''})`,
      });
    } else if (ncols >= 0 && max > ncols) {
      const f = cols.get(max)!;
      issues.push({
        level: 'error',
        line: f.line,
        field: `Column.${max}`,
        message: `Column.${max} is given but the data have only ${ncols} columns (too many Column labels)`,
      });
    }
    if (col1 && !ABSCISSA_LABELS.has(col1Label)) {
      issues.push({
        level: 'warning',
        line: col1.line,
        field: 'Column.1',
        message: `Column.1 '${col1.value}' is not a defined abscissa (energy, angle, pixel)`,
      });
    }
  }
  if (header.labelLine && ncols >= 0 && header.labelLine.labels.length !== ncols) {
    issues.push({
      level: 'error',
      line: header.labelLine.line,
      message: `the column-label line has ${header.labelLine.labels.length} labels but the data have ${ncols} columns`,
    });
  }

  // extension namespaces should be named in the version line
  const apps = header.extraVersions.map((v) => v.split('/')[0].toLowerCase());
  const undeclared = new Set<string>();
  for (const f of header.fields) {
    const ns = f.namespace.toLowerCase();
    if (!DEFINED_NAMESPACES.has(ns) && !KNOWN_NAMESPACES.has(ns) && !apps.includes(ns))
      undeclared.add(f.namespace);
  }
  if (undeclared.size > 0) {
    const list = [...undeclared].join(', ');
    const noApp = header.extraVersions.length === 0;
    issues.push({
      level: 'warning',
      line: 1,
      message: `extension namespace${undeclared.size > 1 ? 's' : ''} ${list} ${noApp ? 'used but the version line names no application' : 'not named in the version line'} (XDI asks writers of extension fields to declare themselves, e.g. '# XDI/1.0 ${[...undeclared][0]}/1.0')`,
    });
  }
  for (const name of RECOMMENDED) {
    if (!get(name))
      issues.push({ level: 'warning', field: name, message: `recommended field ${name} is missing` });
  }
  return issues;
}
