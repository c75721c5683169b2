/**
 * XDI 1.0 reader (XAS Data Interchange format, XDI working group specification v1.0 and its
 * Dictionary of Metadata). Every rule of the specification that the data depend on is an
 * error naming the file and line; recommendations are warnings kept in `meta.warnings`, and
 * `strict: true` turns those into errors too (a validator mode, `xasflow info --strict`).
 * Two-dimensional files (`Outer.value` lines inside the data) give one spectrum per block.
 */
import { atomicSymbol, isElementSymbol, normalizeEdgeName } from '../core/edges.js';
import { XasInputError } from '../core/errors.js';
import { emptyMeta, type Spectrum } from '../core/spectrum.js';
import { type ColumnChoice, resolveSpectra } from './choose-mu.js';
import { finalizeLabels, fixVarname } from './labels.js';
import { applyXdiFields, parseMode } from './meta.js';
import { parseDecimal, RowScanner } from './numbers.js';
import { parseRows } from './table.js';
import { readTextLines } from './text.js';
import { parseXdiHeader, type XdiHeader, type XdiIssue } from './xdi-header.js';
import { columnFields, validateXdiFields } from './xdi-validate.js';

export interface XdiReadOptions extends ColumnChoice {
  /** Treat warnings (recommendations, tolerated deviations) as errors. */
  strict?: boolean;
}

/** Throws one XasInputError describing every error-level issue (first one located). */
export function throwIssues(file: string, issues: XdiIssue[]): void {
  if (issues.length === 0) return;
  const sorted = issues.slice().sort((a, b) => (a.line ?? 1e9) - (b.line ?? 1e9));
  const first = sorted[0];
  let msg = first.message;
  if (sorted.length > 1) {
    const rest = sorted
      .slice(1, 6)
      .map((i) => (i.line !== undefined ? `line ${i.line}: ${i.message}` : i.message));
    msg += `; also ${rest.join('; ')}${sorted.length > 6 ? `; and ${sorted.length - 6} more` : ''}`;
  }
  throw new XasInputError(msg, { file, line: first.line, field: first.field });
}

interface XdiData {
  columns: Float64Array[];
  lines: Int32Array;
  /** Row index where each Outer block starts, with its Outer.value. */
  blocks: { start: number; value: string }[];
  warnings: XdiIssue[];
}

function countFirstRow(lines: readonly string[], start: number): number {
  const scanner = new RowScanner(false);
  for (let i = start; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t.length === 0 || t[0] === '#') continue;
    return scanner.scan(t);
  }
  return -1;
}

function parseData(
  lines: readonly string[],
  header: XdiHeader,
  ncols: number,
  file: string,
  labels: string[],
): XdiData {
  const rowIdx: number[] = [];
  const blocks: { start: number; value: string }[] = [];
  const warnings: XdiIssue[] = [];
  for (let i = header.dataStart; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t.length === 0) continue;
    if (t[0] === '#') {
      const m = /^#\s*outer\.value\s*:\s*(.*)$/i.exec(t);
      if (m) {
        if (Number.isNaN(parseDecimal(m[1].trim()))) {
          throw new XasInputError(`Outer.value '${m[1]}' is not a number`, {
            file,
            line: i + 1,
            field: 'Outer.value',
          });
        }
        blocks.push({ start: rowIdx.length, value: m[1].trim() });
      } else {
        warnings.push({
          level: 'warning',
          line: i + 1,
          message: 'comment line inside the data section ignored',
        });
      }
      continue;
    }
    rowIdx.push(i);
  }
  if (rowIdx.length === 0) {
    throw new XasInputError('no data rows after the header', {
      file,
      expected: 'a data table below the header-end line',
    });
  }
  const rows = parseRows(lines, rowIdx, ncols, new RowScanner(false), file, labels);
  return { columns: rows.columns, lines: rows.lines, blocks, warnings };
}

function issueText(i: XdiIssue): string {
  return i.line !== undefined ? `line ${i.line}: ${i.message}` : i.message;
}

/** Reads an XDI file into one spectrum per data block (usually one). */
export function readXdi(path: string, options: XdiReadOptions = {}): Spectrum[] {
  return readXdiLines(path, readTextLines(path), options);
}

