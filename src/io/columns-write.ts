/**
 * Column-text writers: whitespace-separated columns with '#' header lines in the layout of
 * Larch's write_ascii (header lines, a '#---' line, the label line, then the rows), or CSV.
 * Numbers are written in the shortest form that reads back to the same double. Output is
 * atomic; NaN or infinite values are refused rather than written.
 */
import { writeFileAtomic } from '../core/atomic-write.js';
import { XasInputError } from '../core/errors.js';
import { SOFTWARE, type Spectrum } from '../core/spectrum.js';
import { xdiColumns } from './xdi-write.js';

export interface ColumnsWriteOptions {
  /** Column separator: ' ' (default, Larch-style aligned), ',' (CSV) or '\t'. */
  delimiter?: ' ' | ',' | '\t';
  /** Header lines (without the comment character); default: a summary of the spectrum. */
  header?: string[];
  /** Write the '#' header and label comment lines (default true; CSV without them gets a plain label row). */
  comments?: boolean;
  /** Further arrays on the same grid (e.g. norm, flat, bkg). */
  arrays?: Record<string, Float64Array>;
  /** Include the raw channels (default true). */
  channels?: boolean;
}

/** Formats named columns as text. */
export function formatColumns(
  columns: { label: string; data: ArrayLike<number> }[],
  header: string[],
  options: ColumnsWriteOptions = {},
): string {
  const delim = options.delimiter ?? ' ';
  const n = columns[0]?.data.length ?? 0;
  for (const c of columns) {
    if (c.data.length !== n) {
      throw new XasInputError(`column '${c.label}' has ${c.data.length} values, not ${n}`, {
        field: c.label,
      });
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(c.data[i])) {
        throw new XasInputError(`column '${c.label}' has ${c.data[i]} at row ${i}; refusing to write it`, {
          field: c.label,
          expected: 'finite values',
        });
      }
    }
  }
  const out: string[] = [];
  const labels = columns.map((c) => c.label);
  if (options.comments !== false) {
    for (const h of header) out.push(`# ${h.replace(/[\r\n]+/g, ' ')}`);
    out.push('#---------------------------------');
    out.push(`# ${labels.join(delim === ' ' ? '  ' : delim)}`);
  } else if (delim !== ' ') out.push(labels.join(delim));
  const row: string[] = new Array(columns.length);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < columns.length; c++) {
      const s = String(columns[c].data[i]);
      row[c] = delim === ' ' ? s.padStart(24) : s;
    }
    out.push(row.join(delim === ' ' ? ' ' : delim));
  }
  return `${out.join('\n')}\n`;
}

function defaultHeader(sp: Spectrum): string[] {
  const m = sp.meta;
  const h = [`written by ${SOFTWARE}`];
  if (m.sourceFile) h.push(`source: ${m.sourceFile}${m.record ? ` [${m.record}]` : ''}`);
  if (m.element) h.push(`element: ${m.element} ${m.edge ?? ''}`.trim());
  if (m.muSource) h.push(`mu: ${m.muSource}`);
  for (const step of sp.history)
    h.push(`history: ${step.step} ${JSON.stringify(step.params)} (${step.software})`);
  return h;
}

/** Formats a spectrum (energy, μ, reference, channels, extra arrays) as column text. */
export function formatSpectrumColumns(sp: Spectrum, options: ColumnsWriteOptions = {}): string {
  const cols = xdiColumns(sp, { arrays: options.arrays, channels: options.channels });
  return formatColumns(cols, options.header ?? defaultHeader(sp), options);
}

/** Writes a spectrum as a column file (atomically). */
export function writeColumns(path: string, sp: Spectrum, options: ColumnsWriteOptions = {}): void {
  writeFileAtomic(path, formatSpectrumColumns(sp, options));
}

/** Writes a spectrum as CSV with '#' header lines (atomically). */
export function writeCsv(
  path: string,
  sp: Spectrum,
  options: Omit<ColumnsWriteOptions, 'delimiter'> = {},
): void {
  writeFileAtomic(path, formatSpectrumColumns(sp, { ...options, delimiter: ',' }));
}
