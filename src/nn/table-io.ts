/**
 * Plain numeric tables for the `xasflow nn` commands: one sample per line, values separated by
 * commas, tabs or spaces; blank lines and lines starting with '#' are skipped; a first line that is
 * not numeric is taken as a header. Errors name the file and line.
 */
import { readFileSync } from 'node:fs';
import { XasInputError } from '../core/errors.js';

export interface NumericTable {
  header: string[] | null;
  rows: number;
  cols: number;
  data: Float32Array;
}

export function readNumericTable(path: string): NumericTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new XasInputError(`cannot read: ${(err as Error).message}`, { file: path });
  }
  const values: number[] = [];
  let header: string[] | null = null;
  let cols = -1;
  let rows = 0;
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const parts = t.split(/[\s,;]+/);
    const nums = parts.map((p) => (/^[+-]?nan$/i.test(p) ? Number.NaN : Number(p)));
    const bad = parts.find((p, j) => Number.isNaN(nums[j]) && !/^[+-]?nan$/i.test(p));
    if (bad !== undefined) {
      if (rows === 0 && header === null) {
        header = parts;
        return;
      }
      throw new XasInputError(`'${bad}' is not a number`, {
        file: path,
        line: i + 1,
        expected: 'numeric values',
      });
    }
    if (cols < 0) cols = nums.length;
    else if (nums.length !== cols) {
      throw new XasInputError(`has ${nums.length} values but earlier lines have ${cols}`, {
        file: path,
        line: i + 1,
      });
    }
    for (const v of nums) values.push(v);
    rows++;
  });
  if (rows === 0) throw new XasInputError('no numeric rows', { file: path });
  return { header, rows, cols, data: Float32Array.from(values) };
}

export function formatTable(header: string[], columns: Float32Array[], rows: number): string {
  const lines = [header.join(',')];
  for (let r = 0; r < rows; r++) lines.push(columns.map((c) => String(c[r])).join(','));
  return `${lines.join('\n')}\n`;
}
