/**
 * Reader for plain column files as beamlines, IFEFFIT, Larch and Athena write them
 * (.xmu, .dat, .001, .060, .nor, .res, SPEC-like, DESY .fio).
 *
 * Section detection follows Larch's read_ascii: reading upwards from the end, trailing
 * non-numeric lines are a footer, the block of numeric rows above them is the data, and
 * everything above is the header; the last header line names the columns. Unlike
 * read_ascii we refuse (rather than pad with NaN or silently truncate) ragged rows,
 * NaN/Inf values and garbage lines inside the table, each with the file and line.
 */
import { XasInputError } from '../core/errors.js';
import { emptyMeta, type Spectrum } from '../core/spectrum.js';
import { type ColumnChoice, type ColumnTable, resolveSpectra } from './choose-mu.js';
import { finalizeLabels, fixVarname, larchLabels } from './labels.js';
import { applyPercentFields, applyXdiFields, headerAttributes } from './meta.js';
import { NUMBER, RowScanner, tokenKind } from './numbers.js';
import { modalCount, type ParsedRows, parseRows, throwBadToken } from './table.js';
import { readTextLines } from './text.js';

const COMMENT_CHARS = '#;%*!$';

export interface AsciiTable extends ColumnTable {
  header: string[];
  footer: string[];
  /** Labels exactly as Larch's read_ascii would name the columns. */
  larchLabels: string[];
  /** 'fio' for DESY FIO files, else 'ascii'. */
  dialect: 'ascii' | 'fio';
  /** Non-fatal findings (e.g. an earlier numeric block that was skipped). */
  warnings: string[];
}

function isComment(line: string): boolean {
  return line.length > 0 && COMMENT_CHARS.includes(line[0]);
}

/** Most common separator in lines that have no numeric table, for the error message. */
function delimiterHint(lines: readonly string[]): string {
  const sample = lines.filter((l) => l.trim() !== '' && !isComment(l.trim())).slice(-20);
  for (const sep of [';', '|', ':']) {
    if (sample.length > 0 && sample.filter((l) => l.split(sep).length > 2).length > sample.length / 2) {
      return ` (the lines look '${sep}'-separated; columns must be separated by spaces, tabs or commas)`;
    }
  }
  return '';
}

/** Labels from DESY FIO 'Col N NAME TYPE' lines, scan-name prefix removed. */
function fioLabels(header: readonly string[], ncols: number): string[] | undefined {
  const names: string[] = [];
  for (const line of header) {
    const m = /^Col\s+(\d+)\s+(\S+)/i.exec(line.trim());
    if (m) names[Number(m[1]) - 1] = m[2];
  }
  if (names.length === 0) return undefined;
  const scan = names[0] ?? '';
  return Array.from({ length: ncols }, (_, i) => {
    let n = names[i] ?? '';
    if (scan && n.toUpperCase().startsWith(scan.toUpperCase())) n = n.slice(scan.length).replace(/^_/, '');
    if (n === '') return i === 0 ? 'energy' : `col${i + 1}`;
    return fixVarname(n.toLowerCase());
  });
}

