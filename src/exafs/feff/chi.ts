/** FEFF's chi.dat: '#' header lines, then rows k, χ, |χ̃|, phase (FEFF 6 and 8). */
import { XasInputError } from '../../core/errors.js';
import { fortranNumber, readTextFile } from './text.js';

export interface FeffChi {
  k: Float64Array;
  chi: Float64Array;
  mag: Float64Array;
  phase: Float64Array;
}

export function readFeffChi(path: string): FeffChi {
  return parseFeffChi(readTextFile(path, 'FEFF chi.dat'), path);
}

export function parseFeffChi(text: string, source = 'chi.dat'): FeffChi {
  const rows: number[][] = [];
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li].trim();
    if (line === '' || line.startsWith('#')) continue;
    const w = line.split(/\s+/);
    if (w.length < 2) throw new XasInputError('row needs k and chi', { file: source, line: li + 1 });
    rows.push(w.slice(0, 4).map((s, c) => fortranNumber(s, source, li + 1, ['k', 'chi', 'mag', 'phase'][c])));
  }
  if (rows.length < 2)
    throw new XasInputError(`${rows.length} data rows`, { file: source, expected: 'at least 2 rows' });
  const col = (c: number) => Float64Array.from(rows, (r) => r[c] ?? Number.NaN);
  return { k: col(0), chi: col(1), mag: col(2), phase: col(3) };
}
