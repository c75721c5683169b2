/**
 * FEFF's paths.dat (pathfinder output, genfmt input): per path a line "index nleg degeneracy …",
 * a column-title line, then nleg atom lines "x y z ipot 'label' [rleg beta eta]" with the absorber
 * (at the origin) last. The writer emits custom path lists that feff8l_genfmt accepts.
 */
import { XasInputError } from '../../core/errors.js';
import { fortranInteger, fortranNumber, readTextFile } from './text.js';

export interface PathListAtom {
  x: number;
  y: number;
  z: number;
  ipot: number;
  label: string;
}

export interface PathListEntry {
  index: number;
  nleg: number;
  degeneracy: number;
  /** Scatterers in path order followed by the absorber (nleg atoms). */
  atoms: PathListAtom[];
}

export function readPathsDat(path: string): PathListEntry[] {
  return parsePathsDat(readTextFile(path, 'FEFF paths.dat'), path);
}

export function parsePathsDat(text: string, source = 'paths.dat'): PathListEntry[] {
  const lines = text.split(/\r?\n/);
  let li = lines.findIndex((l) => /^\s*-{10,}/.test(l));
  if (li < 0)
    throw new XasInputError("no '-----' separator line", { file: source, expected: 'the paths.dat header' });
  li++;
  const out: PathListEntry[] = [];
  while (li < lines.length) {
    if (lines[li].trim() === '') {
      li++;
      continue;
    }
    const head = lines[li].trim().split(/\s+/);
    const lineNo = li + 1;
    if (head.length < 3) {
      throw new XasInputError('path header needs index, nleg and degeneracy', { file: source, line: lineNo });
    }
    const index = fortranInteger(head[0], source, lineNo, 'index');
    const nleg = fortranInteger(head[1], source, lineNo, 'nleg');
    const degeneracy = fortranNumber(head[2], source, lineNo, 'degeneracy');
    if (nleg < 2)
      throw new XasInputError(`nleg = ${nleg}`, { file: source, line: lineNo, expected: 'nleg ≥ 2' });
    li += 2; // header and column titles
    const atoms: PathListAtom[] = [];
    for (let a = 0; a < nleg; a++, li++) {
      const at = li + 1;
      const raw = lines[li];
      if (raw === undefined) {
        throw new XasInputError(`path ${index} ends after ${a} of ${nleg} atoms`, { file: source, line: at });
      }
      const m = raw.match(/^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(?:'([^']*)')?/);
      if (!m)
        throw new XasInputError('atom line needs x y z ipot', {
          file: source,
          line: at,
          expected: "x y z ipot 'label'",
        });
      atoms.push({
        x: fortranNumber(m[1], source, at, 'x'),
        y: fortranNumber(m[2], source, at, 'y'),
        z: fortranNumber(m[3], source, at, 'z'),
        ipot: fortranInteger(m[4], source, at, 'ipot'),
        label: (m[5] ?? '').trim(),
      });
    }
    const last = atoms[nleg - 1];
    if (last.ipot !== 0 || Math.hypot(last.x, last.y, last.z) > 1e-4) {
      throw new XasInputError(`path ${index} does not end at the absorber`, {
        file: source,
        line: li,
        expected: 'the last atom at the origin with ipot 0',
      });
    }
    out.push({ index, nleg, degeneracy, atoms });
  }
  return out;
}

/** Writes a paths.dat for feff8l_genfmt (coordinates with 6 decimals). */
export function formatPathsDat(paths: PathListEntry[], title = 'xasflow custom paths'): string {
  const out = [` ${title}`, ` ${'-'.repeat(71)}`];
  for (const p of paths) {
    out.push(
      `${String(p.index).padStart(6)}${String(p.nleg).padStart(5)}${p.degeneracy.toFixed(3).padStart(8)}  index, nleg, degeneracy`,
    );
    out.push('      x           y           z     ipot  label');
    for (const a of p.atoms) {
      const label = `'${a.label.padEnd(6).slice(0, 6)}'`;
      out.push(
        `${a.x.toFixed(6).padStart(12)}${a.y.toFixed(6).padStart(12)}${a.z.toFixed(6).padStart(12)}   ${a.ipot} ${label}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
