/**
 * Building column arrays from numeric data rows, with errors that name the file, the line,
 * the column and what was expected: ragged rows, non-numbers and NaN/Inf are refused rather
 * than padded with NaN (what Larch's read_ascii does).
 */
import { XasInputError } from '../core/errors.js';
import { NAN_LIKE, type RowScanner } from './numbers.js';

export interface ParsedRows {
  columns: Float64Array[];
  /** 1-based file line of each row. */
  lines: Int32Array;
}

/** Throws the error for the first bad token of the line the scanner last read. */
export function throwBadToken(scanner: RowScanner, file: string, lineNo: number, label?: string): never {
  const k = scanner.firstBad;
  const tok = scanner.token(k);
  const col = `column ${k + 1}${label ? ` (${label})` : ''}`;
  if (scanner.badKind === NAN_LIKE) {
    throw new XasInputError(`${col}: '${tok}' is not a finite number`, {
      file,
      line: lineNo,
      expected: 'finite numbers in the data table (no NaN or Inf)',
    });
  }
  throw new XasInputError(`${col}: '${tok.length > 40 ? `${tok.slice(0, 40)}…` : tok}' is not a number`, {
    file,
    line: lineNo,
    expected: 'a decimal number such as 8979.5 or 1.2e-3',
  });
}

/** Number of tokens seen most often (the table's width), preferring the last row on ties. */
export function modalCount(counts: readonly number[]): number {
  const freq = new Map<number, number>();
  let best = counts[counts.length - 1] ?? 0;
  for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
  for (const [c, f] of freq) if (f > (freq.get(best) ?? 0)) best = c;
  return best;
}

/**
 * Parses the given lines (0-based indices into `lines`) as rows of `ncols` finite numbers.
 * `labels` (optional) name the columns in error messages.
 */
export function parseRows(
  lines: readonly string[],
  rowIndices: readonly number[],
  ncols: number,
  scanner: RowScanner,
  file: string,
  labels?: readonly string[],
): ParsedRows {
  const n = rowIndices.length;
  const columns: Float64Array[] = [];
  for (let c = 0; c < ncols; c++) columns.push(new Float64Array(n));
  const lineNos = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const li = rowIndices[r];
    const count = scanner.scan(lines[li]);
    if (scanner.firstBad >= 0) throwBadToken(scanner, file, li + 1, labels?.[scanner.firstBad]);
    if (count !== ncols) {
      const last = r === n - 1;
      throw new XasInputError(
        `row has ${count} value${count === 1 ? '' : 's'} but the data table has ${ncols} columns` +
          (last && count < ncols ? ' (the file looks truncated)' : ''),
        { file, line: li + 1, expected: `${ncols} values on every data row` },
      );
    }
    const v = scanner.values;
    for (let c = 0; c < ncols; c++) columns[c][r] = v[c];
    lineNos[r] = li + 1;
  }
  return { columns, lines: lineNos };
}