/** As readXdi, for a file already split into lines. */
export function readXdiLines(
  path: string,
  lines: readonly string[],
  options: XdiReadOptions = {},
): Spectrum[] {
  const header = parseXdiHeader(lines);
  throwIssues(
    path,
    header.issues.filter((i) => i.level === 'error'),
  );
  const ncols = countFirstRow(lines, header.dataStart);
  const issues = [...header.issues, ...validateXdiFields(header, ncols)];
  throwIssues(
    path,
    issues.filter((i) => i.level === 'error' || options.strict),
  );
  if (ncols < 1)
    throw new XasInputError('no data rows after the header', { file: path, expected: 'a data table' });

  // labels: Column.N (first word), else the label line, else colN
  const colFields = columnFields(header, []);
  const names: string[] = [];
  const units: (string | undefined)[] = [];
  for (let n = 1; n <= ncols; n++) {
    const f = colFields.get(n);
    const words = f ? f.value.split('||')[0].trim().split(/\s+/) : [];
    names.push(words[0] ?? header.labelLine?.labels[n - 1] ?? `col${n}`);
    units.push(words.length > 1 ? words.slice(1).join(' ') : undefined);
  }
  const labels = finalizeLabels(
    names.map((n) => fixVarname(n.toLowerCase())),
    ncols,
  );
  const data = parseData(lines, header, ncols, path, labels);
  if (options.strict) throwIssues(path, data.warnings);

  const meta = emptyMeta();
  meta.format = 'xdi';
  meta.sourceFile = path;
  // field names are case-insensitive; the last occurrence wins, under its first spelling
  const spelling = new Map<string, string>();
  for (const f of header.fields) {
    const name = `${f.namespace}.${f.tag}`;
    const key = spelling.get(name.toLowerCase()) ?? name;
    spelling.set(name.toLowerCase(), key);
    meta.fields[key] = f.value;
  }
  meta.fields['XDI.version'] = header.version;
  if (header.extraVersions.length > 0) meta.fields['XDI.extra_version'] = header.extraVersions.join(' ');
  meta.comments = header.comments.slice();
  meta.columnLabels = labels.slice();
  meta.columnUnits = {};
  labels.forEach((n, k) => {
    if (units[k]) meta.columnUnits![n] = units[k]!;
  });
  applyXdiFields(meta);
  // pre-standard files (e.g. Larch's cu_metal_rt.xdi) put the element in the Scan namespace
  const scanElement = Object.entries(meta.fields).find(([k]) => k.toLowerCase() === 'scan.element')?.[1];
  const scanEdge = Object.entries(meta.fields).find(([k]) => k.toLowerCase() === 'scan.edge')?.[1];
  if (meta.element === undefined && scanElement && isElementSymbol(scanElement.trim())) {
    meta.element = atomicSymbol(scanElement.trim());
    if (meta.edge === undefined && scanEdge) meta.edge = normalizeEdgeName(scanEdge) ?? scanEdge.trim();
    issues.push({
      level: 'warning',
      message:
        'element and edge taken from Scan.element / Scan.edge (XDI uses Element.symbol / Element.edge)',
    });
  }
  const warnings = [...issues, ...data.warnings].filter((i) => i.level === 'warning').map(issueText);
  const filetype = Object.entries(meta.fields).find(([k]) => /\.output_filetype$/i.test(k))?.[1] ?? '';

  const blocks =
    data.blocks.length > 0 && data.blocks[0].start > 0
      ? [{ start: 0, value: '' }, ...data.blocks]
      : data.blocks;
  const outerName =
    Object.entries(meta.fields).find(([k]) => k.toLowerCase() === 'outer.name')?.[1] ?? 'outer';
  const outerFirst = Object.entries(meta.fields).find(([k]) => k.toLowerCase() === 'outer.value')?.[1] ?? '';
  const spans =
    blocks.length > 0
      ? blocks.map((b, k) => ({
          start: b.start,
          end: blocks[k + 1]?.start ?? data.lines.length,
          value: b.value || outerFirst,
        }))
      : [{ start: 0, end: data.lines.length, value: '' }];

  const out: Spectrum[] = [];
  for (const span of spans) {
    const columns = data.columns.map((c) => c.subarray(span.start, span.end));
    const table = { labels, names, columns, units, lines: data.lines.subarray(span.start, span.end) };
    const resolved = resolveSpectra(table, options, {
      file: path,
      format: 'xdi',
      dSpacingAngstrom: meta.dSpacingAngstrom,
      datatypeHint: /normali[sz]ed/i.test(filetype) ? 'norm' : undefined,
    });
    const channels: Record<string, Float64Array> = {};
    labels.forEach((l, k) => {
      channels[l] = columns[k];
    });
    for (const r of resolved) {
      const m = { ...meta, fields: { ...meta.fields }, comments: meta.comments.slice() };
      const record = [span.value ? `${outerName}=${span.value}` : '', r.record ?? '']
        .filter((s) => s)
        .join(' ');
      if (record) m.record = record;
      m.muSource = r.muSource;
      m.datatype = r.datatype;
      if (r.mode) m.mode = r.mode;
      else if (meta.mode === undefined) {
        const hint = parseMode(r.muSource);
        if (hint) m.mode = hint;
      }
      const w = [...warnings, ...r.warnings];
      if (w.length > 0) m.warnings = w;
      const sp: Spectrum = { energyEv: r.energyEv, mu: r.mu, channels, meta: m, history: [] };
      if (r.muRef) sp.muRef = r.muRef;
      out.push(sp);
    }
  }
  return out;
}
