/**
 * FEFF path summaries: files.dat (ff2x: file, sig2, amplitude ratio, degeneracy, nlegs, reff) and
 * list.dat (genfmt: path index, sig2, amplitude ratio, degeneracy, nlegs, reff). Rows follow the
 * column-title line after the '-----' separator.
 */
import { XasInputError } from '../../core/errors.js';
import { fortranInteger, fortranNumber, readTextFile } from './text.js';

export interface PathSummary {
  /** File name (files.dat) or path index as text (list.dat). */
  name: string;
  sig2: number;
  ampRatioPercent: number;
  degeneracy: number;
  nleg: number;
  reffAngstrom: number;
}

export function readFilesDat(path: string): PathSummary[] {
  return parsePathSummary(readTextFile(path, 'FEFF files.dat'), path);
}

export const readListDat = readFilesDat;

export function parsePathSummary(text: string, source = 'files.dat'): PathSummary[] {
  const lines = text.split(/\r?\n/);
  const sep = lines.findIndex((l) => /^\s*#?\s*-{10,}/.test(l));
  if (sep < 0) throw new XasInputError("no '-----' separator line", { file: source });
  const out: PathSummary[] = [];
  for (let li = sep + 2; li < lines.length; li++) {
    const line = lines[li].trim();
    if (line === '') continue;
    const w = line.split(/\s+/);
    const at = li + 1;
    if (w.length < 6)
      throw new XasInputError(`row has ${w.length} fields`, { file: source, line: at, expected: '6 fields' });
    out.push({
      name: w[0],
      sig2: fortranNumber(w[1], source, at, 'sig2'),
      ampRatioPercent: fortranNumber(w[2], source, at, 'amp ratio'),
      degeneracy: fortranNumber(w[3], source, at, 'deg'),
      nleg: fortranInteger(w[4], source, at, 'nlegs'),
      reffAngstrom: fortranNumber(w[5], source, at, 'r effective'),
    });
  }
  return out;
}