/** Our labels: Larch's, except where Larch's rule loses the names the file gives. */
function chooseLabels(header: string[], larch: string[], ncols: number, dialect: string): string[] {
  if (dialect === 'fio') return finalizeLabels(fioLabels(header, ncols) ?? larch, ncols);
  // A single header line is the label line (Larch's generic rule needs two lines and
  // falls back to col1, col2 ...).
  if (header.length === 1) {
    const words = header[0]
      .replace(/^[#;%*!$]+/, '')
      .trim()
      .split(/[\s,]+/);
    if (words.length === ncols)
      return finalizeLabels(
        words.map((w) => fixVarname(w.toLowerCase())),
        ncols,
      );
  }
  // '# columns: energy mu' -- a leading 'word:' before the labels.
  if (larch.length > ncols && header.length > 0) {
    const last = header[header.length - 1].replace(/^[#;%*!$]+/, '').trim();
    const m = /^[A-Za-z_ ]+:\s*(.+)$/.exec(last);
    if (m) {
      const words = m[1].split(/[\s,]+/);
      if (words.length === ncols)
        return finalizeLabels(
          words.map((w) => fixVarname(w.toLowerCase())),
          ncols,
        );
    }
  }
  return finalizeLabels(larch, ncols);
}

/** Columns from row values stored bottom-up (rows in `dataIdx` are in file order). */
function columnsFromStore(store: Float64Array, dataIdx: readonly number[], ncols: number): ParsedRows {
  const n = dataIdx.length;
  const columns: Float64Array[] = [];
  for (let c = 0; c < ncols; c++) columns.push(new Float64Array(n));
  const lineNos = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const base = (n - 1 - r) * ncols;
    for (let c = 0; c < ncols; c++) columns[c][r] = store[base + c];
    lineNos[r] = dataIdx[r] + 1;
  }
  return { columns, lines: lineNos };
}

/** Reads the numeric table and header of a column file. */
export function parseAsciiTable(lines: readonly string[], file: string): AsciiTable {
  const scanner = new RowScanner(true);
  const footerIdx: number[] = [];
  const dataIdx: number[] = [];
  const counts: number[] = [];
  // values of the data rows as met (bottom-up), so that each row is parsed only once
  let store = new Float64Array(4096);
  let stored = 0;
  let clean = true;
  const keep = () => {
    const n = scanner.count;
    if (stored + n > store.length) {
      const bigger = new Float64Array(Math.max(2 * store.length, stored + n));
      bigger.set(store.subarray(0, stored));
      store = bigger;
    }
    for (let k = 0; k < n; k++) store[stored + k] = scanner.values[k];
    stored += n;
    dataIdx.push(i);
    counts.push(n);
    if (scanner.firstBad >= 0) clean = false;
  };
  let boundary = -1;
  let i = lines.length - 1;
  for (; i >= 0; i--) {
    const line = lines[i].trim();
    if (line.length === 0) continue;
    scanner.scan(line);
    const numeric = scanner.isNumericRow();
    if (dataIdx.length === 0) {
      if (numeric) keep();
      else {
        // a footer line that starts with a number is a damaged or truncated data row
        if (!isComment(line) && tokenKind(scanner.token(0)) === NUMBER) throwBadToken(scanner, file, i + 1);
        footerIdx.push(i);
      }
    } else if (numeric) keep();
    else {
      boundary = i;
      break;
    }
  }
  if (dataIdx.length === 0) {
    throw new XasInputError(`no numeric data table found${delimiterHint(lines)}`, {
      file,
      expected: 'rows of numbers below the header',
    });
  }
  dataIdx.reverse();
  counts.reverse();
  const ncols = modalCount(counts);
  const warnings: string[] = [];
  if (boundary >= 0) {
    const line = lines[boundary].trim();
    scanner.scan(line);
    const numericTokens = scanner.count - scanner.nNotNumber;
    // the next non-blank line above: does the table continue there?
    let above = boundary - 1;
    while (above >= 0 && lines[above].trim() === '') above--;
    const aboveScan = new RowScanner(true);
    const continues = above >= 0 && aboveScan.scan(lines[above].trim()) === ncols && aboveScan.isNumericRow();
    if (!isComment(line) && (continues || (scanner.count === ncols && numericTokens > 0))) {
      // name the column: the header is what lies above the numeric rows above this line
      let top = above;
      while (
        top >= 0 &&
        (lines[top].trim() === '' ||
          (aboveScan.scan(lines[top].trim()) === ncols && aboveScan.isNumericRow()))
      )
        top--;
      const head = lines
        .slice(0, top + 1)
        .map((l) => l.trim())
        .filter((l) => l.length > 0);
      const names = finalizeLabels(larchLabels(head), ncols);
      throwBadToken(scanner, file, boundary + 1, names[scanner.firstBad]);
    }
    if (continues) {
      warnings.push(
        `line ${boundary + 1} splits the numeric table; only the rows below it were read (as Larch's read_ascii does)`,
      );
    }
  }
  const header: string[] = [];
  for (let h = 0; h <= boundary; h++) {
    const t = lines[h].trim();
    if (t.length > 0) header.push(t);
  }
  const footer = footerIdx.reverse().map((k) => lines[k].trim());
  const dialect =
    header.some((l) => l === '%d') && header.some((l) => /^Col\s+\d+\s/i.test(l)) ? 'fio' : 'ascii';
  const larch = finalizeLabels(larchLabels(header), ncols);
  const labels = chooseLabels(header, larchLabels(header), ncols, dialect);
  const rows =
    clean && counts.every((c) => c === ncols)
      ? columnsFromStore(store, dataIdx, ncols)
      : parseRows(lines, dataIdx, ncols, scanner, file, labels); // throws, naming the first bad row
  const table: AsciiTable = {
    labels,
    larchLabels: larch,
    columns: rows.columns,
    lines: rows.lines,
    header,
    footer,
    dialect,
    warnings,
  };
  return table;
}

export interface AsciiReadOptions extends ColumnChoice {
  /** Column labels to use instead of the file's (Larch's `labels` argument). */
  labels?: string[];
}

/** Reads a column file into one spectrum, or several for multi-spectrum tables. */
export function readAscii(path: string, options: AsciiReadOptions = {}): Spectrum[] {
  return readAsciiLines(path, readTextLines(path), options);
}

/** As readAscii, for a file already split into lines. */
export function readAsciiLines(
  path: string,
  lines: readonly string[],
  options: AsciiReadOptions = {},
): Spectrum[] {
  const table = parseAsciiTable(lines, path);
  if (options.labels) {
    table.labels = finalizeLabels(
      options.labels.map((l) => fixVarname(l.toLowerCase())),
      table.columns.length,
    );
  }
  const baseMeta = emptyMeta();
  baseMeta.format = table.dialect === 'fio' ? 'fio' : 'ascii';
  baseMeta.sourceFile = path;
  baseMeta.columnLabels = table.labels.slice();
  baseMeta.comments = table.header.slice();
  baseMeta.fields = headerAttributes(table.header);
  applyPercentFields(table.header, baseMeta);
  applyXdiFields(baseMeta);
  const lowerPath = path.toLowerCase();
  const normHint = lowerPath.endsWith('.nor') || table.header.some((h) => /normali[sz]ed/i.test(h));
  const resolved = resolveSpectra(table, options, {
    file: path,
    format: table.dialect,
    datatypeHint: normHint ? 'norm' : undefined,
  });
  const channels: Record<string, Float64Array> = {};
  table.labels.forEach((l, k) => {
    channels[l] = table.columns[k];
  });
  return resolved.map((r) => {
    const meta = { ...baseMeta, fields: { ...baseMeta.fields }, comments: baseMeta.comments.slice() };
    if (r.record !== undefined) meta.record = r.record;
    meta.muSource = r.muSource;
    meta.datatype = r.datatype;
    if (r.mode) meta.mode = r.mode;
    const warnings = [...table.warnings, ...r.warnings];
    if (warnings.length > 0) meta.warnings = warnings;
    const sp: Spectrum = { energyEv: r.energyEv, mu: r.mu, channels, meta, history: [] };
    if (r.muRef) sp.muRef = r.muRef;
    return sp;
  });
}
